"""/nilai: the atasan rates a subordinate for the triwulan — behaviour and hasil kerja.

Pick a subordinate (direct ones; with ``review_by_second_level`` also their
subordinates), then each of the seven BerAKHLAK values Di bawah / Sesuai /
Di atas ekspektasi. Berorientasi Pelayanan shows the citizens' mean answers
on the SKM unsur perilaku and kompetensi at service points whose officer is
that employee, this triwulan, with their number — evidence only (skp.md).
All seven are stored together after the last one.

Then (or straight away with ``/nilai hasil``) the hasil kerja per indicator:
target, realisasi of the approved reports this year, capaian and the
suggested rating — all from :func:`kinerja.skp.progress` by the indicator's
agregasi (:func:`bot.conversation.flows.staff.score.progress_of`, what /skor
shows too); the atasan may keep the suggestion or override it per indicator
(Di bawah / Sesuai / Di atas / Pakai saran). Overrides are stored together
after the last indicator.

When the employee has assessed themselves (/nilaidiri) for the triwulan, their
own rating is shown beside each value and indicator; the note only to the
direct atasan (not to the atasan's atasan).

Every save appends rows with who and when (the latest wins, history is
kept). A period closed with ``kinerja close-period`` (for the employee's
unit or for all) refuses any new rating or revision, and nothing is stored.
Authorization and closure are checked when the subordinate is picked and
again at every save.

Steps: ``who``; ``value:<BerAKHLAK key>``; ``results`` (the hasil kerja summary);
``indicator:<indicator id>``. ``ctx.data``: the rater, the period, the subordinate, the
ratings given so far (version 2).
"""

from __future__ import annotations

from dataclasses import dataclass
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
    Step,
)
from bot.conversation.flows.staff.common import current_employee, second_level
from bot.conversation.flows.staff.score import progress_of, progress_values
from bot.conversation.ports.indicators import IndicatorInfo, Indicators
from bot.conversation.ports.people import EmployeeInfo, People
from bot.conversation.ports.ratings import Ratings, SelfAssessments
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Rating
from kinerja.numbers import format_index
from kinerja.periods import period_of

SERVICE_KEY = "berorientasi_pelayanan"
USE_SUGGESTION = "saran"
RESULTS_ARGS = ("hasil", "hk", "results")


class RatingPorts(People, Indicators, Ratings, SelfAssessments, Protocol):
    """What /nilai reads and writes: whom the rater may rate, the SKP with its approved
    amounts, the ratings of the period (and whether it is closed), the self-assessment."""


Ctx = Context[RatingPorts]


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator as /nilai shows it: its progress and the atasan's latest override."""

    indicator: IndicatorInfo
    progress: skp.Progress
    override: str | None


async def _rows(ctx: Ctx) -> list[IndicatorRow]:
    """The subordinate's indicators with their progress and the latest override."""
    data = ctx.data
    employee_id = int(data["employee_id"])
    overrides = await ctx.store.indicator_ratings_of(str(data["period"]), employee_id)
    return [
        IndicatorRow(indicator, progress, overrides.get(indicator.id))
        for indicator, progress in await progress_of(ctx.store, employee_id, int(data["tahun"]))
    ]


def _values(ctx: Ctx, row: IndicatorRow) -> dict[str, str]:
    suggestion = row.progress.suggested_rating
    return {
        **progress_values(row.indicator, row.progress, ctx.language),
        "saran": ctx.t("rating." + suggestion) if suggestion else ctx.t("hk_no_suggestion"),
    }


def _line(ctx: Ctx, row: IndicatorRow) -> str:
    line = ctx.t("hk_line", **_values(ctx, row))
    if row.override:
        line += ctx.t("hk_override", rating=ctx.t("rating." + row.override))
    return line


def _self_line(ctx: Ctx, item: str) -> list[str]:
    """The employee's own rating of ``item`` (/nilaidiri), shown beside the question."""
    mine = (ctx.data.get("self") or {}).get(item)
    return [ctx.t("rating_self", rating=ctx.t("rating." + mine))] if mine else []


async def _citizens(ctx: Ctx) -> str:
    tz = ctx.config.timezone
    start, end = period_of("quarter", ctx.now, tz).bounds(tz)
    score = await ctx.store.officer_score(str(ctx.data["nip"]), start, end)
    if score.n == 0:
        return ctx.t("rating_citizens_none")
    return ctx.t(
        "rating_citizens",
        perilaku=format_index(score.perilaku, ctx.language),
        kompetensi=format_index(score.kompetensi, ctx.language),
        n=score.n,
    )


