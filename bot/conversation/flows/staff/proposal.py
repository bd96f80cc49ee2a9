"""/usul: an employee proposes a new indicator for their own SKP, or a new target for one.

ProposeFlow (``/usul``) — always for the person behind the chat, never for
someone else. For an atasan it is also the list of their staff's proposals waiting
for a decision (``Start`` → ``Awaiting`` → ``Decide``, the decision itself taken by
ProposalDecisionFlow as from a pushed button); /tinjau opens that list too.
*Indikator baru*: RHK, indicator text,
jenis (utama/tambahan), aspek, satuan, arah, target, an optional reason.
*Ubah target*: one of their indicators of the year, the new target, a reason
(required). Only "Kirim" stores the proposal; the direct atasan's chats get a
push (outbox) with the buttons :func:`kinerja.proposals.buttons` gives the
atasan on a pending proposal (Terima / Ubah target / Tolak).

What may happen next is :mod:`kinerja.proposals` alone: :func:`~kinerja.proposals.role_of`
says whether the person pressing a button is the employee's current direct atasan or the
employee, and :func:`~kinerja.proposals.transition` whether that step is allowed on the
proposal as it stands, and whether it needs a target or a reason.

ProposalDecisionFlow (``!proposal:<id>:<accept|counter|decline>``) — the atasan's
steps: Terima applies it at once; Ubah target asks for a number and pushes the
employee's buttons (Setuju / Tidak setuju); Tolak asks a reason and tells the employee.

ProposalReplyFlow (``!proposal_reply:<id>:<agree|disagree>``) — the employee's
steps: Setuju applies the atasan's target; Tidak setuju sends it back to the
atasan (with the atasan's buttons again).

Storage takes every step again through the same table
(:meth:`~bot.conversation.ports.proposals.ProposalStore.act_on_proposal`) and records it
with who and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from bot.conversation.flow import (
    Answer,
    Command,
    Context,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Prompt,
    Retry,
    Step,
    Switch,
    action_choice,
)
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.messages import Choice, Reply
from bot.conversation.ports.indicators import Indicators
from bot.conversation.ports.outbox import OutboxWriter
from bot.conversation.ports.people import People
from bot.conversation.ports.proposals import (
    NewProposal,
    PendingProposals,
    ProposalInfo,
    ProposalStore,
)
from bot.conversation.push import push_to_employee
from bot.conversation.typed import ascii_int
from kinerja import proposals
from kinerja.models import Arah, Aspek, Jenis
from kinerja.numbers import format_number, parse_number
from kinerja.proposals import ProposalAction, Role

TEXT_MAX = 200
REASON_MAX = 300
SATUAN_MAX = 30
SKIP = "skip"
DECISION_FLOW = "proposal"
REPLY_FLOW = "proposal_reply"
#: which flow a role's buttons start (the names are in pushed messages: keep them)
_FLOW_OF_ROLE = {Role.ATASAN: DECISION_FLOW, Role.EMPLOYEE: REPLY_FLOW}


class ProposalPorts(People, ProposalStore, PendingProposals, OutboxWriter, Protocol):
    """What deciding on a proposal uses: who is behind the chat, the proposals (and which
    still wait for the atasan), the pushes."""


class ProposePorts(ProposalPorts, Indicators, Protocol):
    """What /usul uses besides: the employee's indicators of the year."""


# --- shared: reading numbers and text, describing, pushing ----------------------------------


def _target(ctx: Context[Any], text: str) -> float | str:
    """A target ≥ 0 from typed text, or the reason it is not one."""
    try:
        value = parse_number(text)
    except ValueError:
        return ctx.t("proposal_target_invalid")
    return value if value >= 0 else ctx.t("amount_negative")


def _text(ctx: Context[Any], answer: Answer, limit: int) -> str:
    """Typed text, stripped; ``""`` when empty. Raises ValueError (with the reason) if long."""
    text = (answer.text or "").strip()
    if len(text) > limit:
        raise ValueError(ctx.t("description_too_long", n=len(text), max=limit))
    return text


