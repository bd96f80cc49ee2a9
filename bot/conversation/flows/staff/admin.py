"""/admin: counts for the chats listed in ``admin_chat_ids`` (``"channel:chat_id"``).

Any other chat — linked employee or not — is refused with a clear message;
nothing is read or stored for it.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.flow import Command, Context, Finish, Outcome
from bot.conversation.ports.admin import AdminReader


def is_admin_chat(ctx: Context[object]) -> bool:
    """Whether this chat is one of the configured admin chats."""
    return f"{ctx.channel}:{ctx.chat_id}" in ctx.config.admin_chat_ids


class AdminFlow(Command[AdminReader]):
    """The counts an administrator checks: units, points, employees, reports waiting."""

    name = "admin"
    commands = ("admin",)

    async def run(self, ctx: Context[AdminReader], arg: Any) -> Outcome:
        if not is_admin_chat(ctx):
            return Finish((ctx.t("admin_only"),))
        counts = await ctx.store.admin_counts()
        return Finish((ctx.t("admin_counts", units=counts.units, points=counts.points,
                             employees=counts.employees, pending=counts.pending_reports),))