async def _allowed(ctx: Ctx, employee_id: int) -> tuple[EmployeeInfo | None, str]:
    """The employee when this chat may still rate them now, else ``None`` and the reason."""
    me = await current_employee(ctx)
    employee = await ctx.store.employee_by_id(employee_id)
    if (
        me is None
        or me.id != ctx.data["me"]
        or employee is None
        or not await ctx.store.may_review(me.id, employee.id, second_level(ctx))
    ):
        return None, ctx.t("rating_not_allowed")
    if await ctx.store.period_closed(str(ctx.data["period"]), employee.unit_id):
        return None, ctx.t("period_closed", period=ctx.data["period"], nama=employee.nama)
    return employee, ""


async def _results_or_finish(ctx: Ctx, say: tuple[str, ...]) -> Outcome:
    if await _rows(ctx):
        return Goto(Results, say)
    none = ctx.t("hk_none", nama=ctx.data["nama"], tahun=ctx.data["tahun"])
    return Finish((*say, none))


class Who(Step[RatingPorts]):
    """The subordinate to rate (authorization and closure checked on the answer)."""

    name = "who"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        employees = await ctx.store.reviewable_employees(int(data["me"]), second_level(ctx))
        return Prompt(
            ctx.t("rating_who_results" if data.get("only_results") else "rating_who",
                  period=data["period"]),
            tuple(Option(str(e.id), f"{e.nama} — {e.jabatan}") for e in employees),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        data = ctx.data
        employee, reason = await _allowed(ctx, int(answer.value or 0))
        if employee is None:
            return Finish((reason,))
        previous = await ctx.store.behaviour_of(str(data["period"]), employee.id)
        data.update(employee_id=employee.id, nama=employee.nama, nip=employee.nip,
                    previous=previous)
        own = await ctx.store.self_assessment_of(str(data["period"]), employee.id)
        data["self"] = own.ratings if own else {}
        say: tuple[str, ...] = ()
        if own is not None:
            say = (ctx.t("rating_self_given", nama=employee.nama),)
            if own.note and employee.atasan_id == data["me"]:  # the note: direct atasan only
                say += (ctx.t("score_note", nama=employee.nama, note=own.note),)
        if data.get("only_results"):
            return await _results_or_finish(ctx, say)
        return Goto(Value, say, arg=BERAKHLAK_KEYS[0])


class Value(Step[RatingPorts]):
    """One BerAKHLAK value (``ctx.arg`` is its key); the seven are saved after the last."""

    name = "value"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        key = ctx.arg or ""
        lines = [ctx.t("rating_value", i=BERAKHLAK_KEYS.index(key) + 1,
                       value=BERAKHLAK_NAMES[key], nama=data["nama"], period=data["period"])]
        previous = data.get("previous", {}).get(key)
        if previous:
            lines.append(ctx.t("rating_previous", rating=ctx.t("rating." + previous)))
        if key == SERVICE_KEY:
            lines.append(await _citizens(ctx))
        lines += _self_line(ctx, "v:" + key)
        return Prompt(
            "\n".join(lines),
            tuple(Option(r.value, ctx.t("rating." + r.value)) for r in Rating),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        key = ctx.arg or ""
        ctx.data["ratings"][key] = Rating(answer.value or "").value
        index = BERAKHLAK_KEYS.index(key)
        if index + 1 < len(BERAKHLAK_KEYS):
            return Goto(Value, arg=BERAKHLAK_KEYS[index + 1])
        return await _save_behaviour(ctx)


class Results(Step[RatingPorts]):
    """The hasil kerja of every indicator with its suggestion: change them, or keep them."""

    name = "results"

    async def prompt(self, ctx: Ctx) -> Prompt:
        lines = [_line(ctx, row) for row in await _rows(ctx)]
        return Prompt(
            ctx.t("hk_summary", nama=ctx.data["nama"], period=ctx.data["period"],
                  lines="\n".join(lines)),
            (Option("edit", ctx.t("hk_edit")), Option("done", ctx.t("hk_done"))),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value != "edit":
            return Finish((ctx.t("hk_kept"),))
        rows = await _rows(ctx)
        return Goto(IndicatorRating, arg=str(rows[0].indicator.id))


class IndicatorRating(Step[RatingPorts]):
    """One indicator's hasil kerja (``ctx.arg`` is its id): a rating, or the suggestion."""

    name = "indicator"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        rows = await _rows(ctx)
        index = next(n for n, row in enumerate(rows) if str(row.indicator.id) == ctx.arg)
        row = rows[index]
        text = ctx.t("hk_item", i=index + 1, n=len(rows), nama=data["nama"],
                     period=data["period"], **_values(ctx, row))
        if row.override:
            text += "\n" + ctx.t("hk_current", rating=ctx.t("rating." + row.override))
        text = "\n".join([text, *_self_line(ctx, f"i:{ctx.arg}")])
        options = [Option(r.value, ctx.t("rating_short." + r.value)) for r in Rating]
        options.append(Option(USE_SUGGESTION, ctx.t("hk_use_suggestion")))
        return Prompt(text, tuple(options))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        value = answer.value or ""
        ctx.data["hk"][ctx.arg] = None if value == USE_SUGGESTION else Rating(value).value
        rows = await _rows(ctx)
        ids = [str(row.indicator.id) for row in rows]
        position = ids.index(ctx.arg or "")
        if position + 1 < len(ids):
            return Goto(IndicatorRating, arg=ids[position + 1])
        return await _save_results(ctx, rows)


async def _save_behaviour(ctx: Ctx) -> Outcome:
    data = ctx.data
    employee, reason = await _allowed(ctx, int(data["employee_id"]))
    if employee is None:
        return Finish((reason,))
    await ctx.store.rate_behaviour(str(data["period"]), employee.id, int(data["me"]),
                                   dict(data["ratings"]), ctx.now)
    summary = "\n".join(
        f"• {BERAKHLAK_NAMES[k]}: {ctx.t('rating.' + data['ratings'][k])}"
        for k in BERAKHLAK_KEYS
    )
    saved = ctx.t("rating_saved", nama=employee.nama, period=data["period"], lines=summary)
    return await _results_or_finish(ctx, (saved,))


async def _save_results(ctx: Ctx, rows: list[IndicatorRow]) -> Outcome:
    data = ctx.data
    employee, reason = await _allowed(ctx, int(data["employee_id"]))
    if employee is None:
        return Finish((reason,))
    chosen: dict[int, str | None] = {int(k): v for k, v in data["hk"].items()}
    await ctx.store.rate_indicators(str(data["period"]), int(data["me"]), chosen, ctx.now)
    lines = []
    for row in rows:
        given = chosen.get(row.indicator.id)
        counts = skp.indicator_rating(row.progress.capaian, given)
        if given:
            label = ctx.t("rating." + given)
        elif counts is not None:
            label = ctx.t("hk_suggested", rating=ctx.t("rating." + counts))
        else:
            label = ctx.t("hk_no_suggestion")
        lines.append(ctx.t("hk_saved_line", indikator=row.indicator.indikator, rating=label))
    return Finish((ctx.t("hk_saved", nama=employee.nama, period=data["period"],
                         lines="\n".join(lines)),))


class RatingFlow(Flow[RatingPorts]):
    """The atasan's ratings of one subordinate; ``/nilai hasil`` goes straight to hasil kerja."""

    name = "rating"
    title_key = "flow.rating"
    version = 2  # v1 named the steps "v:<key>", "hk", "i:<id>"
    commands = ("nilai",)

    def steps(self) -> tuple[Step[RatingPorts], ...]:
        return (Who(), Value(), Results(), IndicatorRating())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        if not await ctx.store.reviewable_employees(me.id, second_level(ctx)):
            return Finish((ctx.t("rating_no_subordinates"),))
        period = period_of("quarter", ctx.now, ctx.config.timezone)
        only_results = isinstance(arg, str) and arg.strip().casefold() in RESULTS_ARGS
        ctx.data.update(me=me.id, period=period.label, tahun=period.start.year, ratings={},
                        hk={}, only_results=only_results)
        return Goto(Who)

    def at_stake(self, ctx: Ctx) -> str | None:
        given = len(ctx.data.get("ratings") or {}) + len(ctx.data.get("hk") or {})
        return ctx.t("rating_at_stake", n=given) if given else None