def describe(ctx: Context[Any], p: ProposalInfo) -> str:
    """One proposal in a few lines (for pushes and confirmations)."""
    lang = ctx.language
    if p.kind == "target":
        return ctx.t("proposal_target_text", indikator=p.indikator, satuan=p.satuan,
                     old=format_number(p.old_target, lang), new=format_number(p.target, lang),
                     reason=p.reason or "-")
    return ctx.t("proposal_new_text", rhk=p.rhk, indikator=p.indikator, jenis=p.jenis,
                 aspek=p.aspek, target=format_number(p.target, lang), satuan=p.satuan,
                 arah=ctx.t("arah." + p.arah), reason=p.reason or "-")


def _buttons(ctx: Context[Any], p: ProposalInfo, role: Role) -> tuple[Choice, ...]:
    """The buttons ``role`` gets now that ``p`` is in its status (:func:`proposals.buttons`),
    each starting that role's flow on this proposal."""
    return tuple(
        action_choice(_FLOW_OF_ROLE[role], f"{p.id}:{action.value}",
                      ctx.t(f"proposal_{action.value}"))
        for action in proposals.buttons(p.status, role)
    )


async def _push(
    ctx: Context[ProposalPorts], employee_id: int | None,
    build: Callable[[Context[Any]], Reply], kind: str,
) -> int:
    """Queue ``build(ctx in their language)`` to every chat of ``employee_id`` (held until
    they link one when they have none; nobody when ``None``); the number of chats reached."""
    if employee_id is None:
        return 0
    return await push_to_employee(ctx, employee_id, build, kind=kind)


async def _push_to_atasan(
    ctx: Context[ProposalPorts], p: ProposalInfo, key: str, target: float | None = None
) -> int:
    """Tell the employee's direct atasan about pending ``p`` (``target``: the atasan's
    counter-target the employee disagreed with), with the atasan's buttons; the number of
    their chats reached (0: held until they link one)."""

    def build(ctx: Context[Any]) -> Reply:
        values = {} if target is None else {"target": format_number(target, ctx.language)}
        return Reply(ctx.t(key, nama=p.employee_nama, proposal=describe(ctx, p), **values),
                     _buttons(ctx, p, Role.ATASAN))

    return await _push(ctx, p.atasan_id, build, "approval")


# --- /usul -----------------------------------------------------------------------------------

PCtx = Context[ProposePorts]
#: ``begin``'s argument that opens the atasan's list straight away (from /tinjau)
AWAITING = "awaiting"


class Start(Step[ProposePorts]):
    """For an atasan who may also propose: decide their staff's proposals, or propose."""

    name = "start"

    async def prompt(self, ctx: PCtx) -> Prompt:
        waiting = await ctx.store.proposals_awaiting(int(ctx.data["me"]))
        return Prompt(ctx.t("proposal_start", n=len(waiting)), (
            Option("decide", ctx.t("proposal_start_decide", n=len(waiting)),
                   ctx.t("proposal_start_decide_short", n=len(waiting))),
            Option("own", ctx.t("proposal_start_own"), ctx.t("proposal_start_own_short")),
        ))

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        if answer.value == "decide":
            return await _awaiting(ctx)
        return Goto(Kind)


async def _awaiting(ctx: PCtx, say: tuple[str, ...] = ()) -> Outcome:
    """The atasan's list, or that nothing is waiting (any more). The list is fixed now (kept
    in ``ctx.data``), so a number typed later means what was shown even if a proposal was
    decided meanwhile (its decision is then refused)."""
    waiting = await ctx.store.proposals_awaiting(int(ctx.data["me"]))
    if not waiting:
        return Finish((*say, ctx.t("proposal_none_awaiting")))
    ctx.data["awaiting"] = [p.id for p in waiting]
    return Goto(Awaiting, say)


class Awaiting(Step[ProposePorts]):
    """The staff's proposals waiting for this atasan, oldest first: pick one to decide."""

    name = "awaiting"

    async def prompt(self, ctx: PCtx) -> Prompt:
        shown = [await ctx.store.proposal_by_id(int(i)) for i in ctx.data.get("awaiting", ())]
        waiting = [p for p in shown if p is not None]
        return Prompt(ctx.t("proposal_awaiting", n=len(waiting)), tuple(
            Option(str(p.id), ctx.t("proposal_awaiting_item", nama=p.employee_nama,
                                    indikator=p.indikator,
                                    kind=ctx.t("proposal_kind_" + p.kind)))
            for p in waiting
        ))

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        return Goto(Decide, arg=answer.value)


