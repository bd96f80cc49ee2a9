"""/tinjau: the direct atasan reviews pending reports of their subordinates.

With ``review_by_second_level`` the atasan's atasan sees and decides them too.

Walks through the pending reports of the atasan's direct subordinates, oldest
first: Setujui (approve), Tolak (asks a reason, then rejects), Komentar
(feedback that keeps the report pending), Lewati (next). Each report shows its
evidence and, while the file is still being downloaded after the report was
stored, says so ("bukti belum terunduh"). Every decision is stored with who and
when (a rejected report stays, marked rejected) and the employee is told
through the outbox. Storage re-checks at decision time that the decider is the
reporter's direct atasan and the report is still pending.

The buttons of an approval request (``!review:<report id>:<approve|reject|comment>``,
pushed by /lapor) start this flow on that one report.

Steps: ``decide``, ``reason``, ``comment``. ``ctx.data``: the reviewer, the report ids
left (``queue``) and how many there were.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

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
from bot.conversation.flows.staff.common import current_employee, second_level
from bot.conversation.messages import Reply
from bot.conversation.ports.outbox import OutboxWriter
from bot.conversation.ports.people import People
from bot.conversation.ports.reports import ReportInfo, Reports
from bot.conversation.push import push_to_employee
from kinerja.numbers import format_number

TEXT_MAX = 500
ACTIONS = ("approve", "reject", "comment")


class ReviewPorts(People, Reports, OutboxWriter, Protocol):
    """What /tinjau reads and writes: who is behind the chat and whom they review, the
    pending reports and their decisions, the pushes to the employee."""


Ctx = Context[ReviewPorts]


async def _current(ctx: Ctx) -> ReportInfo | None:
    queue = ctx.data.get("queue") or []
    return await ctx.store.report_by_id(int(queue[0])) if queue else None


def _evidence(ctx: Ctx, report: ReportInfo) -> str:
    """The evidence as the reviewer sees it: its kind (or none), and whether the file is
    still waiting to be downloaded."""
    shown = (
        ctx.t("evidence_" + report.evidence_kind) if report.evidence_kind
        else ctx.t("evidence_none")
    )
    if report.evidence_status == "pending":
        shown += f" ({ctx.t('evidence_pending')})"
    return shown


def _next(ctx: Ctx, say: str | None = None) -> Outcome:
    """The next report of the queue, or done."""
    ctx.data["queue"] = ctx.data["queue"][1:]
    said = (say,) if say else ()
    if not ctx.data["queue"]:
        return Finish((*said, ctx.t("review_done")))
    return Goto(Decide, said)


async def _decide(ctx: Ctx, report: ReportInfo, action: str, text: str | None) -> Outcome:
    """Record ``action`` (storage checks it again) and tell the employee."""
    me = await current_employee(ctx)
    allowed = me is not None and me.id == ctx.data["me"] and await ctx.store.decide_report(
        report.id, me.id, action, text, ctx.now, second_level(ctx)
    )
    if not allowed:
        return _next(ctx, ctx.t("review_not_allowed"))
    assert me is not None
    key = {"approve": "decision_approved", "reject": "decision_rejected",
           "comment": "decision_comment"}[action]
    atasan = me.nama

    def notice(ctx: Ctx) -> Reply:
        return Reply(
            ctx.t(
                key,
                atasan=atasan,
                indikator=report.indikator,
                amount=format_number(report.amount, ctx.language),
                satuan=report.satuan,
                date=report.work_date.strftime("%d/%m/%Y"),
                text=text or "",
            )
        )

    await push_to_employee(ctx, report.employee_id, notice, kind="feedback")
    done = ctx.t("review_saved_" + action, nama=report.employee_nama)
    if action == "comment":
        return Goto(Decide, (done,))
    return _next(ctx, done)


class Decide(Step[ReviewPorts]):
    """The report at the head of the queue: approve, reject, comment, or skip."""

    name = "decide"

    async def prompt(self, ctx: Ctx) -> Prompt:
        report = await _current(ctx)
        assert report is not None, "the queue holds the reports that were pending at /tinjau"
        done = int(ctx.data["total"]) - len(ctx.data["queue"]) + 1
        return Prompt(
            ctx.t(
                "review_item",
                i=done,
                n=ctx.data["total"],
                nama=report.employee_nama,
                indikator=report.indikator,
                amount=format_number(report.amount, ctx.language),
                satuan=report.satuan,
                date=report.work_date.strftime("%d/%m/%Y"),
                description=report.description,
                evidence=_evidence(ctx, report),
            ),
            (
                Option("approve", ctx.t("review_approve")),
                Option("reject", ctx.t("review_reject")),
                Option("comment", ctx.t("review_comment")),
                Option("skip", ctx.t("skip_short")),
            ),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        report = await _current(ctx)
        if report is None:
            return Finish((ctx.t("review_done"),))
        if answer.value == "approve":
            return await _decide(ctx, report, "approve", None)
        if answer.value == "reject":
            return Goto(Reason)
        if answer.value == "comment":
            return Goto(Comment)
        return _next(ctx)


class _Written(Step[ReviewPorts]):
    """A written decision on the current report: not empty, at most ``TEXT_MAX`` characters."""

    action: ClassVar[str]
    prompt_key: ClassVar[str]

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t(self.prompt_key, max=TEXT_MAX), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        report = await _current(ctx)
        if report is None:
            return Finish((ctx.t("review_done"),))
        text = (answer.text or "").strip()
        if not text:
            return Retry(ctx.t("review_text_empty"))
        if len(text) > TEXT_MAX:
            return Retry(ctx.t("description_too_long", n=len(text), max=TEXT_MAX))
        return await _decide(ctx, report, self.action, text)


class Reason(_Written):
    """Why the report is rejected; the rejection is stored with it."""

    name = "reason"
    action = "reject"
    prompt_key = "review_reason"


class Comment(_Written):
    """Feedback on the report, which stays pending."""

    name = "comment"
    action = "comment"
    prompt_key = "review_comment_prompt"


class ReviewFlow(Flow[ReviewPorts]):
    """The supervisor's review queue."""

    name = "review"
    title_key = "flow.review"
    commands = ("tinjau",)

    def steps(self) -> tuple[Step[ReviewPorts], ...]:
        return (Decide(), Reason(), Comment())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        """``arg`` is ``None`` (/tinjau: the whole queue) or ``"<report id>:<action>"``
        from an approval request's button (approve, reject or comment)."""
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        reports = await ctx.store.pending_reports_for(me.id, second_level(ctx))
        if isinstance(arg, str) and arg:
            report_id, _, action = arg.partition(":")
            reports = [r for r in reports if str(r.id) == report_id]
            if not reports or action not in ACTIONS:
                return Finish((ctx.t("review_not_allowed"),))
            ctx.data.update(me=me.id, queue=[reports[0].id], total=1)
            if action == "approve":
                return await _decide(ctx, reports[0], "approve", None)
            return Goto(Reason if action == "reject" else Comment)
        if not reports:
            return Finish((ctx.t("review_none"),))
        ctx.data.update(me=me.id, queue=[r.id for r in reports], total=len(reports))
        return Goto(Decide)
