"""/skor: how the current predikat comes about, for oneself or a subordinate.

An employee sees their own score; someone with people below them (direct
subordinates, and with ``review_by_second_level`` theirs) first picks whom —
themselves or one of those, nobody else. For the current triwulan (and the
SKP of its year) the explanation shows, in several messages:

1. per indicator: target, realisasi of the approved reports and capaian
   (:func:`kinerja.skp.progress`, by the indicator's agregasi) and the rating
   that counts (:func:`kinerja.skp.indicator_rating`) — the atasan's override
   with who and when, else the suggestion labelled "saran sistem"; an
   indicator without data does not count;
2. hasil kerja by :func:`kinerja.skp.hasil_kerja_detail` with its counts and
   the utama rule (and when it blocked a di-atas majority);
3. the latest BerAKHLAK ratings (/nilai) and :func:`kinerja.skp.perilaku`;
4. the cell of :data:`kinerja.skp.PREDIKAT_MATRIX` (:func:`kinerja.skp.predikat`).

Items where the employee's self-assessment (/nilaidiri) and the rating differ
by two levels (Di bawah vs Di atas) are marked. The self-assessment's note is
shown only to the employee's direct atasan.

This module also holds the one reading of an indicator's progress that /nilai and
/nilaidiri show too (:func:`progress_of`, :func:`progress_values`), so the three
commands cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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
from bot.conversation.flows.staff.status import agregasi_line
from bot.conversation.ports.indicators import IndicatorInfo, Indicators
from bot.conversation.ports.people import EmployeeInfo, People
from bot.conversation.ports.proposals import TargetChange, TargetChanges
from bot.conversation.ports.ratings import RatingRecord, Ratings, SelfAssessment, SelfAssessments
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Predikat, Rating
from kinerja.numbers import format_number, format_percent
from kinerja.periods import period_of

SELF = "self"
#: hasil kerja is rated on the whole SKP-year target: ``progress.capaian`` (and the
#: suggestion from it) do not depend on the share elapsed, only the to-date figures do,
#: which these commands do not show (/status does)
_WHOLE_YEAR = 1.0


# --- the progress of an indicator, as /skor, /nilai and /nilaidiri show it -----------------


def indicator_progress(
    indicator: IndicatorInfo, amounts: Sequence[skp.ReportedAmount]
) -> skp.Progress:
    """``indicator``'s progress over its approved ``amounts`` (:func:`kinerja.skp.progress`,
    by its agregasi: the targets file's, else inferred from satuan and arah): realisasi in
    its satuan (None for a level indicator without reports: nothing measured yet), capaian
    in percent of the whole target and the rating suggested from it."""
    return skp.progress(indicator.target, indicator.arah, indicator.agregasi, amounts,
                        _WHOLE_YEAR)


async def progress_of(
    store: Indicators, employee_id: int, tahun: int
) -> list[tuple[IndicatorInfo, skp.Progress]]:
    """Every indicator of the employee's SKP of ``tahun`` (utama first) with its
    :func:`indicator_progress`; empty when the employee has no indicators that year."""
    indicators = await store.indicators_of(employee_id, tahun)
    amounts = await store.reported_amounts(employee_id, tahun)
    return [
        (i, indicator_progress(i, amounts[i.id].approved if i.id in amounts else ()))
        for i in indicators
    ]


def progress_values(
    indicator: IndicatorInfo, progress: skp.Progress, language: str
) -> dict[str, str]:
    """The catalog placeholders of one indicator's numbers, formatted by
    :mod:`kinerja.numbers` the one way: ``indikator``, ``satuan``, ``target``, ``approved``
    (the realisasi; ``–`` when none) and ``capaian`` (``97,5%``; ``–`` without data)."""
    return {
        "indikator": indicator.indikator,
        "satuan": indicator.satuan,
        "target": format_number(indicator.target, language),
        "approved": format_number(progress.realisasi, language),
        "capaian": format_percent(progress.capaian, language),
    }


# --- the explanation -------------------------------------------------------------------------


class ScorePorts(People, Indicators, Ratings, SelfAssessments, TargetChanges, Protocol):
    """What /skor reads: who may see whom, the SKP with its approved amounts and target
    history, the atasan's ratings and the self-assessment."""