class Decide(Step[ProposePorts]):
    """One waiting proposal in full, with the atasan's buttons (:func:`proposals.buttons`);
    the decision itself is :class:`ProposalDecisionFlow`'s, which checks everything again."""

    name = "decide"

    async def prompt(self, ctx: PCtx) -> Prompt:
        proposal = await ctx.store.proposal_by_id(int(ctx.arg or 0))
        if proposal is None:  # cannot happen: proposals are never deleted
            return Prompt(ctx.t("proposal_not_allowed"), (Option("back", ctx.t("back")),))
        options = tuple(
            Option(action.value, ctx.t(f"proposal_{action.value}"))
            for action in proposals.buttons(proposal.status, Role.ATASAN)
        )
        return Prompt(
            ctx.t("push_proposal", nama=proposal.employee_nama, proposal=describe(ctx, proposal)),
            (*options, Option("back", ctx.t("back"))),
        )

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        if answer.value == "back":
            return await _awaiting(ctx)
        return Switch(DECISION_FLOW, f"{ctx.arg}:{answer.value}")


class Kind(Step[ProposePorts]):
    """A new indicator, or a new target for one of theirs."""

    name = "kind"

    async def prompt(self, ctx: PCtx) -> Prompt:
        return Prompt(ctx.t("proposal_kind"), (Option("new", ctx.t("proposal_kind_new")),
                                               Option("target", ctx.t("proposal_kind_target"))))

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        data = ctx.data
        data["kind"] = answer.value
        if answer.value == "new":
            field_step, field = _NEW_INDICATOR[0]
            return Goto(field_step, arg=field)
        if not await ctx.store.indicators_of(int(data["me"]), int(data["tahun"])):
            return Finish((ctx.t("no_indicators", tahun=data["tahun"]),))
        return Goto(Pick)


class Pick(Step[ProposePorts]):
    """Which of their own indicators of the year gets a new target."""

    name = "pick"

    async def prompt(self, ctx: PCtx) -> Prompt:
        indicators = await ctx.store.indicators_of(int(ctx.data["me"]), int(ctx.data["tahun"]))
        return Prompt(ctx.t("proposal_pick"), tuple(
            Option(str(i.id), f"{i.indikator} ({format_number(i.target, ctx.language)} "
                              f"{i.satuan})") for i in indicators))

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        indicator = await ctx.store.indicator_by_id(int(answer.value or 0))
        if indicator is None or indicator.employee_id != ctx.data["me"]:
            return Finish((ctx.t("proposal_not_allowed"),))
        ctx.data.update(indicator_id=indicator.id, indikator=indicator.indikator,
                        satuan=indicator.satuan, old_target=indicator.target)
        return Goto(Target)


#: the free-text fields of a new indicator: catalog key of the question, longest answer
_TEXT_FIELDS: dict[str, tuple[str, int]] = {
    "rhk": ("proposal_rhk", TEXT_MAX),
    "indikator": ("proposal_indikator", TEXT_MAX),
    "satuan": ("proposal_satuan", SATUAN_MAX),
}


class Text(Step[ProposePorts]):
    """A typed field of the new indicator (``ctx.arg``: rhk, indikator or satuan)."""

    name = "text"

    async def prompt(self, ctx: PCtx) -> Prompt:
        key, limit = _TEXT_FIELDS[ctx.arg or ""]
        return Prompt(ctx.t(key, max=limit), free_text=True)

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        field = ctx.arg or ""
        try:
            text = _text(ctx, answer, _TEXT_FIELDS[field][1])
        except ValueError as error:
            return Retry(str(error))
        if not text:
            return Retry(ctx.t("review_text_empty"))
        ctx.data[field] = text
        return _after_field(Text, field)


class Choose(Step[ProposePorts]):
    """A field of the new indicator chosen from its values (``ctx.arg``: jenis, aspek or
    arah)."""

    name = "choose"

    async def prompt(self, ctx: PCtx) -> Prompt:
        field = ctx.arg or ""
        if field == "jenis":
            options = tuple(Option(j.value, j.value) for j in Jenis)
        elif field == "aspek":
            options = tuple(Option(a.value, a.value) for a in Aspek)
        else:
            options = tuple(Option(a.value, ctx.t("arah." + a.value)) for a in Arah)
        return Prompt(ctx.t("proposal_" + field), options)

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        field = ctx.arg or ""
        ctx.data[field] = answer.value
        return _after_field(Choose, field)


