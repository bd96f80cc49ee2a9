"""/ikuti and /berhenti: a citizen follows a unit's published results, and stops.

Reached from /menu ("Ikuti hasil survei unit") or by typing /ikuti — never offered inside the
survey, so that following cannot be tied to a response. The follow is kept in its own table
(``follows``: the chat, the unit, the language, the date — no finer time, no reference to any
response). Following shows at once the result of the SKM period that ended last; after
that, each period ``bot.jobs.follows`` pushes the unit's published IKM, mutu, weakest
unsur and RTL with status in the follower's language; /berhenti ends every follow of the chat.

Steps: ``unit``. ``ctx.data``: nothing kept beyond the choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.flow import (
    Answer,
    Command,
    Context,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Prompt,
    Retry,
    Step,
)
from bot.conversation.ports.organisation import OrganisationReader
from bot.conversation.ports.rtl import FollowStore, RtlItem, RtlReader
from bot.conversation.ports.survey import SurveyStore
from kinerja.models import UNSUR_NAMES, SkmScore
from kinerja.numbers import format_index
from kinerja.periods import Period, period_of
from kinerja.skm import score_from_sums


class FollowPorts(OrganisationReader, FollowStore, SurveyStore, RtlReader, Protocol):
    """The units to follow, the follows, and what a unit has published (its answers' sums,
    its RTL)."""


Ctx = Context[FollowPorts]


def follow_text(unit_name: str, period: Period, score: SkmScore, items: list[RtlItem],
                language: str, min_responses: int) -> str:
    """The message of one unit and period in ``language``."""
    def t(key: str, **values: object) -> str:
        return texts.text(language, key, **values)

    def unsur(key: str) -> str:
        return texts.label(language, f"n.{key}", UNSUR_NAMES[key])

    if score.n >= min_responses and score.ikm is not None and score.mutu is not None:
        head = t("follow_period", unit=unit_name, period=period.label,
                 ikm=format_index(score.ikm, language), mutu=score.mutu.value,
                 kinerja=score.kinerja, n=score.n,
                 weakest=unsur(score.weakest) if score.weakest else "–")
    else:
        head = t("follow_period_few", unit=unit_name, period=period.label)
    lines = [head, "", t("follow_rtl_heading") if items else t("follow_rtl_none")]
    lines += [t("follow_rtl_line", unsur=unsur(i.unsur), action=i.action,
                status=t(f"rtl_status_{i.status}"), progress=i.progress,
                late=t("rtl_late") if i.late else "") for i in items]
    return "\n".join([*lines, "", t("follow_footer")])


async def latest_result(store: FollowPorts, unit_id: int, unit_name: str, period: Period,
                        tz: ZoneInfo, today: date, language: str, min_responses: int) -> str:
    """:func:`follow_text` of ``unit_id`` for ``period``: the published result (aggregates
    only) and the RTL of the period and older ones not done."""
    start, end = period.bounds(tz)
    sums = await store.unit_answer_sums(unit_id, start, end)
    score = score_from_sums(sums.sums, sums.counts, sums.n)
    items = [i for i in await store.rtl_items(unit_id, today=today)
             if i.period == period.label or i.status != "selesai"]
    return follow_text(unit_name, period, score, items, language, min_responses)



class ChooseUnit(Step[FollowPorts]):
    name = "unit"

    async def prompt(self, ctx: Ctx) -> Prompt:
        units = await ctx.store.units_with_points()
        return Prompt(ctx.t("follow_choose_unit"),
                      tuple(Option(str(u.id), u.name) for u in units))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        unit = next((u for u in await ctx.store.units_with_points()
                     if str(u.id) == answer.value), None)
        if unit is None:
            return Retry(ctx.t("rtl_pick"))
        new = await ctx.store.follow_unit(ctx.channel, ctx.chat_id, unit.id, ctx.language,
                                          ctx.local_now.date())
        if not new:
            return Finish((ctx.t("follow_already", unit=unit.name),))
        tz = ctx.config.timezone
        ended = period_of(ctx.config.skm_period, ctx.now, tz).previous()  # type: ignore[arg-type]
        latest = await latest_result(ctx.store, unit.id, unit.name, ended, tz,
                                     ctx.local_now.date(), ctx.language,
                                     ctx.config.public_ikm_min_responses)
        return Finish((ctx.t("follow_done", unit=unit.name), latest))


class FollowFlow(Flow[FollowPorts]):
    """Choose a unit to follow."""

    name = "follow"
    title_key = "flow.follow"
    commands = ("ikuti",)

    def steps(self) -> tuple[Step[FollowPorts], ...]:
        return (ChooseUnit(),)

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        if not await ctx.store.units_with_points():
            return Finish((ctx.t("no_units"),))
        return Goto(ChooseUnit)


class UnfollowFlow(Command[FollowStore]):
    """/berhenti: end every follow of this chat."""

    name = "unfollow"
    commands = ("berhenti",)

    async def run(self, ctx: Context[FollowStore], arg: Any) -> Outcome:
        ended = await ctx.store.unfollow(ctx.channel, ctx.chat_id)
        return Finish((ctx.t("follow_stopped", n=ended) if ended else ctx.t("follow_none"),))
