"""/usul: an employee proposes a new indicator for their own SKP, or a new target for one.

ProposeFlow (``/usul``) — always for the person behind the chat, never for
someone else (an argument is ignored). *Indikator baru*: RHK, indicator text,
jenis (utama/tambahan), aspek, satuan, arah, target, an optional reason.
*Ubah target*: one of their indicators of the year, the new target, a reason
(required). Only "Kirim" stores the proposal; the direct atasan's chats get a
push (outbox) with action buttons Terima / Ubah target / Tolak.

ProposalDecisionFlow (``!proposal:<id>:<accept|counter|decline>``) — only the
employee's current direct atasan: Terima applies it at once; Ubah target asks
for a number and pushes Setuju / Tidak setuju to the employee; Tolak asks a
reason and tells the employee.

ProposalReplyFlow (``!proposal_reply:<id>:<agree|disagree>``) — only the
employee: Setuju applies the atasan's target; Tidak setuju sends it back to
the atasan (with the three buttons again).

Storage re-checks every step (:meth:`ProposalStore.act_on_proposal`) and
records it with who and when.
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
    action_choice,
)
from bot.conversation.flows.staff.common import current_employee, staff_store
from bot.conversation.messages import Reply
from bot.conversation.ports.proposals import NewProposal, ProposalInfo
from kinerja.models import Arah, Aspek, Jenis
from kinerja.numbers import format_number, parse_number

TEXT_MAX = 200
REASON_MAX = 300
SATUAN_MAX = 30
SKIP = "skip"


def _target(ctx: Context, text: str) -> float | str:
    """A target ≥ 0 from typed text, or the reason it is not one."""
    try:
        value = parse_number(text)
    except ValueError:
        return ctx.t("proposal_target_invalid")
    return value if value >= 0 else ctx.t("amount_negative")


def _text(ctx: Context, answer: Answer, limit: int) -> str:
    """Typed text, stripped; ``""`` when empty. Raises ValueError (with the reason) if long."""
    text = (answer.text or "").strip()
    if len(text) > limit:
        raise ValueError(ctx.t("description_too_long", n=len(text), max=limit))
    return text


def describe(ctx: Context, p: ProposalInfo) -> str:
    """One proposal in a few lines (for pushes and confirmations)."""
    lang = ctx.language
    if p.kind == "target":
        return ctx.t("proposal_target_text", indikator=p.indikator, satuan=p.satuan,
                     old=format_number(p.old_target, lang), new=format_number(p.target, lang),
                     reason=p.reason or "-")
    return ctx.t("proposal_new_text", rhk=p.rhk, indikator=p.indikator, jenis=p.jenis,
                 aspek=p.aspek, target=format_number(p.target, lang), satuan=p.satuan,
                 arah=ctx.t("arah." + p.arah), reason=p.reason or "-")


async def push_to_atasan(ctx: Context, p: ProposalInfo, key: str, **values: object) -> None:
    """Tell the employee's direct atasan, with the Terima / Ubah target / Tolak buttons."""
    if p.atasan_id is None:
        return
    store = staff_store(ctx)
    reply = Reply(
        ctx.t(key, nama=p.employee_nama, proposal=describe(ctx, p), **values),
        tuple(action_choice("proposal", f"{p.id}:{action}", ctx.t(label)) for action, label in (
            ("accept", "proposal_accept"), ("counter", "proposal_counter"),
            ("decline", "proposal_decline"))),
    )
    for chat in await store.chats_of(p.atasan_id):
        await store.enqueue(chat.channel, chat.chat_id, reply, at=ctx.now, kind="approval")


async def push_to(ctx: Context, employee_id: int, reply: Reply) -> None:
    store = staff_store(ctx)
    for chat in await store.chats_of(employee_id):
        await store.enqueue(chat.channel, chat.chat_id, reply, at=ctx.now, kind="feedback")


