"""/lapor: an employee reports progress (realisasi) on one of their indicators; /status.

/lapor steps: indicator (this year's, as buttons) → amount (a number ≥ 0 in
the indicator's satuan; more than 10× the target asks for confirmation) →
description (≤ 500 characters) → evidence (a photo or document, or Lewati)
→ work date (today, yesterday or dd/mm/yyyy; not in the future, within the
indicator's year) → confirm. Only "Kirim" stores anything: the report is
saved ``pending`` and the direct atasan's linked chats get a push (outbox,
dedup key ``report:<id>:<channel>``) telling them to type /tinjau.

Evidence: the platform's file reference, kind and MIME type are stored.
When an :class:`~bot.conversation.ports.EvidenceFetcher` and a directory
are given, the file is also downloaded at "Kirim" and kept as
``<sha256><ext>`` with its SHA-256.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

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
    action_choice,
)
from bot.conversation.flows.staff.common import current_employee, staff_store
from bot.conversation.messages import Reply
from bot.conversation.ports.evidence import EvidenceFetcher
from bot.conversation.ports.indicators import Realisasi
from bot.conversation.ports.reports import NewReport
from kinerja import skp
from kinerja.numbers import format_number, parse_number
from kinerja.periods import period_of

DESCRIPTION_MAX = 500
BIG_FACTOR = 10
EVIDENCE_KINDS = ("photo", "document")
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


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


class ReportFlow(Flow):
    """The employee's progress report. See the module docstring for the steps."""

    name = "report"
    title_key = "flow.report"
    commands = ("lapor",)

    def __init__(
        self, fetcher: EvidenceFetcher | None = None, evidence_dir: Path | None = None
    ) -> None:
        self.fetcher = fetcher
        self.evidence_dir = evidence_dir

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        employee = await current_employee(ctx)
        if employee is None:
            return Finish((ctx.t("not_linked"),))
        tahun = ctx.local_now.year
        indicators = await staff_store(ctx).indicators_of(employee.id, tahun)
        if not indicators:
            return Finish((ctx.t("no_indicators", tahun=tahun),))
        ctx.data.update(employee_id=employee.id, tahun=tahun)
        return Goto("indicator")

    # --- questions -----------------------------------------------------------

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        data = ctx.data
        lang = ctx.language
        if step == "indicator":
            indicators = await staff_store(ctx).indicators_of(
                int(data["employee_id"]), int(data["tahun"])
            )
            return Prompt(
                ctx.t("report_pick", tahun=data["tahun"]),
                tuple(
                    Option(str(i.id), f"{i.indikator} ({format_number(i.target, lang)} {i.satuan})")
                    for i in indicators
                ),
            )
        if step == "amount":
            return Prompt(
                ctx.t("report_amount", indikator=data["indikator"], satuan=data["satuan"],
                      target=format_number(data["target"], lang)),
                free_text=True,
            )
        if step == "amount_confirm":
            return Prompt(
                ctx.t("report_amount_big", amount=format_number(data["amount"], lang),
                      satuan=data["satuan"], target=format_number(data["target"], lang)),
                (Option("yes", ctx.t("yes")), Option("no", ctx.t("no_retype"))),
            )
        if step == "description":
            return Prompt(ctx.t("report_description", max=DESCRIPTION_MAX), free_text=True)
        if step == "evidence":
            return Prompt(
                ctx.t("report_evidence"),
                (Option("skip", ctx.t("skip_short")),),
                free_text=True,
                accepts_media=True,
            )
        if step == "work_date":
            return Prompt(
                ctx.t("report_date"),
                (Option("today", ctx.t("today")), Option("yesterday", ctx.t("yesterday"))),
                free_text=True,
            )
        if step == "confirm":
            evidence = (
                ctx.t("evidence_" + data["evidence_kind"]) if data.get("evidence_kind")
                else ctx.t("evidence_none")
            )
            return Prompt(
                ctx.t(
                    "report_review",
                    indikator=data["indikator"],
                    amount=format_number(data["amount"], lang),
                    satuan=data["satuan"],
                    description=data["description"],
                    evidence=evidence,
                    date=date.fromisoformat(data["work_date"]).strftime("%d/%m/%Y"),
                ),
                (Option("send", ctx.t("review_send")), Option("cancel", ctx.t("review_cancel"))),
            )
        raise KeyError(step)

    # --- answers -------------------------------------------------------------

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        data = ctx.data
        if step == "indicator":
            indicator = await staff_store(ctx).indicator_by_id(int(answer.value or 0))
            if indicator is None or indicator.employee_id != data["employee_id"]:
                return Retry(ctx.t("choose_number", n=1))
            data.update(indicator_id=indicator.id, indikator=indicator.indikator,
                        satuan=indicator.satuan, target=indicator.target)
            return Goto("amount")
        if step == "amount":
            try:
                amount = parse_number(answer.text or "")
            except ValueError:
                return Retry(ctx.t("amount_invalid", satuan=data["satuan"]))
            if amount < 0:
                return Retry(ctx.t("amount_negative"))
            data["amount"] = amount
            if float(data["target"]) > 0 and amount > BIG_FACTOR * float(data["target"]):
                return Goto("amount_confirm")
            return Goto("description")
        if step == "amount_confirm":
            return Goto("description" if answer.value == "yes" else "amount")
        if step == "description":
            text = (answer.text or "").strip()
            if not text:
                return Retry(ctx.t("description_empty"))
            if len(text) > DESCRIPTION_MAX:
                return Retry(ctx.t("description_too_long", n=len(text), max=DESCRIPTION_MAX))
            data["description"] = text
            return Goto("evidence")
        if step == "evidence":
            if answer.value == "skip":
                data.update(evidence_kind=None, evidence_ref=None, evidence_mime=None)
                return Goto("work_date")
            media = answer.media
            if media is None:
                return Retry(ctx.t("evidence_expected"))
            if media.kind not in EVIDENCE_KINDS or not media.file_ref:
                return Retry(ctx.t("evidence_kind"))
            data.update(evidence_kind=media.kind, evidence_ref=media.file_ref,
                        evidence_mime=media.mime_type)
            return Goto("work_date")
        if step == "work_date":
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
            if day.year != int(data["tahun"]):
                return Retry(ctx.t("date_outside_year", tahun=data["tahun"]))
            data["work_date"] = day.isoformat()
            return Goto("confirm")
        if step == "confirm":
            if answer.value == "send":
                return await self._send(ctx)
            return Finish((ctx.t("report_cancelled"),))
        raise KeyError(step)

    async def _send(self, ctx: Context) -> Outcome:
        data = ctx.data
        store = staff_store(ctx)
        employee = await current_employee(ctx)
        if employee is None or employee.id != data["employee_id"]:
            return Finish((ctx.t("not_linked"),))
        path, sha256 = await self._download(ctx)
        report_id = await store.submit_report(
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
                evidence_path=path,
                evidence_sha256=sha256,
            )
        )
        if employee.atasan_id is not None:
            push = Reply(
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
            for chat in await store.chats_of(employee.atasan_id):
                await store.enqueue(chat.channel, chat.chat_id, push, at=ctx.now,
                                    kind="approval", dedup_key=f"report:{report_id}:{chat.channel}")
        return Finish((ctx.t("report_saved"),))

    async def _download(self, ctx: Context) -> tuple[str | None, str | None]:
        ref = ctx.data.get("evidence_ref")
        if not ref or self.fetcher is None or self.evidence_dir is None:
            return None, None
        content = await self.fetcher.fetch(ctx.channel, ref)
        sha256 = hashlib.sha256(content).hexdigest()
        extension = _EXTENSIONS.get(ctx.data.get("evidence_mime") or "", "")
        target = self.evidence_dir / f"{sha256}{extension}"
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(content)
        return str(target), sha256


class StatusFlow(Flow):
    """/status: own progress this year per indicator (one message, no questions).

    For each indicator: approved and pending realisasi, the target pro-rated
    to the share of the year elapsed (``naik``; the full target for
    ``turun``), capaian to date from approved realisasi only
    (:func:`kinerja.skp.progress_capaian`) and its status.
    """

    name = "status"
    commands = ("status",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        employee = await current_employee(ctx)
        if employee is None:
            return Finish((ctx.t("not_linked"),))
        store = staff_store(ctx)
        tz = ctx.config.timezone
        year = period_of("year", ctx.now, tz)
        tahun = int(year.label)
        indicators = await store.indicators_of(employee.id, tahun)
        if not indicators:
            return Finish((ctx.t("no_indicators", tahun=tahun),))
        sums = await store.realisasi_of(employee.id, tahun)
        elapsed = year.elapsed_fraction(ctx.now, tz)
        lang = ctx.language
        lines = [ctx.t("status_header", nama=employee.nama, tahun=tahun,
                       elapsed=format_number(elapsed * 100, lang, 1))]
        for indicator in indicators:
            got = sums.get(indicator.id, Realisasi())
            prorated = (
                skp.prorated_target(indicator.target, elapsed)
                if indicator.arah == "naik" else indicator.target
            )
            capaian = skp.progress_capaian(indicator.target, got.approved, indicator.arah, elapsed)
            status = skp.progress_status(capaian)
            lines.append(
                ctx.t(
                    "status_line",
                    indikator=indicator.indikator,
                    approved=format_number(got.approved, lang),
                    pending=format_number(got.pending, lang),
                    satuan=indicator.satuan,
                    prorated=format_number(prorated, lang),
                    target=format_number(indicator.target, lang),
                    capaian=format_number(capaian, lang, 1),
                    status=ctx.t("status." + status.value),
                )
            )
        return Finish(("\n\n".join(lines),))

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        raise KeyError(step)
