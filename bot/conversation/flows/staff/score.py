"""/skor: how the current predikat comes about, for oneself or a subordinate.

An employee sees their own score; someone with people below them (direct
subordinates, and with ``review_by_second_level`` theirs) first picks whom —
themselves or one of those, nobody else. For the current triwulan (and the
SKP of its year) the explanation shows, in several messages:

1. per indicator: target, realisasi (approved only), capaian
   (:func:`kinerja.skp.capaian`) and the rating that counts — the atasan's
   override with who and when, else :func:`kinerja.skp.suggest_rating`
   labelled "saran sistem"; an indicator without data does not count;
2. hasil kerja by :func:`kinerja.skp.hasil_kerja` with the counts and the
   utama rule (and when it blocked a di-atas majority);
3. the latest BerAKHLAK ratings (/nilai) and :func:`kinerja.skp.perilaku`;
4. the cell of :data:`kinerja.skp.PREDIKAT_MATRIX` (:func:`kinerja.skp.predikat`).

Items where the employee's self-assessment (/nilaidiri) and the rating differ
by two levels (Di bawah vs Di atas) are marked. The self-assessment's note is
shown only to the employee's direct atasan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.conversation.flow import Answer, Context, Finish, Flow, Goto, Option, Outcome, Prompt
from bot.conversation.flows.staff.common import (
    StaffConversationStore,
    current_employee,
    second_level,
    staff_store,
)
from bot.conversation.ports.indicators import IndicatorInfo, Realisasi
from bot.conversation.ports.people import EmployeeInfo
from bot.conversation.ports.proposals import TargetChange
from bot.conversation.ports.ratings import RatingRecord, SelfAssessment
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Predikat, Rating
from kinerja.numbers import format_number
from kinerja.periods import period_of

SELF = "self"


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One indicator's part of the score. ``rating`` is what counts (override or suggestion);
    ``override`` the atasan's latest row when it set a rating."""

    indicator: IndicatorInfo
    approved: float
    capaian: float | None
    suggestion: Rating | None
    override: RatingRecord | None
    rating: Rating | None
    self_rating: Rating | None
    changes: tuple[TargetChange, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreExplanation:
    """Every number behind a predikat, as computed by :mod:`kinerja.skp`."""

    employee: EmployeeInfo
    period: str
    tahun: int
    indicators: list[IndicatorScore]
    hasil: Rating | None
    utama_blocked: bool
    values: dict[str, Rating]
    self_values: dict[str, Rating]
    perilaku: Rating | None
    predikat: Predikat | None
    self_assessment: SelfAssessment | None
    counts: dict[Rating, int] = field(default_factory=dict)


def far_apart(a: Rating | None, b: Rating | None) -> bool:
    """Whether two ratings are two levels apart (Di bawah vs Di atas)."""
    return a is not None and b is not None and abs(a.level - b.level) == 2


async def explain(
    store: StaffConversationStore, employee: EmployeeInfo, period: str, tahun: int
) -> ScoreExplanation:
    """The score of ``employee`` for ``period`` (a triwulan label) over the SKP of ``tahun``.

    Indicators whose rating is unknown (no override and capaian None) are listed but do not
    count in hasil kerja; hasil/perilaku are ``None`` when nothing counts; predikat needs both.
    """
    indicators = await store.indicators_of(employee.id, tahun)
    sums = await store.realisasi_of(employee.id, tahun)
    overrides = await store.indicator_rating_records(period, employee.id)
    own = await store.self_assessment_of(period, employee.id)
    own_ratings = own.ratings if own else {}
    changes = await store.target_changes_of(employee.id, tahun)
    scores: list[IndicatorScore] = []
    for indicator in indicators:
        approved = sums.get(indicator.id, Realisasi()).approved
        capaian = skp.capaian(indicator.target, approved, indicator.arah)
        suggestion = skp.suggest_rating(capaian)
        record = overrides.get(indicator.id)
        if record is not None and record.rating is None:
            record = None  # withdrawn: back to the suggestion
        rating = Rating(record.rating) if record and record.rating else suggestion
        mine = own_ratings.get(f"i:{indicator.id}")
        history = tuple(c for c in changes if c.indicator_id == indicator.id)
        scores.append(IndicatorScore(indicator, approved, capaian, suggestion, record, rating,
                                     Rating(mine) if mine else None, history))
    counted = [(s.rating, s.indicator.jenis == "utama") for s in scores if s.rating is not None]
    hasil = skp.hasil_kerja(counted) if counted else None
    counts = {r: sum(1 for rating, _ in counted if rating is r) for r in Rating}
    blocked = hasil is Rating.SESUAI and counts[Rating.DI_ATAS] * 2 > len(counted)
    values = {k: Rating(v) for k, v in (await store.behaviour_of(period, employee.id)).items()}
    self_values = {
        item[2:]: Rating(v) for item, v in own_ratings.items() if item.startswith("v:")
    }
    overall = skp.perilaku(values) if values else None
    cell = skp.predikat(hasil, overall) if hasil and overall else None
    return ScoreExplanation(employee, period, tahun, scores, hasil, blocked, values, self_values,
                            overall, cell, own, counts)


def _date(ctx: Context, moment: datetime) -> str:
    return moment.astimezone(ctx.config.timezone).strftime("%d/%m/%Y")


def render(ctx: Context, ex: ScoreExplanation, *, show_note: bool) -> tuple[str, ...]:
    """The explanation as readable messages in ``ctx.language``. ``show_note``: the viewer is
    the employee's direct atasan (the only one who may read the self-assessment's note)."""
    lang = ctx.language

    def label(rating: Rating | None) -> str:
        return ctx.t("rating." + rating.value) if rating else ctx.t("score_unrated")

    out = [ctx.t("score_header", nama=ex.employee.nama, period=ex.period, tahun=ex.tahun)]
    lines = []
    for s in ex.indicators:
        i = s.indicator
        if s.override is not None:
            source = ctx.t("score_by_atasan", atasan=s.override.rater_nama,
                           date=_date(ctx, s.override.at))
        elif s.suggestion is not None:
            source = ctx.t("score_suggested")
        else:
            source = ctx.t("score_no_data")
        line = ctx.t(
            "score_indicator", indikator=i.indikator, jenis=i.jenis,
            target=format_number(i.target, lang), satuan=i.satuan,
            approved=format_number(s.approved, lang),
            capaian=format_number(s.capaian, lang, 1),
            rating=label(s.rating), source=source,
        )
        for change in s.changes:
            line += "\n" + ctx.t(
                "score_target_change",
                old=format_number(change.old, lang),
                new=format_number(change.new, lang), nama=change.by_nama,
                date=_date(ctx, change.at), reason=change.reason or "-",
            )
        if s.self_rating is not None:
            line += "\n" + ctx.t("score_self", rating=label(s.self_rating))
            if far_apart(s.self_rating, s.rating):
                line += " " + ctx.t("score_far_apart")
        lines.append(line)
    out.append(ctx.t("score_indicators", lines="\n".join(lines) or ctx.t("score_none")))
    counted = sum(ex.counts.values())
    hasil = ctx.t(
        "score_hasil", atas=ex.counts.get(Rating.DI_ATAS, 0),
        sesuai=ex.counts.get(Rating.SESUAI, 0), bawah=ex.counts.get(Rating.DI_BAWAH, 0),
        n=counted, hasil=label(ex.hasil),
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


class ScoreFlow(Flow):
    """Steps: ``who`` (only for people with someone below them)."""

    name = "score"
    title_key = "flow.score"
    commands = ("skor",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        ctx.data["me"] = me.id
        if not await staff_store(ctx).reviewable_employees(me.id, second_level(ctx)):
            return await self._show(ctx, me, me)
        return Goto("who")

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        if step == "who":
            below = await staff_store(ctx).reviewable_employees(int(ctx.data["me"]),
                                                                second_level(ctx))
            options = [Option(SELF, ctx.t("score_self_option"))]
            options += [Option(str(e.id), f"{e.nama} — {e.jabatan}") for e in below]
            return Prompt(ctx.t("score_who"), tuple(options))
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        if step != "who":
            raise KeyError(step)
        store = staff_store(ctx)
        me = await current_employee(ctx)
        if me is None or me.id != ctx.data["me"]:
            return Finish((ctx.t("score_not_allowed"),))
        if answer.value == SELF:
            return await self._show(ctx, me, me)
        employee = await store.employee_by_id(int(answer.value or 0))
        if employee is None or not await store.may_review(me.id, employee.id, second_level(ctx)):
            return Finish((ctx.t("score_not_allowed"),))
        return await self._show(ctx, me, employee)

    async def _show(self, ctx: Context, viewer: EmployeeInfo, employee: EmployeeInfo) -> Outcome:
        period = period_of("quarter", ctx.now, ctx.config.timezone)
        ex = await explain(staff_store(ctx), employee, period.label, period.start.year)
        show_note = employee.atasan_id is not None and employee.atasan_id == viewer.id
        return Finish(render(ctx, ex, show_note=show_note))
