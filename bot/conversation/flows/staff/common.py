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


async def leads_anyone(ctx: Context[People], employee: EmployeeInfo) -> bool:
    """Whether ``employee`` has someone to review and rate (/tinjau, /nilai): a subordinate,
    or with ``review_by_second_level`` one of theirs. The one test of the atasan role for
    what a person is offered (help, the commands after /daftar)."""
    return bool(await ctx.store.reviewable_employees(employee.id, second_level(ctx)))


async def role_commands(ctx: Context[People], employee: EmployeeInfo) -> str:
    """The commands ``employee`` may use, as told after /daftar: the atasan's include
    /tinjau and /nilai, an employee's do not."""
    key = "staff_commands_atasan" if await leads_anyone(ctx, employee) else "staff_commands"
    return ctx.t(key)


async def role_help(ctx: Context[People]) -> str | None:
    """/bantuan for staff: the atasan's help for someone with people to review, the
    employee's help for a linked chat, ``None`` (the engine's citizen help) otherwise."""
    me = await current_employee(ctx)
    if me is None:
        return None
    if await leads_anyone(ctx, me):
        return ctx.t("help_atasan")
    return ctx.t("help_employee")
