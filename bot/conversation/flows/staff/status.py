"""/status: an employee's own progress this year, per indicator (one message, no questions).

Every number is ``kinerja.skp.progress`` of the indicator — the rule /ringkasan, /skor and
the period reports show too: the approved reports of the year added up by the indicator's
agregasi (jumlah the sum, rata-rata the mean, terakhir the latest by work date), the target
expected by now (a jumlah target pro-rated to the share of the year elapsed, a level target
whole), capaian to date against it and its status. What is still waiting for the atasan is
added up by the same rule and shown beside it, never counted.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.conversation.flow import Command, Context, Finish, Outcome
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.ports.indicators import IndicatorInfo, Indicators, ReportedAmounts
from bot.conversation.ports.people import People
from bot.conversation.ports.reports import ReportHistory
from kinerja import skp
from kinerja.numbers import NO_VALUE, format_number, format_percent
from kinerja.periods import period_of


class StatusPorts(People, Indicators, ReportHistory, Protocol):
    """Who is asking, their indicators and reported amounts, and how many rejected reports
    wait to be corrected (/riwayat)."""


Ctx = Context[StatusPorts]


def _amount(ctx: Ctx, value: float | None, satuan: str) -> str:
    """``7 dokumen``, or ``–`` when there is nothing to add up (a level with no report)."""
    return NO_VALUE if value is None else f"{format_number(value, ctx.language)} {satuan}"


def status_line(
    ctx: Ctx, indicator: IndicatorInfo, amounts: ReportedAmounts, elapsed: float
) -> str:
    """One indicator's lines of /status, ``elapsed`` (0..1) of its year gone."""
    agregasi = indicator.agregasi
    done = skp.progress(indicator.target, indicator.arah, agregasi, amounts.approved, elapsed)
    waiting = skp.progress(indicator.target, indicator.arah, agregasi, amounts.pending, elapsed)
    return ctx.t(
        "status_line",
        indikator=indicator.indikator,
        approved=_amount(ctx, done.realisasi, indicator.satuan),
        pending=_amount(ctx, waiting.realisasi, indicator.satuan),
        satuan=indicator.satuan,
        prorated=format_number(done.target_to_date, ctx.language),
        target=format_number(indicator.target, ctx.language),
        capaian=format_percent(done.capaian_to_date, ctx.language),
        status=ctx.t("status." + done.status.value),
    ) + "\n" + agregasi_line(ctx, indicator)


def agregasi_line(ctx: Context[Any], indicator: IndicatorInfo) -> str:
    """How the indicator's reports add up, in words (/status, /skor)."""
    return ctx.t("agregasi_line", agregasi=ctx.t("agregasi." + indicator.agregasi.value))


class StatusFlow(Command[StatusPorts]):
    """/status for a linked chat; an unlinked one is told how to link."""

    name = "status"
    commands = ("status",)

    async def run(self, ctx: Ctx, arg: Any) -> Outcome:
        employee = await current_employee(ctx)
        if employee is None:
            return Finish((ctx.t("not_linked"),))
        tz = ctx.config.timezone
        year = period_of("year", ctx.now, tz)
        tahun = int(year.label)
        indicators = await ctx.store.indicators_of(employee.id, tahun)
        if not indicators:
            return Finish((ctx.t("no_indicators", tahun=tahun),))
        reported = await ctx.store.reported_amounts(employee.id, tahun)
        elapsed = year.elapsed_fraction(ctx.now, tz)
        lines = [ctx.t("status_header", nama=employee.nama, tahun=tahun,
                       elapsed=format_percent(elapsed * 100, ctx.language))]
        lines += [
            status_line(ctx, indicator, reported.get(indicator.id, ReportedAmounts()), elapsed)
            for indicator in indicators
        ]
        rejected = await ctx.store.correctable_count(employee.id, tahun)
        if rejected:
            lines.append(ctx.t("status_rejected", n=rejected))
        return Finish(("\n\n".join(lines),))
