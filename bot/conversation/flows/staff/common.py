"""Helpers shared by the employee and supervisor flows.

Numbers are read and shown by :mod:`kinerja.numbers` (``2,5`` or ``2.5`` typed;
``1.234,5`` shown in Indonesian, ``1,234.5`` in English).
"""

from __future__ import annotations

from bot.conversation.flow import Context
from bot.conversation.ports.people import EmployeeInfo, People


async def current_employee(ctx: Context[People]) -> EmployeeInfo | None:
    """The employee this chat is linked to, or ``None``."""
    return await ctx.store.employee_by_chat(ctx.channel, ctx.chat_id)


def second_level(ctx: Context) -> bool:
    """Whether the atasan's atasan may also review and rate (``review_by_second_level``)."""
    return ctx.config.review_by_second_level


async def role_help(ctx: Context[People]) -> str | None:
    """/bantuan for staff: the atasan's help for someone with people to review, the
    employee's help for a linked chat, ``None`` (the engine's citizen help) otherwise."""
    me = await current_employee(ctx)
    if me is None:
        return None
    if await ctx.store.reviewable_employees(me.id, second_level(ctx)):
        return ctx.t("help_atasan")
    return ctx.t("help_employee")
