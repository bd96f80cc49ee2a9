"""/ringkasan: this week's summary for the person behind the chat, with XLSX and PNG files.

A supervisor (someone with direct subordinates) gets their team's summary, anyone else their
own progress; both then get the SKM/IKM of every unit they head. An unlinked chat is told
how to link (/daftar). One message, no questions (see ``bot.conversation.summaries``).
"""

from __future__ import annotations

from typing import Any, cast

from bot.conversation.flow import Answer, Context, Finish, Flow, Outcome, Prompt
from bot.conversation.flows.staff.common import SummaryConversationStore
from bot.conversation.summaries import as_replies, personal_summary
from kinerja.periods import period_of


class SummaryFlow(Flow):
    """No steps: ``begin`` answers and finishes."""

    name = "summary"
    commands = ("ringkasan",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        store = cast(SummaryConversationStore, ctx.store)
        employee = await store.employee_by_chat(ctx.channel, ctx.chat_id)
        if employee is None:
            return Finish((ctx.t("summary_not_linked"),))
        tz = ctx.config.timezone
        period = period_of("week", ctx.now, tz)
        blocks = await personal_summary(store, employee, period, ctx.now, tz, ctx.language)
        return Finish(tuple(as_replies(blocks)))

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        raise KeyError(step)
