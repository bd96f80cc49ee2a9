"""Helpers shared by the employee and supervisor flows.

Numbers are typed the Indonesian way (``2,5``) or the English way (``2.5``);
they are shown with a decimal comma in Indonesian and a point in English.
"""

from __future__ import annotations

import math
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
from bot.conversation.ports.summary import SummaryStore


class StaffConversationStore(
    People, Activation, IntroStore, Indicators, Reports, Ratings, SelfAssessments, ProposalStore,
    OutboxWriter, AdminReader, Protocol,
):
    """Interim: every staff port at once, for the flows that do not name their own yet."""


class SummaryConversationStore(StaffConversationStore, SummaryStore, Protocol):
    """Interim: what /ringkasan uses."""


def staff_store(ctx: Context) -> StaffConversationStore:
    """The context's store seen through the staff ports (the application's Store has them)."""
    return cast(StaffConversationStore, ctx.store)


async def current_employee(ctx: Context) -> EmployeeInfo | None:
    """The employee this chat is linked to, or ``None``."""
    return await staff_store(ctx).employee_by_chat(ctx.channel, ctx.chat_id)


def second_level(ctx: Context) -> bool:
    """Whether the atasan's atasan may also review and rate (``review_by_second_level``)."""
    return ctx.config.review_by_second_level


def parse_number(text: str) -> float:
    """A decimal typed as ``2,5``, ``2.5``, ``1.000,5`` or ``1,000.5``.

    Raises ``ValueError`` for anything that is not a finite number.
    """
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def fmt_number(value: float | None, language: str = "id", decimals: int = 2) -> str:
    """``2.5`` → ``2,5`` (id) / ``2.5`` (en); whole numbers without decimals; None → ``-``."""
    if value is None:
        return "-"
    rounded = round(value, decimals)
    text = str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "id" else text


async def role_help(ctx: Context) -> str | None:
    """/bantuan for staff: the atasan's help for someone with people to review, the
    employee's help for a linked chat, ``None`` (the engine's citizen help) otherwise."""
    me = await current_employee(ctx)
    if me is None:
        return None
    if await staff_store(ctx).reviewable_employees(me.id, second_level(ctx)):
        return ctx.t("help_atasan")
    return ctx.t("help_employee")
