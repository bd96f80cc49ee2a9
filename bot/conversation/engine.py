"""The conversation engine: one inbound message in, the replies out.

``Engine.handle`` runs each message in one unit of work (``store.unit()``):
drop a duplicate platform message id, load the chat's session, apply the
global commands (/start [payload], /menu, /batal, /bantuan, /bahasa), run the
current flow's step (the flow gets the unit's handle as ``ctx.store``), save,
commit — and only then hand the replies to the channel. A step that raises
rolls everything back (the message is not even marked as seen, so a platform
redelivery is processed again).

Choice ids are ``"<seq>.<value>"`` where ``seq`` counts the questions asked
in this chat: a button from an earlier question can never answer the
current one. Messages of one chat are handled strictly one after another.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.conversation import texts
from bot.conversation.flow import (
    ACTION_PREFIX,
    AfterCommit,
    Answer,
    Context,
    EngineConfig,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Pending,
    Prompt,
    Retry,
    Switch,
)
from bot.conversation.links import extract_payload, payload_of_start
from bot.conversation.messages import Choice, Inbound, InboundKind, Reply
from bot.conversation.ports.sessions import SessionRecord, UnitFactory
from bot.conversation.registry import FlowRegistry
from kinerja.numbers import parse_choice

log = logging.getLogger(__name__)

IDLE = "idle"
EXPIRED = "expired"
RESTART_STEP = "__restart__"
#: how much of an unknown command's name the answer repeats
UNKNOWN_COMMAND_SHOWN = 24

#: Sends one chat's replies; awaited while that chat's lock is held.
Deliver = Callable[[Sequence[Reply]], Awaitable[None]]


def utcnow() -> datetime:
    return datetime.now(UTC)


class _ChatLocks:
    """One asyncio lock per chat, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    def hold(self, key: tuple[str, str]) -> _Held:
        return _Held(self, key)


