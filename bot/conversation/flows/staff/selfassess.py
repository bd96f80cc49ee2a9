"""/nilaidiri: an employee rates their own work for the current triwulan.

One question per indicator of the SKP year (target, realisasi of the approved
reports and capaian shown, as /skor and /nilai show them:
:func:`bot.conversation.flows.staff.score.progress_of`; Di bawah / Sesuai /
Di atas), then one per BerAKHLAK value, then an optional note (≤ 300
characters, or Lewati) that only the direct atasan will read. Everything is
stored together at the end as a new self-assessment (history kept, the latest
wins). A closed period refuses, and nothing is stored. The atasan sees it
beside each item in /nilai; /skor marks items two levels apart from the
atasan's rating.

Steps: ``item:<item>`` for each item of ``ctx.data['items']`` (``i:<indicator id>``, then
``v:<BerAKHLAK key>``: the keys the self-assessment is stored under), then ``note``
(version 2).
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.conversation.flow import (
    Answer,
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
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.flows.staff.score import progress_of, progress_values
from bot.conversation.ports.indicators import Indicators
from bot.conversation.ports.people import People
from bot.conversation.ports.ratings import PeriodClosures, SelfAssessments
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Rating
from kinerja.periods import period_of

NOTE_MAX = 300
SKIP = "skip"


class SelfAssessPorts(People, Indicators, PeriodClosures, SelfAssessments, Protocol):
    """What /nilaidiri reads and writes: who is behind the chat, their SKP with its approved
    amounts, whether the period is open, the self-assessments."""


Ctx = Context[SelfAssessPorts]


def _closed(ctx: Ctx, period: str, nama: str) -> Finish:
    return Finish((ctx.t("period_closed", period=period, nama=nama),))


class Item(Step[SelfAssessPorts]):
    """One item (``ctx.arg``: ``i:<indicator id>`` or ``v:<BerAKHLAK key>``), rated on the
    three levels."""

    name = "item"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        item = ctx.arg or ""
        position = data["items"].index(item) + 1
        total = len(data["items"])
        if item.startswith("i:"):
            found = {
                str(indicator.id): (indicator, progress)
                for indicator, progress in await progress_of(ctx.store, int(data["me"]),
                                                             int(data["tahun"]))
            }
            indicator, progress = found[item[2:]]
            text = ctx.t("selfassess_indicator", i=position, n=total,
                         **progress_values(indicator, progress, ctx.language))
        else:
            text = ctx.t("selfassess_value", i=position, n=total,
                         value=BERAKHLAK_NAMES[item[2:]])
        return Prompt(text, tuple(Option(r.value, ctx.t("rating_short." + r.value))
                                  for r in Rating))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        item = ctx.arg or ""
        items = ctx.data["items"]
        ctx.data["ratings"][item] = Rating(answer.value or "").value
        index = items.index(item)
        return Goto(Item, arg=items[index + 1]) if index + 1 < len(items) else Goto(Note)


class Note(Step[SelfAssessPorts]):
    """The optional note for the direct atasan; then everything is stored."""

    name = "note"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t("selfassess_note", max=NOTE_MAX),
                      (Option(SKIP, ctx.t("skip_short")),), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        note = None
        if answer.value != SKIP:
            note = (answer.text or "").strip() or None
            if note is not None and len(note) > NOTE_MAX:
                return Retry(ctx.t("description_too_long", n=len(note), max=NOTE_MAX))
        return await _save(ctx, note)


async def _save(ctx: Ctx, note: str | None) -> Outcome:
    data = ctx.data
    me = await current_employee(ctx)
    if me is None or me.id != data["me"]:
        return Finish((ctx.t("not_linked"),))
    if await ctx.store.period_closed(str(data["period"]), me.unit_id):
        return _closed(ctx, str(data["period"]), me.nama)
    await ctx.store.save_self_assessment(me.id, str(data["period"]), dict(data["ratings"]),
                                         note, ctx.now)
    return Finish((ctx.t("selfassess_saved", period=data["period"]),))


class SelfAssessFlow(Flow[SelfAssessPorts]):
    """The employee's self-assessment of the running triwulan."""

    name = "selfassess"
    title_key = "flow.selfassess"
    version = 2  # v1 named the steps "q:i:<id>", "q:v:<key>"
    commands = ("nilaidiri",)

    def steps(self) -> tuple[Step[SelfAssessPorts], ...]:
        return (Item(), Note())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        period = period_of("quarter", ctx.now, ctx.config.timezone)
        if await ctx.store.period_closed(period.label, me.unit_id):
            return _closed(ctx, period.label, me.nama)
        indicators = await ctx.store.indicators_of(me.id, period.start.year)
        items = [f"i:{i.id}" for i in indicators] + [f"v:{k}" for k in BERAKHLAK_KEYS]
        ctx.data.update(me=me.id, period=period.label, tahun=period.start.year, items=items,
                        ratings={})
        intro = ctx.t("selfassess_intro", period=period.label, n=len(items))
        return Goto(Item, (intro,), arg=items[0])

    def at_stake(self, ctx: Ctx) -> str | None:
        given = len(ctx.data.get("ratings") or {})
        if not given:
            return None
        return ctx.t("selfassess_at_stake", n=given, total=len(ctx.data.get("items") or ()))
