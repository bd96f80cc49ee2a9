"""/tinjau: the direct atasan reviews pending reports of their subordinates.

With ``review_by_second_level`` the atasan's atasan sees and decides them too.

Walks through the pending reports of the atasan's direct subordinates, oldest
first: Setujui (approve), Tolak (asks a reason, then rejects), Komentar
(feedback that keeps the report pending), Lewati (next). Every decision is
stored with who and when (a rejected report stays, marked rejected) and the
employee is told through the outbox. Storage re-checks at decision time that
the decider is the reporter's direct atasan and the report is still pending.
"""

from __future__ import annotations

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
)
from bot.conversation.flows.staff.common import current_employee, second_level, staff_store
from bot.conversation.messages import Reply
from bot.conversation.ports.reports import ReportInfo
from kinerja.numbers import format_number

TEXT_MAX = 500


class ReviewFlow(Flow):
    """The supervisor's review queue. ``ctx.data['queue']`` holds the report ids left."""

    name = "review"
    title_key = "flow.review"
    commands = ("tinjau",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        """``arg`` is ``None`` (/tinjau: the whole queue) or ``"<report id>:<action>"``
        from an approval request's button (approve, reject or comment)."""
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        reports = await staff_store(ctx).pending_reports_for(me.id, second_level(ctx))
        if isinstance(arg, str) and arg:
            report_id, _, action = arg.partition(":")
            reports = [r for r in reports if str(r.id) == report_id]
            if not reports or action not in ("approve", "reject", "comment"):
                return Finish((ctx.t("review_not_allowed"),))
            ctx.data.update(me=me.id, queue=[reports[0].id], total=1)
            if action == "approve":
                return await self._decide(ctx, reports[0], "approve", None)
            return Goto("reason" if action == "reject" else "comment")
        if not reports:
            return Finish((ctx.t("review_none"),))
        ctx.data.update(me=me.id, queue=[r.id for r in reports], total=len(reports))
        return Goto("decide")

    async def _current(self, ctx: Context) -> ReportInfo | None:
        queue = ctx.data.get("queue") or []
        return await staff_store(ctx).report_by_id(int(queue[0])) if queue else None

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        report = await self._current(ctx)
        assert report is not None
        if step == "decide":
            evidence = (
                ctx.t("evidence_" + report.evidence_kind) if report.evidence_kind
                else ctx.t("evidence_none")
            )
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
                    evidence=evidence,
                ),
                (
                    Option("approve", ctx.t("review_approve")),
                    Option("reject", ctx.t("review_reject")),
                    Option("comment", ctx.t("review_comment")),
                    Option("skip", ctx.t("skip_short")),
                ),
            )
        if step == "reason":
            return Prompt(ctx.t("review_reason", max=TEXT_MAX), free_text=True)
        if step == "comment":
            return Prompt(ctx.t("review_comment_prompt", max=TEXT_MAX), free_text=True)
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        report = await self._current(ctx)
        if report is None:
            return Finish((ctx.t("review_done"),))
        if step == "decide":
            if answer.value == "approve":
                return await self._decide(ctx, report, "approve", None)
            if answer.value == "reject":
                return Goto("reason")
            if answer.value == "comment":
                return Goto("comment")
            return self._next(ctx)
        if step in ("reason", "comment"):
            text = (answer.text or "").strip()
            if not text:
                return Retry(ctx.t("review_text_empty"))
            if len(text) > TEXT_MAX:
                return Retry(ctx.t("description_too_long", n=len(text), max=TEXT_MAX))
            return await self._decide(
                ctx, report, "reject" if step == "reason" else "comment", text
            )
        raise KeyError(step)

    async def _decide(
        self, ctx: Context, report: ReportInfo, action: str, text: str | None
    ) -> Outcome:
        store = staff_store(ctx)
        me = await current_employee(ctx)
        allowed = me is not None and me.id == ctx.data["me"] and await store.decide_report(
            report.id, me.id, action, text, ctx.now, second_level(ctx)
        )
        if not allowed:
            return self._next(ctx, ctx.t("review_not_allowed"))
        assert me is not None
        key = {"approve": "decision_approved", "reject": "decision_rejected",
               "comment": "decision_comment"}[action]
        notice = Reply(
            ctx.t(
                key,
                atasan=me.nama,
                indikator=report.indikator,
                amount=format_number(report.amount, ctx.language),
                satuan=report.satuan,
                date=report.work_date.strftime("%d/%m/%Y"),
                text=text or "",
            )
        )
        for chat in await store.chats_of(report.employee_id):
            await store.enqueue(chat.channel, chat.chat_id, notice, at=ctx.now, kind="feedback")
        done = ctx.t("review_saved_" + action, nama=report.employee_nama)
        if action == "comment":
            return Goto("decide", (done,))
        return self._next(ctx, done)

    def _next(self, ctx: Context, say: str | None = None) -> Outcome:
        ctx.data["queue"] = ctx.data["queue"][1:]
        said = (say,) if say else ()
        if not ctx.data["queue"]:
            return Finish((*said, ctx.t("review_done")))
        return Goto("decide", said)
