"""/riwayat: an employee's own reports of the year, with their status and what the atasan
said (a rejection's reason, comments) — and a rejected report corrected and sent again.

One message lists the latest reports (newest first, at most :data:`SHOWN`). When some are
rejected and not corrected yet, a question follows: pick one to correct (the report flow
opens on it with its fields filled in, "Ubah" to change any, "Kirim" to send it as a new
version; the rejected one is kept as it was) or "Selesai".
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
    Step,
    Switch,
)
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.flows.staff.report import REVISE, ReportFlow
from bot.conversation.ports.people import People
from bot.conversation.ports.reports import ReportEntry, ReportHistory
from kinerja.numbers import format_number

#: how many reports one /riwayat shows
SHOWN = 10
DONE = "done"


class HistoryPorts(People, ReportHistory, Protocol):
    """Who is asking, and their reports with the decisions on them."""


Ctx = Context[HistoryPorts]


def entry_lines(ctx: Ctx, entry: ReportEntry) -> str:
    """One report as the history shows it: date, indicator, amount, status, then each
    decision or comment with who wrote it."""
    r = entry.report
    status = ctx.t("report_status." + r.status)
    if entry.revised_by_id is not None:
        status += " " + ctx.t("history_corrected")
    elif entry.revises_id is not None:
        status += " " + ctx.t("history_correction")
    line = ctx.t("history_line", date=r.work_date.strftime("%d/%m/%Y"), indikator=r.indikator,
                 amount=format_number(r.amount, ctx.language), satuan=r.satuan, status=status)
    for d in entry.decisions:
        values = {"nama": d.by_nama, "action": ctx.t("history_action." + d.action),
                  "date": d.at.astimezone(ctx.config.timezone).strftime("%d/%m/%Y")}
        if d.text:
            line += "\n" + ctx.t("history_decision", text=d.text, **values)
        else:
            line += "\n" + ctx.t("history_decision_plain", **values)
    return line


class Correct(Step[HistoryPorts]):
    """Which rejected report to correct, or done."""

    name = "correct"

    async def prompt(self, ctx: Ctx) -> Prompt:
        shown = [await ctx.store.report_entry(int(i)) for i in ctx.data.get("correctable", ())]
        options = [
            Option(str(e.report.id), ctx.t("history_fix", indikator=e.report.indikator,
                                           date=e.report.work_date.strftime("%d/%m/%Y")))
            for e in shown if e is not None
        ]
        options.append(Option(DONE, ctx.t("history_done")))
        return Prompt(ctx.t("history_pick"), tuple(options))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == DONE:
            return Finish()
        return Switch(ReportFlow, f"{REVISE}{answer.value}")


class HistoryFlow(Flow[HistoryPorts]):
    """/riwayat for a linked chat; an unlinked one is told how to link."""

    name = "history"
    title_key = "flow.history"
    commands = ("riwayat",)

    def steps(self) -> tuple[Step[HistoryPorts], ...]:
        return (Correct(),)

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        tahun = ctx.local_now.year
        ctx.data.update(me=me.id, tahun=tahun)
        entries = await ctx.store.reports_of(me.id, tahun, SHOWN)
        if not entries:
            return Finish((ctx.t("history_none", tahun=tahun),))
        listing = "\n\n".join([ctx.t("history_header", tahun=tahun, n=len(entries)),
                               *(entry_lines(ctx, e) for e in entries)])
        correctable = [e.report.id for e in entries if e.correctable]
        if not correctable:
            return Finish((listing,))
        # fixed now: a number typed later means what was shown (the report flow checks again)
        ctx.data["correctable"] = correctable
        return Goto(Correct, (listing,))
