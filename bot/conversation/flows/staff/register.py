"""/daftar KODE (or menu "Saya pegawai"): link this chat to an employee; /keluar unlinks.

An administrator prints one-time activation codes (``kinerja invite``): 8
characters from an alphabet without look-alikes (no 0/O, 1/I/L), valid for
7 days, stored only as an HMAC-SHA256 with the secret key. Redeeming one
links (channel, chat) to the employee — one chat per employee per channel —
and uses the code up. A chat may get 5 codes wrong per hour; the 6th try
within the hour is refused without even looking at the code.

The first time an employee links a chat, a short introduction follows
(:class:`IntroFlow`, 4 messages, skippable with Lewati).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, Protocol

from bot.conversation.flow import (
    Answer,
    Command,
    Context,
    Finish,
    Flow,
    Goto,
    Outcome,
    Prompt,
    Retry,
    Step,
    action_choice,
)
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.messages import Reply
from bot.conversation.ports.activation import Activation, IntroStore
from bot.conversation.ports.people import People

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_TTL = timedelta(days=7)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)


def new_code() -> str:
    """A fresh random activation code (``CODE_LENGTH`` characters of ``ALPHABET``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """Upper-case, without blanks and dashes (people type ``abcd-efgh``)."""
    return "".join(text.split()).replace("-", "").upper()


def code_hash(key: bytes, code: str) -> str:
    """The keyed hash stored for a code (hex HMAC-SHA256); the code itself is never stored."""
    return hmac.new(key, b"activation:" + normalize_code(code).encode(), hashlib.sha256).hexdigest()


class RegisterPorts(People, Activation, IntroStore, Protocol):
    """What linking reads and writes: who is linked, the codes and failed tries, the
    introduction's once-only mark."""


Ctx = Context[RegisterPorts]


class Code(Step[RegisterPorts]):
    """The activation code, typed (blanks, dashes and case do not matter)."""

    name = "code"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t("register_prompt"), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        return await _redeem(ctx, answer.text or "", in_flow=True)


async def _redeem(ctx: Ctx, text: str, *, in_flow: bool) -> Outcome:
    """Try ``text`` as a code: link the chat, or say how many tries are left and ask again
    (``in_flow``: the code question is being answered; else it came with /daftar)."""
    store = ctx.store
    failures = await store.failed_activations_since(
        ctx.channel, ctx.chat_id, ctx.now - FAILURE_WINDOW
    )
    if failures >= MAX_FAILURES:
        return Finish((ctx.t("register_blocked", chat=f"{ctx.channel}:{ctx.chat_id}"),))
    code = normalize_code(text)
    employee = None
    if len(code) == CODE_LENGTH and all(c in ALPHABET for c in code):
        employee = await store.redeem_activation(
            code_hash(ctx.config.secret_key, code), ctx.channel, ctx.chat_id, ctx.now
        )
    if employee is None:
        await store.record_failed_activation(ctx.channel, ctx.chat_id, ctx.now)
        left = MAX_FAILURES - failures - 1
        if left <= 0:
            return Finish((ctx.t("register_blocked", chat=f"{ctx.channel}:{ctx.chat_id}"),))
        reason = ctx.t("register_wrong", left=left)
        return Retry(reason) if in_flow else Goto(Code, (reason,))
    ok = ctx.t("register_ok", nama=employee.nama, jabatan=employee.jabatan)
    if await store.mark_intro_shown(employee.id, ctx.now):
        return Finish((ok, ctx.t("staff_commands"), intro_page(ctx, 1)))
    return Finish((ok, ctx.t("staff_commands")))


class RegisterFlow(Flow[RegisterPorts]):
    """Asks for the activation code (unless given with /daftar) and links the chat."""

    name = "register"
    title_key = "flow.register"
    commands = ("daftar",)

    def steps(self) -> tuple[Step[RegisterPorts], ...]:
        return (Code(),)

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        if isinstance(arg, str) and arg.strip():
            return await _redeem(ctx, arg, in_flow=False)
        employee = await current_employee(ctx)
        if employee is not None:
            return Finish((ctx.t("register_already", nama=employee.nama),
                           ctx.t("staff_commands")))
        return Goto(Code)


INTRO_PAGES = 4


def intro_page(ctx: Context[object], page: int) -> Reply:
    """Page ``page`` (1..``INTRO_PAGES``) of the introduction, with Lanjut / Lewati buttons
    (action buttons: the introduction holds no session, any command simply moves on)."""
    buttons = []
    if page < INTRO_PAGES:
        buttons.append(action_choice(IntroFlow, str(page + 1), ctx.t("intro_next")))
        buttons.append(action_choice(IntroFlow, "skip", ctx.t("intro_skip")))
    return Reply(ctx.t(f"intro_{page}", i=page, n=INTRO_PAGES), tuple(buttons))


class IntroFlow(Command[People]):
    """The guided introduction after the first /daftar: ``begin("<page>")`` or ``"skip"``.

    Shown unasked only once per employee (``IntroStore.mark_intro_shown``); the buttons of
    an old message still page through it, for linked employees only.
    """

    name = "intro"
    title_key = "flow.intro"

    async def run(self, ctx: Context[People], arg: Any) -> Outcome:
        if await current_employee(ctx) is None:
            return Finish((ctx.t("not_linked"),))
        page = str(arg or "")
        if page.isdigit() and 1 <= int(page) <= INTRO_PAGES:
            return Finish((intro_page(ctx, int(page)),))
        return Finish((ctx.t("intro_skipped"), ctx.t("staff_commands")))


class UnlinkFlow(Command[Activation]):
    """/keluar: this chat no longer speaks for an employee."""

    name = "unlink"
    commands = ("keluar",)

    async def run(self, ctx: Context[Activation], arg: Any) -> Outcome:
        removed = await ctx.store.unlink_chat(ctx.channel, ctx.chat_id)
        return Finish((ctx.t("unlink_ok" if removed else "unlink_none"),))
