"""/lapor: an employee reports progress (realisasi) on one of their indicators.

Steps: indicator (this year's, as buttons) → amount (a number ≥ 0 in the indicator's
satuan; one that ``kinerja.skp.implausible_amount`` finds more than 10× the target asks for
confirmation) → description (≤ 500 characters) → evidence (a photo or document, or Lewati)
→ work date (today, yesterday or dd/mm/yyyy; not in the future, within the indicator's
year) → confirm. Only "Kirim" stores anything: the report is saved ``pending`` and the
direct atasan's linked chats get a push (outbox, dedup key ``report:<id>:<channel>``) with
buttons to decide, or /tinjau.

Evidence: the platform's file reference, kind and MIME type are stored with the report.
With an :class:`~bot.conversation.evidence.EvidenceKeeper` (a fetcher and an evidence
directory) the report is stored with ``evidence_status = 'pending'`` and the file is
downloaded after the commit, outside the turn (see :mod:`bot.conversation.evidence`);
without one (the console) only the reference is kept.

``ctx.data`` (version 2): employee_id, tahun; then the indicator (indicator_id, indikator,
satuan, target, agregasi), amount, description, evidence_kind/ref/mime, work_date (ISO).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Protocol

from bot.conversation.evidence import EvidenceKeeper
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
    action_choice,
)
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.messages import Reply
from bot.conversation.ports.evidence import PendingEvidence
from bot.conversation.ports.indicators import Indicators
from bot.conversation.ports.outbox import OutboxWriter
from bot.conversation.ports.people import EmployeeInfo, People
from bot.conversation.ports.reports import NewReport, Reports
from bot.conversation.push import push_to_employee
from kinerja import skp
from kinerja.numbers import format_number, parse_number

DESCRIPTION_MAX = 500
EVIDENCE_KINDS = ("photo", "document")


class ReportPorts(People, Indicators, Reports, OutboxWriter, Protocol):
    """Who reports, their indicators, the report itself and the push to the atasan."""


Ctx = Context[ReportPorts]


def parse_work_date(text: str, today: date) -> date | None:
    """``hari ini``/``today``, ``kemarin``/``yesterday``, ``dd/mm/yyyy`` (or ``-``), ISO."""
    cleaned = text.strip().casefold()
    if cleaned in ("hari ini", "today", "sekarang"):
        return today
    if cleaned in ("kemarin", "yesterday"):
        return today - timedelta(days=1)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


class ChooseIndicator(Step[ReportPorts]):
    """The employee's indicators of the year, "indikator (target satuan)"."""

    name = "indicator"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        indicators = await ctx.store.indicators_of(int(data["employee_id"]), int(data["tahun"]))
        return Prompt(
            ctx.t("report_pick", tahun=data["tahun"]),
            tuple(
                Option(str(i.id),
                       f"{i.indikator} ({format_number(i.target, ctx.language)} {i.satuan})")
                for i in indicators
            ),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        indicator = await ctx.store.indicator_by_id(int(answer.value or 0))
        if indicator is None or indicator.employee_id != ctx.data["employee_id"]:
            return Goto(ChooseIndicator)  # the list changed meanwhile: ask again
        ctx.data.update(indicator_id=indicator.id, indikator=indicator.indikator,
                        satuan=indicator.satuan, target=indicator.target,
                        agregasi=indicator.agregasi.value)
        return Goto(Amount)


class Amount(Step[ReportPorts]):
    """How much, in the indicator's satuan (``2,5`` or ``2.5``; not negative)."""

    name = "amount"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        return Prompt(
            ctx.t("report_amount", indikator=data["indikator"], satuan=data["satuan"],
                  target=format_number(data["target"], ctx.language)),
            free_text=True,
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        data = ctx.data
        try:
            amount = parse_number(answer.text or "")
        except ValueError:
            return Retry(ctx.t("amount_invalid", satuan=data["satuan"]))
        if amount < 0:
            return Retry(ctx.t("amount_negative"))
        data["amount"] = amount
        if skp.implausible_amount(amount, float(data["target"]), data["agregasi"]):
            return Goto(AmountConfirm)
        return Goto(Description)


class AmountConfirm(Step[ReportPorts]):
    """"More than 10× the target — really?": yes goes on, no asks the amount again."""

    name = "amount_confirm"

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        return Prompt(
            ctx.t("report_amount_big", amount=format_number(data["amount"], ctx.language),
                  satuan=data["satuan"], target=format_number(data["target"], ctx.language)),
            (Option("yes", ctx.t("yes")), Option("no", ctx.t("no_retype"))),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        return Goto(Description if answer.value == "yes" else Amount)


class Description(Step[ReportPorts]):
    """What was done: not empty, at most ``DESCRIPTION_MAX`` characters."""

    name = "description"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t("report_description", max=DESCRIPTION_MAX), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        text = (answer.text or "").strip()
        if not text:
            return Retry(ctx.t("description_empty"))
        if len(text) > DESCRIPTION_MAX:
            return Retry(ctx.t("description_too_long", n=len(text), max=DESCRIPTION_MAX))
        ctx.data["description"] = text
        return Goto(Evidence)


class Evidence(Step[ReportPorts]):
    """A photo or a document (its platform reference is kept), or Lewati."""

    name = "evidence"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(
            ctx.t("report_evidence"),
            (Option("skip", ctx.t("skip_short")),),
            free_text=True,
            accepts_media=True,
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == "skip":
            ctx.data.update(evidence_kind=None, evidence_ref=None, evidence_mime=None)
            return Goto(WorkDate)
        media = answer.media
        if media is None:
            return Retry(ctx.t("evidence_expected"))
        if media.kind not in EVIDENCE_KINDS or not media.file_ref:
            return Retry(ctx.t("evidence_kind"))
        ctx.data.update(evidence_kind=media.kind, evidence_ref=media.file_ref,
                        evidence_mime=media.mime_type)
        return Goto(WorkDate)


class WorkDate(Step[ReportPorts]):
    """When the work was done: today, yesterday or a typed date of the indicator's year."""

    name = "work_date"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(
            ctx.t("report_date"),
            (Option("today", ctx.t("today")), Option("yesterday", ctx.t("yesterday"))),
            free_text=True,
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        today = ctx.local_now.date()
        if answer.value == "today":
            day: date | None = today
        elif answer.value == "yesterday":
            day = today - timedelta(days=1)
        else:
            day = parse_work_date(answer.text or "", today)
        if day is None:
            return Retry(ctx.t("date_invalid"))
        if day > today:
            return Retry(ctx.t("date_future"))
        if day.year != int(ctx.data["tahun"]):
            return Retry(ctx.t("date_outside_year", tahun=ctx.data["tahun"]))
        ctx.data["work_date"] = day.isoformat()
        return Goto(Confirm)


class Confirm(Step[ReportPorts]):
    """Everything once more; only "Kirim" stores the report."""

    name = "confirm"

    def __init__(self, evidence: EvidenceKeeper | None) -> None:
        self.evidence = evidence

    async def prompt(self, ctx: Ctx) -> Prompt:
        data = ctx.data
        evidence = (
            ctx.t("evidence_" + data["evidence_kind"]) if data.get("evidence_kind")
            else ctx.t("evidence_none")
        )
        return Prompt(
            ctx.t(
                "report_review",
                indikator=data["indikator"],
                amount=format_number(data["amount"], ctx.language),
                satuan=data["satuan"],
                description=data["description"],
                evidence=evidence,
                date=date.fromisoformat(data["work_date"]).strftime("%d/%m/%Y"),
            ),
            (Option("send", ctx.t("review_send")), Option("cancel", ctx.t("review_cancel"))),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value != "send":
            return Finish((ctx.t("report_cancelled"),))
        employee = await current_employee(ctx)
        if employee is None or employee.id != ctx.data["employee_id"]:
            return Finish((ctx.t("not_linked"),))
        report_id = await self._store(ctx, employee)
        await _tell_atasan(ctx, employee, report_id)
        return Finish((ctx.t("report_saved"),))

    async def _store(self, ctx: Ctx, employee: EmployeeInfo) -> int:
        """Store the report; with evidence to download, register its first attempt."""
        data = ctx.data
        keeper = self.evidence if data.get("evidence_ref") else None
        report_id = await ctx.store.submit_report(
            NewReport(
                indicator_id=int(data["indicator_id"]),
                employee_id=employee.id,
                amount=float(data["amount"]),
                description=data["description"],
                work_date=date.fromisoformat(data["work_date"]),
                channel=ctx.channel,
                created_at=ctx.now,
                evidence_kind=data.get("evidence_kind"),
                evidence_ref=data.get("evidence_ref"),
                evidence_mime=data.get("evidence_mime"),
                evidence_status="pending" if keeper else None,
                evidence_next_at=keeper.lease_until(ctx.now) if keeper else None,
            )
        )
        if keeper is not None:
            item = PendingEvidence(report_id, ctx.channel, data["evidence_ref"],
                                   data.get("evidence_mime"))
            ctx.after_commit(partial(keeper.first_attempt, item), background=True)
        return report_id


async def _tell_atasan(ctx: Ctx, employee: EmployeeInfo, report_id: int) -> None:
    """Push the new report, with approve / reject / comment buttons, to the direct atasan,
    in the atasan's language (held until they link a chat when they have none)."""
    if employee.atasan_id is None:
        return
    data = ctx.data

    def build(ctx: Ctx) -> Reply:
        return Reply(
            ctx.t(
                "push_new_report",
                nama=employee.nama,
                indikator=data["indikator"],
                amount=format_number(data["amount"], ctx.language),
                satuan=data["satuan"],
                description=data["description"],
            ),
            tuple(
                action_choice("review", f"{report_id}:{action}", ctx.t(label))
                for action, label in (
                    ("approve", "review_approve"),
                    ("reject", "review_reject"),
                    ("comment", "review_comment"),
                )
            ),
        )

    await push_to_employee(ctx, employee.atasan_id, build, kind="approval",
                           dedup_key=f"report:{report_id}")


class ReportFlow(Flow[ReportPorts]):
    """The employee's progress report. See the module docstring for the steps.

    ``evidence``: downloads the evidence after the commit; ``None`` keeps only the
    platform's reference.
    """

    name = "report"
    title_key = "flow.report"
    version = 2  # v1 kept no agregasi in ctx.data
    commands = ("lapor",)

    def __init__(self, evidence: EvidenceKeeper | None = None) -> None:
        self.evidence = evidence

    def steps(self) -> tuple[Step[ReportPorts], ...]:
        return (ChooseIndicator(), Amount(), AmountConfirm(), Description(), Evidence(),
                WorkDate(), Confirm(self.evidence))

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        employee = await current_employee(ctx)
        if employee is None:
            return Finish((ctx.t("not_linked"),))
        tahun = ctx.local_now.year
        if not await ctx.store.indicators_of(employee.id, tahun):
            return Finish((ctx.t("no_indicators", tahun=tahun),))
        ctx.data.update(employee_id=employee.id, tahun=tahun)
        return Goto(ChooseIndicator)
