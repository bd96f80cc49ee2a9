"""Helpers shared by the employee and supervisor flows.

Numbers are read and shown by :mod:`kinerja.numbers` (``2,5`` or ``2.5`` typed;
``1.234,5`` shown in Indonesian, ``1,234.5`` in English).
"""

from __future__ import annotations

from typing import Protocol, cast

from bot.conversation.flow import Context
from bot.conversation.ports.activation import Activation, IntroStore
from bot.conversation.ports.admin import AdminReader
from bot.conversation.ports.indicators import Indicators
from bot.conversation.ports.outbox import OutboxWriter
from bot.conversation.ports.people import EmployeeInfo, People
from bot.conversation.ports.proposals import ProposalStore
from bot.conversation.ports.ratings import Ratings, SelfAssessments
from bot.conversation.ports.reports import Reports


class StaffConversationStore(
    People, Activation, IntroStore, Indicators, Reports, Ratings, SelfAssessments, ProposalStore,
    OutboxWriter, AdminReader, Protocol,
):
    """Interim: every staff port at once, for the flows that do not name their own yet."""


def staff_store(ctx: Context) -> StaffConversationStore:
    """The context's store seen through the staff ports (the application's Store has them)."""
    return cast(StaffConversationStore, ctx.store)


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