Ctx = Context[ScorePorts]


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One indicator's part of the score. ``rating`` is what counts
    (:func:`kinerja.skp.indicator_rating`: the override, else the suggestion); ``override``
    the atasan's latest row when it set a rating."""

    indicator: IndicatorInfo
    progress: skp.Progress
    override: RatingRecord | None
    rating: Rating | None
    self_rating: Rating | None
    changes: tuple[TargetChange, ...] = ()

    @property
    def realisasi(self) -> float | None:
        return self.progress.realisasi

    @property
    def capaian(self) -> float | None:
        return self.progress.capaian

    @property
    def suggestion(self) -> Rating | None:
        return self.progress.suggested_rating


@dataclass(frozen=True, slots=True)
class ScoreExplanation:
    """Every number behind a predikat, as computed by :mod:`kinerja.skp`."""

    employee: EmployeeInfo
    period: str
    tahun: int
    indicators: list[IndicatorScore]
    detail: skp.HasilKerjaDetail
    values: dict[str, Rating]
    self_values: dict[str, Rating]
    perilaku: Rating | None
    predikat: Predikat | None
    self_assessment: SelfAssessment | None

    @property
    def hasil(self) -> Rating | None:
        """Overall hasil kerja (None when no indicator counts)."""
        return self.detail.rating

    @property
    def utama_blocked(self) -> bool:
        """A di-atas majority turned into Sesuai by an utama indicator rated di bawah."""
        return self.detail.utama_blocked


def far_apart(a: Rating | None, b: Rating | None) -> bool:
    """Whether two ratings are two levels apart (Di bawah vs Di atas)."""
    return a is not None and b is not None and abs(a.level - b.level) == 2


async def explain(
    store: ScorePorts, employee: EmployeeInfo, period: str, tahun: int
) -> ScoreExplanation:
    """The score of ``employee`` for ``period`` (a triwulan label) over the SKP of ``tahun``.

    Indicators whose rating is unknown (no override and no capaian) are listed but do not
    count in hasil kerja; hasil/perilaku are ``None`` when nothing counts; predikat needs both.
    """
    overrides = await store.indicator_rating_records(period, employee.id)
    own = await store.self_assessment_of(period, employee.id)
    own_ratings = own.ratings if own else {}
    changes = await store.target_changes_of(employee.id, tahun)
    scores: list[IndicatorScore] = []
    for indicator, progress in await progress_of(store, employee.id, tahun):
        record = overrides.get(indicator.id)
        if record is not None and record.rating is None:
            record = None  # withdrawn: back to the suggestion
        rating = skp.indicator_rating(progress.capaian, record.rating if record else None)
        mine = own_ratings.get(f"i:{indicator.id}")
        history = tuple(c for c in changes if c.indicator_id == indicator.id)
        scores.append(IndicatorScore(indicator, progress, record, rating,
                                     Rating(mine) if mine else None, history))
    detail = skp.hasil_kerja_detail([(s.rating, s.indicator.jenis == "utama") for s in scores])
    values = {k: Rating(v) for k, v in (await store.behaviour_of(period, employee.id)).items()}
    self_values = {
        item[2:]: Rating(v) for item, v in own_ratings.items() if item.startswith("v:")
    }
    overall = skp.perilaku(values) if values else None
    cell = skp.predikat(detail.rating, overall) if detail.rating and overall else None
    return ScoreExplanation(employee, period, tahun, scores, detail, values, self_values,
                            overall, cell, own)


def _date(ctx: Context[Any], moment: datetime) -> str:
    return moment.astimezone(ctx.config.timezone).strftime("%d/%m/%Y")


