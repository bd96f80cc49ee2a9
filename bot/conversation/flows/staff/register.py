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
    Option,
    Outcome,
    Prompt,
    Retry,
    Step,
    Switch,
)
from bot.conversation.flows.staff.common import current_employee, role_commands
from bot.conversation.ports.activation import Activation, IntroStore
from bot.conversation.ports.people import People
from bot.conversation.typed import ascii_int

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
    commands = await role_commands(ctx, employee)
    if await store.mark_intro_shown(employee.id, ctx.now):
        return Switch(IntroFlow, "1", (ok, commands))
    return Finish((ok, commands))


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
                           await role_commands(ctx, employee)))
        return Goto(Code)


INTRO_PAGES = 4


def _page_text(ctx: Context[Any], page: int) -> str:
    return ctx.t(f"intro_{page}", i=page, n=INTRO_PAGES)


class Page(Step[People]):
    """One page of the introduction (``ctx.arg``: 1..``INTRO_PAGES`` − 1): Lanjut or Lewati,
    by button, number or label; the last page is said as the flow finishes."""

    name = "page"

    async def prompt(self, ctx: Context[People]) -> Prompt:
        page = int(ctx.arg or 1)
        return Prompt(_page_text(ctx, page), (Option("next", ctx.t("intro_next")),
                                              Option("skip", ctx.t("intro_skip"))))

    async def answer(self, ctx: Context[People], answer: Answer) -> Outcome:
        if answer.value == "skip":
            return await _skipped(ctx)
        return _show(ctx, int(ctx.arg or 1) + 1)


def _show(ctx: Context[People], page: int) -> Outcome:
    if page >= INTRO_PAGES:
        return Finish((_page_text(ctx, INTRO_PAGES),))
    return Goto(Page, arg=str(page))


async def _skipped(ctx: Context[People]) -> Outcome:
    employee = await current_employee(ctx)
    if employee is None:
        return Finish((ctx.t("not_linked"),))
    return Finish((ctx.t("intro_skipped"), await role_commands(ctx, employee)))


class IntroFlow(Flow[People]):
    """The guided introduction after the first /daftar: ``begin("<page>")`` or ``"skip"``.

    Shown unasked only once per employee (``IntroStore.mark_intro_shown``). Its pages are a
    question (Lanjut / Lewati) like any other, so a typed "1" or "lanjut" turns the page; it
    holds nothing unsaved, so any command simply moves on. ``!intro:<page>`` buttons of
    messages sent by earlier versions still page through it, for linked employees only.
    """

    name = "intro"
    title_key = "flow.intro"

    def steps(self) -> tuple[Step[People], ...]:
        return (Page(),)

    async def begin(self, ctx: Context[People], arg: Any) -> Outcome:
        if await current_employee(ctx) is None:
            return Finish((ctx.t("not_linked"),))
        page = ascii_int(str(arg or ""))
        if page is not None and 1 <= page <= INTRO_PAGES:
            return _show(ctx, page)
        return await _skipped(ctx)


class UnlinkFlow(Command[Activation]):
    """/keluar: this chat no longer speaks for an employee."""

    name = "unlink"
    commands = ("keluar",)

    async def run(self, ctx: Context[Activation], arg: Any) -> Outcome:
        removed = await ctx.store.unlink_chat(ctx.channel, ctx.chat_id)
        return Finish((ctx.t("unlink_ok" if removed else "unlink_none"),))
