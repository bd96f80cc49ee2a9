"""/ringkasan: this week's summary for the person behind the chat, with XLSX and PNG files.

A supervisor (someone with direct subordinates) gets their team's summary, anyone else their
own progress; both then get the SKM/IKM of every unit they head. An unlinked chat is told
how to link (/daftar). One message, no questions.

The turn only decides who is asking. Reading the frames and rendering the text, XLSX and
PNG is slow, so it is an effect after the commit (:func:`summary_effect`): it reads in a
reading (committed data; the writer is not held) and renders in a worker thread
(``bot.conversation.summaries.personal_replies``); its replies follow the turn's.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from bot.conversation.flow import AfterCommit, Command, Context, Finish, Outcome
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.messages import Reply
from bot.conversation.ports.people import EmployeeInfo, People
from bot.conversation.ports.summary import PersonalSummaryPorts
from bot.conversation.summaries import personal_replies
from kinerja.periods import period_of


async def summary_effect(
    employee: EmployeeInfo, env: AfterCommit[PersonalSummaryPorts]
) -> list[Reply]:
    """``employee``'s summary of the week of the turn's moment, in the chat's language."""
    tz = env.config.timezone
    period = period_of("week", env.now, tz)
    return await personal_replies(env.store, employee, period, env.now, tz, env.language)


class SummaryFlow(Command[People]):
    """No steps: tells an unlinked chat how to link, else leaves the summary to the effect."""

    name = "summary"
    commands = ("ringkasan",)

    async def run(self, ctx: Context[People], arg: Any) -> Outcome:
        employee = await current_employee(ctx)
        if employee is None:
            return Finish((ctx.t("summary_not_linked"),))
        ctx.after_commit(partial(summary_effect, employee))
        return Finish()