class ProposeFlow(Flow):
    """The employee's proposal; steps in the module docstring."""

    name = "propose"
    title_key = "flow.propose"
    commands = ("usul",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        if me.atasan_id is None:
            return Finish((ctx.t("proposal_no_atasan"),))
        ctx.data.update(me=me.id, tahun=ctx.local_now.year)
        return Goto("kind")

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        data = ctx.data
        free = {"rhk": ("proposal_rhk", TEXT_MAX), "indikator": ("proposal_indikator", TEXT_MAX),
                "satuan": ("proposal_satuan", SATUAN_MAX)}
        if step in free:
            key, limit = free[step]
            return Prompt(ctx.t(key, max=limit), free_text=True)
        if step == "kind":
            return Prompt(ctx.t("proposal_kind"), (Option("new", ctx.t("proposal_kind_new")),
                                                   Option("target", ctx.t("proposal_kind_target"))))
        if step == "pick":
            indicators = await staff_store(ctx).indicators_of(int(data["me"]), int(data["tahun"]))
            return Prompt(ctx.t("proposal_pick"), tuple(
                Option(str(i.id), f"{i.indikator} ({format_number(i.target, ctx.language)} "
                                  f"{i.satuan})") for i in indicators))
        if step == "jenis":
            return Prompt(ctx.t("proposal_jenis"), tuple(Option(j.value, j.value) for j in Jenis))
        if step == "aspek":
            return Prompt(ctx.t("proposal_aspek"), tuple(Option(a.value, a.value) for a in Aspek))
        if step == "arah":
            return Prompt(ctx.t("proposal_arah"),
                          tuple(Option(a.value, ctx.t("arah." + a.value)) for a in Arah))
        if step == "target":
            return Prompt(ctx.t("proposal_target", satuan=data["satuan"]), free_text=True)
        if step == "reason":
            if data["kind"] == "new":
                return Prompt(ctx.t("proposal_reason_optional", max=REASON_MAX),
                              (Option(SKIP, ctx.t("skip_short")),), free_text=True)
            return Prompt(ctx.t("proposal_reason", max=REASON_MAX), free_text=True)
        if step == "confirm":
            return Prompt(ctx.t("proposal_confirm", proposal=describe(ctx, self._preview(ctx))),
                          (Option("send", ctx.t("review_send")),
                           Option("cancel", ctx.t("review_cancel"))))
        raise KeyError(step)

    def _preview(self, ctx: Context) -> ProposalInfo:
        d = ctx.data
        return ProposalInfo(
            id=0, employee_id=int(d["me"]), employee_nama="", atasan_id=None, kind=d["kind"],
            tahun=int(d["tahun"]), indicator_id=d.get("indicator_id"), rhk=d.get("rhk", ""),
            jenis=d.get("jenis", ""), indikator=d.get("indikator", ""),
            aspek=d.get("aspek", ""), satuan=d.get("satuan", ""), arah=d.get("arah", "naik"),
            target=float(d["target"]), old_target=d.get("old_target"), reason=d.get("reason"),
            counter_target=None, status="pending",
        )

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        data = ctx.data
        following = {"rhk": "indikator", "indikator": "jenis", "jenis": "aspek",
                     "aspek": "satuan", "satuan": "arah", "arah": "target"}
        if step == "kind":
            data["kind"] = answer.value
            if answer.value == "new":
                return Goto("rhk")
            if not await staff_store(ctx).indicators_of(int(data["me"]), int(data["tahun"])):
                return Finish((ctx.t("no_indicators", tahun=data["tahun"]),))
            return Goto("pick")
        if step == "pick":
            indicator = await staff_store(ctx).indicator_by_id(int(answer.value or 0))
            if indicator is None or indicator.employee_id != data["me"]:
                return Retry(ctx.t("choose_number", n=1))
            data.update(indicator_id=indicator.id, indikator=indicator.indikator,
                        satuan=indicator.satuan, old_target=indicator.target)
            return Goto("target")
        if step in ("rhk", "indikator", "satuan"):
            limit = SATUAN_MAX if step == "satuan" else TEXT_MAX
            try:
                text = _text(ctx, answer, limit)
            except ValueError as error:
                return Retry(str(error))
            if not text:
                return Retry(ctx.t("review_text_empty"))
            data[step] = text
            return Goto(following[step])
        if step in ("jenis", "aspek", "arah"):
            data[step] = answer.value
            return Goto(following[step])
        if step == "target":
            value = _target(ctx, answer.text or "")
            if isinstance(value, str):
                return Retry(value)
            data["target"] = value
            return Goto("reason")
        if step == "reason":
            reason = None
            if answer.value != SKIP:
                try:
                    reason = _text(ctx, answer, REASON_MAX) or None
                except ValueError as error:
                    return Retry(str(error))
            if reason is None and data["kind"] == "target":
                return Retry(ctx.t("review_text_empty"))
            data["reason"] = reason
            return Goto("confirm")
        if step == "confirm":
            if answer.value != "send":
                return Finish((ctx.t("report_cancelled"),))
            return await self._send(ctx)
        raise KeyError(step)

    async def _send(self, ctx: Context) -> Outcome:
        data = ctx.data
        store = staff_store(ctx)
        me = await current_employee(ctx)
        if me is None or me.id != data["me"]:  # always for oneself
            return Finish((ctx.t("not_linked"),))
        if data["kind"] == "target":
            indicator = await store.indicator_by_id(int(data["indicator_id"]))
            if indicator is None or indicator.employee_id != me.id:
                return Finish((ctx.t("proposal_not_allowed"),))
        proposal_id = await store.create_proposal(NewProposal(
            employee_id=me.id, kind=data["kind"], tahun=int(data["tahun"]),
            target=float(data["target"]), created_at=ctx.now,
            indicator_id=data.get("indicator_id"),
            **{k: data.get(k) for k in ("rhk", "jenis", "indikator", "aspek", "satuan", "arah")
               if data["kind"] == "new"},
            reason=data.get("reason"),
        ))
        proposal = await store.proposal_by_id(proposal_id)
        assert proposal is not None
        await push_to_atasan(ctx, proposal, "push_proposal")
        return Finish((ctx.t("proposal_sent"),))


class ProposalDecisionFlow(Flow):
    """The direct atasan's buttons on a proposal: ``begin("<id>:<action>")``."""

    name = "proposal"
    title_key = "flow.proposal_decision"

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        proposal_id, _, action = str(arg or "").partition(":")
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        proposal = await staff_store(ctx).proposal_by_id(int(proposal_id or 0)
                                                         if proposal_id.isdigit() else 0)
        allowed = {"accept": ("pending",), "counter": ("pending",),
                   "decline": ("pending", "countered")}
        if (
            proposal is None or action not in allowed or proposal.atasan_id != me.id
            or proposal.employee_id == me.id or proposal.status not in allowed[action]
        ):
            return Finish((ctx.t("proposal_not_allowed"),))
        ctx.data.update(me=me.id, proposal=proposal.id)
        if action == "accept":
            return await self._act(ctx, "accept")
        return Goto("counter" if action == "counter" else "reason",
                    (describe(ctx, proposal),))

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        if step == "counter":
            proposal = await staff_store(ctx).proposal_by_id(int(ctx.data["proposal"]))
            assert proposal is not None
            return Prompt(ctx.t("proposal_counter_prompt", satuan=proposal.satuan),
                          free_text=True)
        if step == "reason":
            return Prompt(ctx.t("review_reason", max=REASON_MAX), free_text=True)
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        if step == "counter":
            value = _target(ctx, answer.text or "")
            if isinstance(value, str):
                return Retry(value)
            return await self._act(ctx, "counter", target=value)
        if step == "reason":
            try:
                text = _text(ctx, answer, REASON_MAX)
            except ValueError as error:
                return Retry(str(error))
            if not text:
                return Retry(ctx.t("review_text_empty"))
            return await self._act(ctx, "decline", text=text)
        raise KeyError(step)

    async def _act(self, ctx: Context, action: str, *, text: str | None = None,
                   target: float | None = None) -> Outcome:
        store = staff_store(ctx)
        me = await current_employee(ctx)
        if me is None or me.id != ctx.data["me"]:
            return Finish((ctx.t("proposal_not_allowed"),))
        before = await store.proposal_by_id(int(ctx.data["proposal"]))
        done = await store.act_on_proposal(int(ctx.data["proposal"]), me.id, action, ctx.now,
                                           text=text, target=target)
        if done is None or before is None:
            return Finish((ctx.t("proposal_not_allowed"),))
        about = describe(ctx, before)  # as proposed (an applied target moves old_target)
        if action == "accept":
            await push_to(ctx, done.employee_id, Reply(ctx.t("proposal_accepted_push",
                                                             atasan=me.nama, proposal=about)))
        elif action == "decline":
            await push_to(ctx, done.employee_id, Reply(ctx.t(
                "proposal_declined_push", atasan=me.nama, proposal=about, reason=text or "")))
        else:
            await push_to(ctx, done.employee_id, Reply(
                ctx.t("proposal_countered_push", atasan=me.nama, proposal=about,
                      target=format_number(target, ctx.language), satuan=done.satuan),
                tuple(action_choice("proposal_reply", f"{done.id}:{a}", ctx.t(label))
                      for a, label in (("agree", "proposal_agree"),
                                       ("disagree", "proposal_disagree"))),
            ))
        return Finish((ctx.t("proposal_done_" + action, nama=done.employee_nama),))


class ProposalReplyFlow(Flow):
    """The employee's answer to the atasan's target: ``begin("<id>:<agree|disagree>")``."""

    name = "proposal_reply"
    title_key = "flow.proposal_reply"

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        proposal_id, _, action = str(arg or "").partition(":")
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        if action not in ("agree", "disagree") or not proposal_id.isdigit():
            return Finish((ctx.t("proposal_not_allowed"),))
        store = staff_store(ctx)
        before = await store.proposal_by_id(int(proposal_id))
        done = await store.act_on_proposal(int(proposal_id), me.id, action, ctx.now)
        if done is None or before is None:
            return Finish((ctx.t("proposal_not_allowed"),))
        if action == "agree":
            values = {"proposal": describe(ctx, before), "satuan": done.satuan,
                      "target": format_number(done.counter_target, ctx.language)}
            if done.atasan_id is not None:
                await push_to(ctx, done.atasan_id, Reply(ctx.t(
                    "proposal_agreed_push", nama=done.employee_nama, **values)))
            return Finish((ctx.t("proposal_agreed", **values),))
        await push_to_atasan(ctx, done, "push_proposal_disagreed",
                             target=format_number(done.counter_target, ctx.language))
        return Finish((ctx.t("proposal_disagreed"),))

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        raise KeyError(step)