#: the fields of a new indicator, in the order they are asked; then the target
_NEW_INDICATOR: tuple[tuple[type[Step[ProposePorts]], str], ...] = (
    (Text, "rhk"), (Text, "indikator"), (Choose, "jenis"), (Choose, "aspek"), (Text, "satuan"),
    (Choose, "arah"),
)


def _after_field(step: type[Step[ProposePorts]], field: str) -> Outcome:
    index = _NEW_INDICATOR.index((step, field))
    if index + 1 < len(_NEW_INDICATOR):
        following, arg = _NEW_INDICATOR[index + 1]
        return Goto(following, arg=arg)
    return Goto(Target)


class Target(Step[ProposePorts]):
    """The proposed target for the year: a number ≥ 0 in the indicator's satuan."""

    name = "target"

    async def prompt(self, ctx: PCtx) -> Prompt:
        return Prompt(ctx.t("proposal_target", satuan=ctx.data["satuan"]), free_text=True)

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        value = _target(ctx, answer.text or "")
        if isinstance(value, str):
            return Retry(value)
        ctx.data["target"] = value
        return Goto(Reason)


class Reason(Step[ProposePorts]):
    """Why: optional for a new indicator, required for a new target."""

    name = "reason"

    async def prompt(self, ctx: PCtx) -> Prompt:
        if ctx.data["kind"] == "new":
            return Prompt(ctx.t("proposal_reason_optional", max=REASON_MAX),
                          (Option(SKIP, ctx.t("skip_short")),), free_text=True)
        return Prompt(ctx.t("proposal_reason", max=REASON_MAX), free_text=True)

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        reason = None
        if answer.value != SKIP:
            try:
                reason = _text(ctx, answer, REASON_MAX) or None
            except ValueError as error:
                return Retry(str(error))
        if reason is None and ctx.data["kind"] == "target":
            return Retry(ctx.t("review_text_empty"))
        ctx.data["reason"] = reason
        return Goto(Confirm)


def _preview(ctx: PCtx) -> ProposalInfo:
    d = ctx.data
    return ProposalInfo(
        id=0, employee_id=int(d["me"]), employee_nama="", atasan_id=None, kind=d["kind"],
        tahun=int(d["tahun"]), indicator_id=d.get("indicator_id"), rhk=d.get("rhk", ""),
        jenis=d.get("jenis", ""), indikator=d.get("indikator", ""),
        aspek=d.get("aspek", ""), satuan=d.get("satuan", ""), arah=d.get("arah", "naik"),
        target=float(d["target"]), old_target=d.get("old_target"), reason=d.get("reason"),
        counter_target=None, status=proposals.INITIAL_STATUS.value,
    )


class Confirm(Step[ProposePorts]):
    """The whole proposal: send it to the atasan, or cancel (nothing stored)."""

    name = "confirm"

    async def prompt(self, ctx: PCtx) -> Prompt:
        return Prompt(ctx.t("proposal_confirm", proposal=describe(ctx, _preview(ctx))),
                      (Option("send", ctx.t("review_send")),
                       Option("cancel", ctx.t("review_cancel"))))

    async def answer(self, ctx: PCtx, answer: Answer) -> Outcome:
        if answer.value != "send":
            return Finish((ctx.t("report_cancelled"),))
        return await _send(ctx)