def render(ctx: Context[Any], ex: ScoreExplanation, *, show_note: bool) -> tuple[str, ...]:
    """The explanation as readable messages in ``ctx.language``. ``show_note``: the viewer is
    the employee's direct atasan (the only one who may read the self-assessment's note)."""
    lang = ctx.language

    def label(rating: Rating | None) -> str:
        return ctx.t("rating." + rating.value) if rating else ctx.t("score_unrated")

    out = [ctx.t("score_header", nama=ex.employee.nama, period=ex.period, tahun=ex.tahun)]
    lines = []
    for s in ex.indicators:
        if s.override is not None:
            source = ctx.t("score_by_atasan", atasan=s.override.rater_nama,
                           date=_date(ctx, s.override.at))
        elif s.suggestion is not None:
            source = ctx.t("score_suggested")
        else:
            source = ctx.t("score_no_data")
        line = ctx.t(
            "score_indicator", jenis=s.indicator.jenis, rating=label(s.rating), source=source,
            **progress_values(s.indicator, s.progress, lang),
        ) + "\n" + agregasi_line(ctx, s.indicator)
        for change in s.changes:
            line += "\n" + ctx.t(
                "score_target_change",
                old=format_number(change.old, lang),
                new=format_number(change.new, lang), nama=change.by_nama,
                date=_date(ctx, change.at), reason=change.reason or "-",
            )
        if s.self_rating is not None:
            line += "\n  " + ctx.t("score_self", rating=label(s.self_rating))
            if far_apart(s.self_rating, s.rating):
                line += " " + ctx.t("score_far_apart")
        lines.append(line)
    out.append(ctx.t("score_indicators", lines="\n".join(lines) or ctx.t("score_none")))
    counts = ex.detail.counts
    hasil = ctx.t(
        "score_hasil", atas=counts.get(Rating.DI_ATAS, 0),
        sesuai=counts.get(Rating.SESUAI, 0), bawah=counts.get(Rating.DI_BAWAH, 0),
        n=ex.detail.counted, hasil=label(ex.hasil),
    )
    if ex.utama_blocked:
        hasil += "\n" + ctx.t("score_utama_blocked")
    out.append(hasil)
    value_lines = []
    for key in BERAKHLAK_KEYS:
        line = f"• {BERAKHLAK_NAMES[key]}: {label(ex.values.get(key))}"
        mine = ex.self_values.get(key)
        if mine is not None:
            line += " — " + ctx.t("score_self", rating=label(mine))
            if far_apart(mine, ex.values.get(key)):
                line += " " + ctx.t("score_far_apart")
        value_lines.append(line)
    out.append(ctx.t("score_perilaku", lines="\n".join(value_lines),
                     perilaku=label(ex.perilaku)))
    if ex.predikat is not None:
        out.append(ctx.t("score_predikat", hasil=label(ex.hasil), perilaku=label(ex.perilaku),
                         predikat=ex.predikat.value))
    else:
        out.append(ctx.t("score_predikat_missing"))
    note = ex.self_assessment.note if ex.self_assessment else None
    if show_note and note:
        out.append(ctx.t("score_note", nama=ex.employee.nama, note=note))
    return tuple(out)


async def _show(ctx: Ctx, viewer: EmployeeInfo, employee: EmployeeInfo) -> Outcome:
    period = period_of("quarter", ctx.now, ctx.config.timezone)
    ex = await explain(ctx.store, employee, period.label, period.start.year)
    show_note = employee.atasan_id is not None and employee.atasan_id == viewer.id
    return Finish(render(ctx, ex, show_note=show_note))


class Who(Step[ScorePorts]):
    """Whose score: oneself, or someone this chat's employee may review (checked again at
    the answer, against storage)."""

    name = "who"

    async def prompt(self, ctx: Ctx) -> Prompt:
        below = await ctx.store.reviewable_employees(int(ctx.data["me"]), second_level(ctx))
        options = [Option(SELF, ctx.t("score_self_option"))]
        options += [Option(str(e.id), f"{e.nama} — {e.jabatan}") for e in below]
        return Prompt(ctx.t("score_who"), tuple(options))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        me = await current_employee(ctx)
        if me is None or me.id != ctx.data["me"]:
            return Finish((ctx.t("score_not_allowed"),))
        if answer.value == SELF:
            return await _show(ctx, me, me)
        employee = await ctx.store.employee_by_id(int(answer.value or 0))
        if employee is None or not await ctx.store.may_review(me.id, employee.id,
                                                              second_level(ctx)):
            return Finish((ctx.t("score_not_allowed"),))
        return await _show(ctx, me, employee)


class ScoreFlow(Flow[ScorePorts]):
    """One question (``who``) for people with someone below them; everyone else gets their
    own score at once."""

    name = "score"
    title_key = "flow.score"
    commands = ("skor",)

    def steps(self) -> tuple[Step[ScorePorts], ...]:
        return (Who(),)

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        ctx.data["me"] = me.id
        if not await ctx.store.reviewable_employees(me.id, second_level(ctx)):
            return await _show(ctx, me, me)
        return Goto(Who)
