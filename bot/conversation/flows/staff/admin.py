"""/admin: counts for the chats listed in ``admin_chat_ids`` (``"channel:chat_id"``).

Any other chat — linked employee or not — is refused with a clear message;
nothing is read or stored for it.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.flow import Answer, Context, Finish, Flow, Outcome, Prompt
from bot.conversation.flows.staff.common import staff_store


def is_admin_chat(ctx: Context) -> bool:
    return f"{ctx.channel}:{ctx.chat_id}" in ctx.config.admin_chat_ids


class AdminFlow(Flow):
    name = "admin"
    commands = ("admin",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        if not is_admin_chat(ctx):
            return Finish((ctx.t("admin_only"),))
        counts = await staff_store(ctx).admin_counts()
        return Finish((ctx.t("admin_counts", units=counts.units, points=counts.points,
                             employees=counts.employees, pending=counts.pending_reports),))

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        raise KeyError(step)