async def _send(ctx: PCtx) -> Outcome:
    data = ctx.data
    me = await current_employee(ctx)
    if me is None or me.id != data["me"]:  # always for oneself
        return Finish((ctx.t("not_linked"),))
    if data["kind"] == "target":
        indicator = await ctx.store.indicator_by_id(int(data["indicator_id"]))
        if indicator is None or indicator.employee_id != me.id:
            return Finish((ctx.t("proposal_not_allowed"),))
    proposal_id = await ctx.store.create_proposal(NewProposal(
        employee_id=me.id, kind=data["kind"], tahun=int(data["tahun"]),
        target=float(data["target"]), created_at=ctx.now,
        indicator_id=data.get("indicator_id"),
        **{k: data.get(k) for k in ("rhk", "jenis", "indikator", "aspek", "satuan", "arah")
           if data["kind"] == "new"},
        reason=data.get("reason"),
    ))
    proposal = await ctx.store.proposal_by_id(proposal_id)
    assert proposal is not None, "created in this unit"
    if not await _push_to_atasan(ctx, proposal, "push_proposal"):
        return Finish((ctx.t("proposal_sent_waiting"),))
    return Finish((ctx.t("proposal_sent"),))


class ProposeFlow(Flow[ProposePorts]):
    """The employee's proposal; steps in the module docstring."""

    name = "propose"
    title_key = "flow.propose"
    version = 2  # v1 named the fields' steps "rhk", "indikator", "jenis" … themselves
    commands = ("usul",)

    def steps(self) -> tuple[Step[ProposePorts], ...]:
        return (Start(), Awaiting(), Decide(), Kind(), Pick(), Text(), Choose(), Target(),
                Reason(), Confirm())

    async def begin(self, ctx: PCtx, arg: Any) -> Outcome:
        """/usul: an atasan with staff's proposals waiting chooses between deciding them and
        proposing (only deciding when they have no atasan of their own); ``AWAITING`` (from
        /tinjau) opens the list at once."""
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        ctx.data.update(me=me.id, tahun=ctx.local_now.year)
        waiting = await ctx.store.proposals_awaiting(me.id)
        if waiting and (arg == AWAITING or me.atasan_id is None):
            return await _awaiting(ctx)
        if me.atasan_id is None:
            return Finish((ctx.t("proposal_no_atasan"),))
        return Goto(Start if waiting else Kind)

    def at_stake(self, ctx: PCtx) -> str | None:
        return ctx.t("proposal_at_stake") if ctx.data.get("kind") else None


# --- a step on a proposal: the atasan's decision, the employee's reply -----------------------

DCtx = Context[ProposalPorts]


async def _choose_step(
    ctx: DCtx, arg: Any, role: Role
) -> tuple[proposals.Transition, ProposalInfo] | str:
    """The step ``"<id>:<action>"`` of a button, when this chat's employee may take it now
    as ``role`` (who and which proposal are noted in ``ctx.data`` for :func:`_act`), with the
    proposal; else the reason it is refused."""
    proposal_id, _, action = str(arg or "").partition(":")
    me = await current_employee(ctx)
    if me is None:
        return ctx.t("not_linked")
    number = ascii_int(proposal_id)
    proposal = await ctx.store.proposal_by_id(number) if number is not None else None
    if proposal is None:
        return ctx.t("proposal_not_allowed")
    found = proposals.transition(
        proposal.status, action, proposals.role_of(me.id, proposal.employee_id,
                                                   proposal.atasan_id)
    )
    if found is None or found.role is not role:
        return ctx.t("proposal_not_allowed")
    ctx.data.update(me=me.id, proposal=proposal.id)
    return found, proposal