class _Held:
    __slots__ = ("_key", "_lock", "_locks")

    def __init__(self, locks: _ChatLocks, key: tuple[str, str]) -> None:
        self._locks = locks
        self._key = key
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> None:
        lock, users = self._locks._locks.get(self._key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks._locks[self._key] = (lock, users + 1)
        self._lock = lock
        await lock.acquire()

    async def __aexit__(self, *exc: object) -> None:
        assert self._lock is not None
        self._lock.release()
        lock, users = self._locks._locks[self._key]
        if users <= 1:
            del self._locks._locks[self._key]
        else:
            self._locks._locks[self._key] = (lock, users - 1)


class Engine:
    """Routes inbound messages to flows; implements :class:`bot.channels.base.Handler`.

    The engine knows no flow by name: ``registry`` says which flow is home (idle
    input, /menu), which one a service point's payload starts, which commands start
    which flow, and who answers /bantuan (the provider runs inside the turn's unit).
    """

    def __init__(
        self,
        store: UnitFactory[Any],
        config: EngineConfig,
        registry: FlowRegistry[Any],
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.config = config
        self.registry = registry
        self.clock = clock
        self._locks = _ChatLocks()
        self._background: set[asyncio.Task[None]] = set()
        self._releases: list[int] = []
        self._releasing: asyncio.Task[None] | None = None

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        """Process one message; return (and, with ``deliver``, send) its replies.

        With ``deliver``, the turn's replies are also held in the turn's unit of work
        (``uow.hold_replies``) and released once ``deliver`` returned or raised: a
        process killed between the commit and the send leaves them held, and the next
        start sends them through the outbox — a reply is never lost after its commit
        (at worst sent twice, when the kill came after the send). Replies of
        after-commit effects are not held.
        """
        async with self._locks.hold((inbound.channel, inbound.chat_id)):
            now = self.clock()
            async with self.store.unit() as uow:
                claimed, record = await uow.claim_and_load(
                    inbound.channel, inbound.chat_id, inbound.message_id, now
                )
                if not claimed:
                    return []
                if record is None:
                    record = SessionRecord(inbound.channel, inbound.chat_id, IDLE, IDLE)
                turn = _Turn(self, uow, record, inbound, now)
                await turn.run()
                if turn.ctx.chosen_language is not None:  # /bahasa, or a flow's choice
                    record.language = turn.ctx.chosen_language
                record.updated_at = now
                record.expires_at = (
                    now + timedelta(minutes=self.config.session_idle_minutes)
                    if record.flow != IDLE
                    else None
                )
                await uow.save_session(record)
                hold = (
                    await uow.hold_replies(
                        inbound.channel, inbound.chat_id, inbound.message_id, turn.out
                    )
                    if deliver is not None and turn.out
                    else None
                )
            replies = turn.out + await self._after_commit(turn)
            if deliver is not None and replies:
                try:
                    await deliver(replies)
                except Exception:
                    await self._release(hold)
                    raise
            await self._release(hold)
            return replies

    async def _release(self, hold: int | None) -> None:
        """The held replies were handed to the channel: forget them (see :meth:`handle`).

        Releases are written in batches by one task: those that come while a batch
        waits for the writer go in the next one, so a busy bot pays about one short
        unit per batch, not one per message. A release not written yet when the
        process dies only means those replies may be sent once more after the restart.
        """
        if hold is None:
            return
        self._releases.append(hold)
        if self._releasing is None or self._releasing.done():
            self._releasing = asyncio.create_task(self._release_batches())
            self._background.add(self._releasing)
            self._releasing.add_done_callback(self._background.discard)

    async def _release_batches(self) -> None:
        while self._releases:
            batch, self._releases = self._releases, []
            try:
                async with self.store.unit() as uow:
                    await uow.release_replies(batch)
            except Exception as exc:  # they stay held: sent again only after a crash
                log.error("releasing held replies failed: %s", type(exc).__name__)
                return

    async def _after_commit(self, turn: _Turn) -> list[Reply]:
        """Run the turn's effects now that it has committed, outside the writer lock.

        Foreground effects run in order and their replies follow the turn's; one that
        fails is logged (by type, never with content) and answered with an apology —
        the turn stays committed. Background effects are started as tasks and their
        failures only logged: whatever they must tell someone goes through the outbox.
        """
        if not turn.ctx.effects:
            return []
        env = AfterCommit(
            channel=turn.ctx.channel, chat_id=turn.ctx.chat_id, language=turn.ctx.language,
            now=turn.ctx.now, config=self.config, store=self.store,
        )
        replies: list[Reply] = []
        for pending in turn.ctx.effects:
            if pending.background:
                task = asyncio.create_task(self._background_effect(pending, env))
                self._background.add(task)
                task.add_done_callback(self._background.discard)
                continue
            try:
                replies.extend(await pending.effect(env) or ())
            except Exception as exc:
                log.error("effect after commit failed: %s", type(exc).__name__, exc_info=exc)
                replies.append(Reply(env.t("error_apology")))
        return replies

    async def _background_effect(self, pending: Pending, env: AfterCommit[Any]) -> None:
        try:
            await pending.effect(env)
        except Exception as exc:
            log.error("background effect failed: %s", type(exc).__name__, exc_info=exc)

    async def drain(self) -> None:
        """Wait for the background effects started so far, and the releases of held
        replies (at shutdown, and in tests)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def choice_id(self, seq: int, value: str) -> str:
        return f"{seq}.{value}"

    async def current_question(self, channel: str, chat_id: str) -> Reply | None:
        """The question the chat's session waits on, rendered again from the session as it
        is committed now; ``None`` when it waits on none (no session, idle, expired).

        For a reply deferred to the outbox: what the question showed (a survey's review
        lists the answers and the saran) is rebuilt from the session when it is sent,
        never stored with the outbox row.
        """
        async with self.store.reading() as r:
            record = await r.load_session(channel, chat_id)
            if record is None:
                return None
            turn = _Turn(self, r, record, Inbound(channel, chat_id, InboundKind.TEXT),
                         self.clock())
            expired = record.expires_at is not None and turn.ctx.now >= record.expires_at
            if not turn.in_flow or expired or (
                turn.flow is not None and record.flow_version != turn.flow.version
            ):
                return None
            await turn.ask()
        return turn.out[-1]


def is_question(reply: Reply) -> bool:
    """Whether ``reply`` is an engine's question (choices ``<seq>.<value>``, see
    :meth:`Engine.choice_id`) rather than a notice or a pushed message with actions."""
    return bool(reply.choices) and all(
        c.id.partition(".")[0].isdigit() and "." in c.id for c in reply.choices
    )


class _Turn:
    """The handling of one inbound message (lives for one ``handle`` call)."""

    def __init__(
        self, engine: Engine, store: Any, record: SessionRecord, inbound: Inbound,
        now: datetime,
    ):
        self.engine = engine
        self.record = record
        self.inbound = inbound
        self.out: list[Reply] = []
        language = (
            record.language
            or texts.normalize_language(inbound.language)
            or engine.config.default_language
        )
        self.ctx = Context(
            channel=inbound.channel,
            chat_id=inbound.chat_id,
            language=language,
            now=now,
            data=record.data,
            store=store,
            config=engine.config,
        )

    # --- helpers -------------------------------------------------------------

    def say(self, *messages: Reply | str) -> None:
        self.out.extend(m if isinstance(m, Reply) else Reply(m) for m in messages)

    def refuse_tap(self) -> None:
        """Say that the button just tapped does not count (it is an old one)."""
        self.out.append(Reply(self.ctx.t("stale_button"), refuses_choice=True))

    @property
    def flow(self) -> Flow[Any] | None:
        return self.engine.registry.get(self.record.flow)

    @property
    def in_flow(self) -> bool:
        return self.record.flow not in (IDLE, EXPIRED) and self.flow is not None

    def at_stake(self) -> str | None:
        """What leaving the current flow now would lose (its :meth:`Flow.at_stake`), or
        ``None`` when idle or nothing unsaved is held."""
        flow = self.flow
        if not self.in_flow or flow is None:
            return None
        return flow.at_stake(self.ctx)

    def leave(self) -> None:
        """Drop the current flow for another start; say "Dibatalkan…" only when something
        unsaved was really dropped."""
        if self.at_stake():
            self.say(self.ctx.t("cancelled"))
        self.reset()

    def reset(self) -> None:
        self.record.flow = IDLE
        self.record.step = IDLE
        self.record.flow_version = 1
        self.record.data = {}
        self.ctx.data = self.record.data

    async def current_prompt(self) -> Prompt:
        if self.record.step == RESTART_STEP:
            saved = self.record.data["_restart"]
            if saved.get("new"):
                return Prompt(
                    self.ctx.t("restart_prompt_new", flow=saved.get("title", ""),
                               new=saved["new"]),
                    (
                        Option("continue", self.ctx.t("restart_continue")),
                        Option("restart", self.ctx.t("restart_new")),
                    ),
                )
            return Prompt(
                self.ctx.t("restart_prompt", flow=saved.get("title", "")),
                (
                    Option("continue", self.ctx.t("restart_continue")),
                    Option("restart", self.ctx.t("restart_restart")),
                ),
            )
        assert self.flow is not None
        return await self.flow.prompt(self.ctx, self.record.step)

    async def ask(self) -> None:
        """Send the current step's question with choice ids bound to this ``seq``."""
        prompt = await self.current_prompt()
        seq = self.record.seq
        self.out.append(
            Reply(
                prompt.text,
                tuple(
                    Choice(self.engine.choice_id(seq, o.value), o.label, o.short)
                    for o in prompt.options
                ),
            )
        )

    async def apply(self, outcome: Outcome) -> None:
        for _ in range(20):  # flows switching into flows; bounded against loops
            if isinstance(outcome, Goto):
                self.say(*outcome.say)
                self.record.step = outcome.name
                self.record.seq += 1
                await self.ask()
                return
            if isinstance(outcome, Retry):
                self.say(outcome.reason)
                await self.ask()
                return
            if isinstance(outcome, Finish):
                self.say(*outcome.say)
                self.reset()
                return
            assert isinstance(outcome, Switch)
            self.say(*outcome.say)
            target = self.engine.registry.flows[outcome.name]
            self.record.flow = target.name
            self.record.flow_version = target.version
            self.record.step = ""
            self.record.data = {}
            self.ctx.data = self.record.data
            outcome = await target.begin(self.ctx, outcome.arg)
        raise RuntimeError("flows kept switching into each other")

    # --- the turn ----------------------------------------------------------

    async def run(self) -> None:
        record = self.record
        if record.flow == EXPIRED or (
            record.flow != IDLE
            and record.expires_at is not None
            and self.ctx.now >= record.expires_at
        ):
            self.say(self.ctx.t("expired", minutes=self.engine.config.session_idle_minutes))
            self.reset()
        elif record.flow != IDLE and (
            self.flow is None or record.flow_version != self.flow.version
        ):
            # a flow this version no longer has, or whose saved data has another shape
            self.say(self.ctx.t("flow_updated"))
            self.reset()

        inbound = self.inbound
        if inbound.kind is InboundKind.COMMAND:
            await self.command(inbound.command or "", inbound.text)
            return
        if inbound.kind is InboundKind.CHOICE and (inbound.choice_id or "").startswith(
            ACTION_PREFIX
        ):
            await self.action(inbound.choice_id or "")
            return
        if not self.in_flow:
            await self.idle_input()
            return
        if inbound.kind is InboundKind.TEXT:
            payload = extract_payload(inbound.text)
            if payload is not None:
                await self.start_payload(payload)
                return
        await self.flow_input()

    async def idle_input(self) -> None:
        inbound = self.inbound
        if inbound.kind is InboundKind.TEXT:
            payload = extract_payload(inbound.text)
            if payload is not None:
                await self.apply(Switch(self.engine.registry.payload, payload))
                return
        if inbound.kind is InboundKind.CHOICE:
            self.refuse_tap()
        elif inbound.kind is InboundKind.MEDIA:
            self.say(self.ctx.t("media_not_expected"))
        await self.apply(Switch(self.engine.registry.home))

    async def flow_input(self) -> None:
        inbound = self.inbound
        prompt = await self.current_prompt()
        answer: Answer | None = None
        if inbound.kind is InboundKind.CHOICE:
            seq, _, value = (inbound.choice_id or "").partition(".")
            if seq != str(self.record.seq) or not any(o.value == value for o in prompt.options):
                self.refuse_tap()
                await self.ask()
                return
            answer = Answer(value=value)
        elif inbound.kind is InboundKind.MEDIA:
            if not prompt.accepts_media:
                await self.apply(Retry(self.ctx.t("media_not_expected")))
                return
            answer = Answer(media=inbound.media, text=(inbound.media.caption or None)
                            if inbound.media else None)
        else:
            answer = self.match_text(prompt, inbound.text)
            if answer is None:
                await self.apply(Retry(self.ctx.t("choose_number", n=len(prompt.options))))
                return

        if self.record.step == RESTART_STEP:
            await self.restart_answer(answer.value or "")
            return
        assert self.flow is not None
        await self.apply(await self.flow.answer(self.ctx, self.record.step, answer))

    @staticmethod
    def match_text(prompt: Prompt, text: str) -> Answer | None:
        """Typed text → an option (by number or label), free text, or ``None``."""
        cleaned = text.strip()
        if prompt.options:
            index = parse_choice(cleaned)
            if index is not None and 1 <= index <= len(prompt.options):
                return Answer(value=prompt.options[index - 1].value)
            folded = cleaned.casefold()
            for option in prompt.options:
                if folded and folded in (option.label.casefold(), (option.short or "").casefold()):
                    return Answer(value=option.value)
        if prompt.free_text or not prompt.options:
            return Answer(text=cleaned)
        return None

    # --- commands ------------------------------------------------------------

    async def command(self, name: str, args: str) -> None:
        ctx = self.ctx
        if name == "start":
            payload = payload_of_start(args)
            if payload:
                await self.start_payload(payload)
            elif self.record.step == RESTART_STEP:
                await self.ask()
            elif self.at_stake():
                await self.ask_restart(None, None)
            else:
                self.reset()
                await self.apply(Switch(self.engine.registry.home, None, (ctx.t("welcome"),)))
            return
        if name == "menu":
            self.leave()
            await self.apply(Switch(self.engine.registry.home))
            return
        if name == "batal":
            if self.at_stake():
                self.reset()
                self.say(ctx.t("cancelled"), ctx.t("hint_menu"))
            elif self.in_flow:
                self.reset()
                self.say(ctx.t("closed"), ctx.t("hint_menu"))
            else:
                self.say(ctx.t("nothing_to_cancel"), ctx.t("hint_menu"))
            return
        if name in ("bantuan", "help"):
            provider = self.engine.registry.help_provider
            custom = await provider(ctx) if provider is not None else None
            self.say(custom or ctx.t("help"))
            if self.in_flow:
                await self.ask()
            return
        if name in ("bahasa", "language"):
            if args.strip():
                wanted = texts.normalize_language(args)
                if wanted is None:  # refused, with the list; nothing changes
                    self.say(ctx.t("language_unknown", code=args.strip()[:20],
                                   choices=", ".join(texts.LANGUAGES)))
                    if self.in_flow:
                        await self.ask()
                    return
            else:
                wanted = "en" if ctx.language == "id" else "id"
            ctx.choose_language(wanted)
            self.say(ctx.t("language_set"))
            if self.in_flow:
                await self.ask()
            return
        target = self.engine.registry.for_command(name)
        if target is not None:
            self.leave()
            await self.apply(Switch(target.name, args.strip() or None))
            return
        # echo a short prefix only: the name is what anyone typed after a slash
        shown = name if len(name) <= UNKNOWN_COMMAND_SHOWN else name[:UNKNOWN_COMMAND_SHOWN] + "…"
        self.say(ctx.t("unknown_command", command=shown))
        if self.in_flow:
            await self.ask()

    async def action(self, choice_id: str) -> None:
        """An action button from a pushed message: start its flow with its argument."""
        name, _, arg = choice_id[len(ACTION_PREFIX):].partition(":")
        registry = self.engine.registry
        if registry.get(name) is None or name in (registry.home, registry.payload):
            self.refuse_tap()
            if self.in_flow:
                await self.ask()
            return
        self.leave()
        await self.apply(Switch(name, arg))

    async def start_payload(self, payload: str) -> None:
        """A service point's payload (QR code, deep link, ``SKM …``): a valid one always wins.

        From idle, or from a flow with nothing at stake, it starts its flow at once (an
        invalid one is then refused by that flow). Beside unfinished work it asks "continue
        or start the new one", naming both — unless the payload starts nothing, which is
        said without touching the unfinished flow.
        """
        registry = self.engine.registry
        if not self.at_stake():
            self.reset()
            await self.apply(Switch(registry.payload, payload))
            return
        preview = await registry.flows[registry.payload].preview(self.ctx, payload)
        if isinstance(preview, Retry):
            await self.apply(preview)
            return
        await self.ask_restart(payload, preview)

    async def ask_restart(self, payload: str | None, new: str | None) -> None:
        """Beside unfinished work, /start again (or a payload, named ``new``): continue
        where they were, or start over (the new one).

        The question names the flow it interrupts and what is at stake in it. Asked again
        while it is open, it keeps the flow's place and offers the latest start.
        """
        flow = self.flow
        assert flow is not None
        saved = self.record.data.get("_restart")
        if saved is None or self.record.step != RESTART_STEP:
            title = self.ctx.t(flow.title_key) if flow.title_key else flow.name
            stake = flow.at_stake(self.ctx)
            if stake:
                title = f"{title} ({stake})"
            saved = {"step": self.record.step, "title": title}
        self.record.data["_restart"] = {**saved, "arg": payload, "new": new}
        await self.apply(Goto(RESTART_STEP))

    async def restart_answer(self, value: str) -> None:
        saved: dict[str, Any] = self.record.data.pop("_restart", {})
        if value == "continue" and saved.get("step"):
            await self.apply(Goto(saved["step"]))
            return
        self.reset()
        payload = saved.get("arg")
        registry = self.engine.registry
        await self.apply(Switch(registry.payload, payload) if payload else Switch(registry.home))