async def _act(
    ctx: DCtx, action: ProposalAction, *, text: str | None = None, target: float | None = None
) -> Outcome:
    """Take ``action`` on the proposal noted in ``ctx.data`` (storage checks it again), tell
    the other side (with their buttons when it is their move) and answer the one who took
    it."""
    me = await current_employee(ctx)
    if me is None or me.id != ctx.data["me"]:
        return Finish((ctx.t("proposal_not_allowed"),))
    before = await ctx.store.proposal_by_id(int(ctx.data["proposal"]))
    done = await ctx.store.act_on_proposal(int(ctx.data["proposal"]), me.id, action.value,
                                           ctx.now, text=text, target=target)
    if done is None or before is None:
        return Finish((ctx.t("proposal_not_allowed"),))
    lang = ctx.language
    # as proposed (an applied target moves old_target), in the recipient's language
    def about(ctx: Context[Any]) -> str:
        return describe(ctx, before)

    if action is ProposalAction.ACCEPT:
        await _push(ctx, done.employee_id, lambda ctx: Reply(ctx.t(
            "proposal_accepted_push", atasan=me.nama, proposal=about(ctx))), "feedback")
    elif action is ProposalAction.DECLINE:
        await _push(ctx, done.employee_id, lambda ctx: Reply(ctx.t(
            "proposal_declined_push", atasan=me.nama, proposal=about(ctx), reason=text or "")),
            "feedback")
    elif action is ProposalAction.COUNTER:
        await _push(ctx, done.employee_id, lambda ctx: Reply(
            ctx.t("proposal_countered_push", atasan=me.nama, proposal=about(ctx),
                  target=format_number(done.counter_target, ctx.language), satuan=done.satuan),
            _buttons(ctx, done, Role.EMPLOYEE)), "feedback")
    elif action is ProposalAction.AGREE:
        await _push(ctx, done.atasan_id, lambda ctx: Reply(ctx.t(
            "proposal_agreed_push", nama=done.employee_nama, proposal=about(ctx),
            satuan=done.satuan, target=format_number(done.counter_target, ctx.language))),
            "feedback")
        return Finish((ctx.t("proposal_agreed", proposal=about(ctx), satuan=done.satuan,
                             target=format_number(done.counter_target, lang)),))
    else:  # disagree: pending again, the atasan's move
        await _push_to_atasan(ctx, done, "push_proposal_disagreed", done.counter_target)
        return Finish((ctx.t("proposal_disagreed"),))
    said = [ctx.t("proposal_done_" + action.value, nama=done.employee_nama)]
    left = len(await ctx.store.proposals_awaiting(me.id))
    if left:
        said.append(ctx.t("proposal_more_awaiting", n=left))
    return Finish(tuple(said))


class CounterTarget(Step[ProposalPorts]):
    """The atasan's own target for the proposal (a number ≥ 0)."""

    name = "counter"

    async def prompt(self, ctx: DCtx) -> Prompt:
        proposal = await ctx.store.proposal_by_id(int(ctx.data["proposal"]))
        satuan = proposal.satuan if proposal else ""
        return Prompt(ctx.t("proposal_counter_prompt", satuan=satuan), free_text=True)

    async def answer(self, ctx: DCtx, answer: Answer) -> Outcome:
        value = _target(ctx, answer.text or "")
        if isinstance(value, str):
            return Retry(value)
        return await _act(ctx, ProposalAction.COUNTER, target=value)


class DeclineReason(Step[ProposalPorts]):
    """Why the atasan declines (told to the employee)."""

    name = "reason"

    async def prompt(self, ctx: DCtx) -> Prompt:
        return Prompt(ctx.t("review_reason", max=REASON_MAX), free_text=True)

    async def answer(self, ctx: DCtx, answer: Answer) -> Outcome:
        try:
            text = _text(ctx, answer, REASON_MAX)
        except ValueError as error:
            return Retry(str(error))
        if not text:
            return Retry(ctx.t("review_text_empty"))
        return await _act(ctx, ProposalAction.DECLINE, text=text)


class ProposalDecisionFlow(Flow[ProposalPorts]):
    """The direct atasan's buttons on a proposal: ``begin("<id>:<action>")``."""

    name = DECISION_FLOW
    title_key = "flow.proposal_decision"

    def steps(self) -> tuple[Step[ProposalPorts], ...]:
        return (CounterTarget(), DeclineReason())

    async def begin(self, ctx: DCtx, arg: Any) -> Outcome:
        allowed = await _choose_step(ctx, arg, Role.ATASAN)
        if isinstance(allowed, str):
            return Finish((allowed,))
        found, proposal = allowed
        if found.needs_target:
            return Goto(CounterTarget, (describe(ctx, proposal),))
        if found.needs_reason:
            return Goto(DeclineReason, (describe(ctx, proposal),))
        return await _act(ctx, found.action)


class ProposalReplyFlow(Command[ProposalPorts]):
    """The employee's answer to the atasan's target: ``run("<id>:<agree|disagree>")``."""

    name = REPLY_FLOW
    title_key = "flow.proposal_reply"

    async def run(self, ctx: DCtx, arg: Any) -> Outcome:
        allowed = await _choose_step(ctx, arg, Role.EMPLOYEE)
        if isinstance(allowed, str):
            return Finish((allowed,))
        found, _ = allowed
        return await _act(ctx, found.action)

