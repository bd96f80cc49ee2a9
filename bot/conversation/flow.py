"""The shape of a conversation flow, and what the engine hands it.

A flow is a small state machine over named **steps**. A step is one question:
its prompt (text + options) and the handling of its answer sit together in one
:class:`Step` class. The answer returns an outcome: go to a step, re-ask with a
reason, finish, or switch to another flow. The engine does everything around
that — the unit of work, sessions, typed numbers, stale buttons, expiry, global
commands — so a flow holds only its own rules. A flow without questions (/status,
/skor …) is a :class:`Command`: one ``run`` that answers and finishes.

Flows keep their state in ``ctx.data`` (JSON-able, saved with the session and
versioned by :attr:`Flow.version`) and reach storage only through the narrow
port they declare as their type parameter: ``class SurveyFlow(Flow[SurveyPorts])``
sees ``ctx.store`` as a ``SurveyPorts``. The application's unit of work
implements every port, and the registry that holds all flows checks that it
does (``Flow`` is contravariant in its port, so ``Flow[SurveyPorts]`` is a
``Flow[Unit]`` exactly when ``Unit`` has what ``SurveyPorts`` names).

Slow work never happens inside the turn: a step registers an **effect** with
:meth:`Context.after_commit` (download evidence, render a summary's files), and
the engine runs it after the turn's commit, outside the writer lock.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.messages import Choice, Media, Reply
from bot.conversation.ports.sessions import UnitFactory

#: the store a context carries (the unit of work, seen through a flow's port)
S_co = TypeVar("S_co", covariant=True)
#: the port a flow or step needs; contravariant: a flow needing less fits a store having more
P = TypeVar("P", contravariant=True)


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a prompt. ``value`` is short ``[A-Za-z0-9_]`` text kept in the choice id."""

    value: str
    label: str
    short: str | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question. ``free_text``: typed text that is not an option is passed to the step."""

    text: str
    options: tuple[Option, ...] = ()
    free_text: bool = False
    accepts_media: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person answered: an option's ``value``, typed ``text``, or ``media``."""

    value: str | None = None
    text: str | None = None
    media: Media | None = None


@dataclass(frozen=True, slots=True)
class Goto:
    """Ask ``step`` next (with ``arg`` for a parametrised step); ``say`` is sent before it.

    ``step`` is a :class:`Step` class (or, for flows not yet on typed steps, a step name).
    """

    step: type[Step[Any]] | str
    say: tuple[str | Reply, ...] = ()
    arg: str | None = None

    @property
    def name(self) -> str:
        """The step as stored in the session: ``"<step name>"`` or ``"<step name>:<arg>"``."""
        base = self.step if isinstance(self.step, str) else self.step.name
        return base if self.arg is None else f"{base}:{self.arg}"


@dataclass(frozen=True, slots=True)
class Retry:
    """The answer is not acceptable: say ``reason`` and ask the same question again."""

    reason: str


@dataclass(frozen=True, slots=True)
class Finish:
    """The flow is done; send ``say`` and go back to idle."""

    say: tuple[Reply | str, ...] = ()


@dataclass(frozen=True, slots=True)
class Switch:
    """Start another flow (by class or by name) with ``arg``; ``say`` is sent first."""

    flow: type[Flow[Any]] | str
    arg: Any = None
    say: tuple[str | Reply, ...] = ()

    @property
    def name(self) -> str:
        return self.flow if isinstance(self.flow, str) else self.flow.name


Outcome = Goto | Retry | Finish | Switch

#: Choice ids starting with this are *action buttons*: ``!<flow>:<arg>``.
ACTION_PREFIX = "!"


def action_choice(flow: type[Flow[Any]] | str, arg: str, label: str) -> Choice:
    """A button for a pushed message (e.g. an approval request) that starts ``flow``
    with ``arg`` whenever it is pressed, whatever the person is doing then.

    Unlike a question's options it is not bound to a step: the flow's ``begin``
    must check again that the action is still allowed and still makes sense.
    Raises ``ValueError`` when the id would exceed 64 bytes.
    """
    name = flow if isinstance(flow, str) else flow.name
    choice_id = f"{ACTION_PREFIX}{name}:{arg}"
    if len(choice_id.encode()) > 64:
        raise ValueError(f"action id too long: {choice_id!r}")
    return Choice(choice_id, label)


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """The settings the conversation layer uses (a slice of ``bot.config.Settings``)."""

    secret_key: bytes
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    default_language: str = "id"
    session_idle_minutes: int = 60
    survey_per_day: int = 1
    suggestion_max_chars: int = 1000
    public_ikm_min_responses: int = 10
    #: the atasan's atasan may also review (/tinjau) and rate (/nilai)
    review_by_second_level: bool = False
    #: ``"channel:chat_id"`` of the chats allowed to use admin chat commands (/admin)
    admin_chat_ids: frozenset[str] = frozenset()
    #: the SKM period kind of /tindaklanjut, /saran and /ikuti (``kinerja.periods`` kind)
    skm_period: str = "quarter"
    #: count bad responses for the unit head's hourly alert (``bot.jobs.alerts``)
    alerts_enabled: bool = True


@dataclass(frozen=True, slots=True)
class AfterCommit(Generic[S_co]):
    """What an effect gets: the chat it belongs to and a way to open new units.

    An effect runs after the turn committed, outside the writer lock; whatever it
    writes goes into a unit of its own (``store.unit()``), so a failure there never
    undoes the turn.
    """

    channel: str
    chat_id: str
    language: str
    now: datetime
    config: EngineConfig
    store: UnitFactory[S_co]

    def t(self, key: str, /, **values: object) -> str:
        return texts.text(self.language, key, **values)


#: an effect: async work after the commit; the replies it returns are sent after the turn's
Effect = Callable[[AfterCommit[Any]], Awaitable[Sequence[Reply] | None]]


@dataclass(frozen=True, slots=True)
class Pending:
    """An effect registered by a turn. ``background``: do not hold the turn's replies for it
    (its replies, if any, are sent when it finishes)."""

    effect: Effect
    background: bool = False


@dataclass(slots=True)
class Context(Generic[S_co]):
    """Everything a flow may use while handling one message.

    ``store`` is the turn's unit of work seen through the flow's port; ``arg`` is
    the parameter of the step being asked or answered (``None`` for a plain step).
    """

    channel: str
    chat_id: str
    language: str
    now: datetime
    data: dict[str, Any]
    store: S_co
    config: EngineConfig
    arg: str | None = None
    effects: list[Pending] = field(default_factory=list)
    #: set by :meth:`choose_language`: the engine saves it as the chat's language
    chosen_language: str | None = None

    def t(self, key: str, /, **values: object) -> str:
        """A catalog text in the person's language."""
        return texts.text(self.language, key, **values)

    def choose_language(self, language: str) -> None:
        """The person chose ``language`` (a catalog code, see ``texts.LANGUAGES``): answer in
        it from now on, and keep it for this chat (the engine saves it with the session, as
        /bahasa does). Raises ``ValueError`` for a language without a catalog."""
        if language not in texts.LANGUAGES:
            raise ValueError(f"no catalog for language {language!r}")
        self.language = language
        self.chosen_language = language

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.config.timezone)

    def after_commit(self, effect: Effect, *, background: bool = False) -> None:
        """Run ``effect`` once this turn has committed (never if it rolls back)."""
        self.effects.append(Pending(effect, background))


#: /bantuan for this chat (e.g. by role), or ``None`` for the built-in ``help`` text; the
#: engine's /bantuan and the menu's "Bantuan" ask the same one.
HelpProvider = Callable[[Context[Any]], Awaitable[str | None]]


class Step(ABC, Generic[P]):
    """One question of a flow: how it is asked and what its answer does.

    ``name`` is stored in sessions: keep it stable. A parametrised step (the
    survey's nine unsur are one step) is entered with ``Goto(Step, arg=…)`` and reads
    the parameter from ``ctx.arg``.
    """

    name: ClassVar[str]

    @abstractmethod
    async def prompt(self, ctx: Context[P]) -> Prompt:
        """The question, rendered in ``ctx.language``."""

    @abstractmethod
    async def answer(self, ctx: Context[P], answer: Answer) -> Outcome:
        """Judge the answer. Options were already matched by the engine."""


class Flow(ABC, Generic[P]):
    """Base of every flow.

    - ``name`` keys the flow in sessions and action buttons; keep it stable.
    - ``title_key``: the catalog key that names the flow to a person ("survei",
      "laporan") when another command would interrupt it.
    - ``version``: bump it when the shape of ``ctx.data`` or the step names change, so
      a conversation saved by an older deploy is not misread (the engine restarts it).
    - ``commands``: the slash commands (without the slash) that start the flow; the
      argument text goes to :meth:`begin`.
    """

    name: ClassVar[str]
    title_key: ClassVar[str] = ""
    version: ClassVar[int] = 1
    commands: ClassVar[tuple[str, ...]] = ()

    def steps(self) -> Sequence[Step[P]]:
        """The flow's steps (instances). A :class:`Command` has none."""
        return ()

    @abstractmethod
    async def begin(self, ctx: Context[P], arg: Any) -> Outcome:
        """Start the flow (``ctx.data`` is empty)."""

    def at_stake(self, ctx: Context[P]) -> str | None:
        """What the person would lose if this flow were dropped now, in their language
        (e.g. "Loket 2 KTP-el, 4 dari 9 pertanyaan terjawab"), or ``None`` when nothing is
        at stake.

        This is how the engine knows whether a flow holds unsaved work, without knowing
        any flow by name. ``None`` (the default) means leaving loses nothing: a menu, a
        read-only or finished flow, a step whose answers are stored as they are given. Then
        a service point's payload, a command or an action button simply replaces the flow
        — no question, no "Dibatalkan". A flow that collects answers before one "Kirim"
        stores them must override this and name what would be lost once there is any: a
        payload then asks "continue or start the new one" (naming both), and a command says
        that the unsaved answers were dropped.
        """
        return None

    async def preview(self, ctx: Context[P], arg: Any) -> str | Retry:
        """What :meth:`begin` with ``arg`` would start, named for a person in their language
        ("survei Loket 2 KTP-el") — the engine offers it beside an unfinished flow — or a
        :class:`Retry` with the reason when ``arg`` would start nothing (an unknown code),
        so the unfinished flow is left alone and its question asked again.

        Only reads, and not ``ctx.data``: that is still the unfinished flow's. The default
        names the flow by its ``title_key``.
        """
        return ctx.t(self.title_key) if self.title_key else self.name

    @cached_property
    def _step_table(self) -> dict[str, Step[P]]:
        table: dict[str, Step[P]] = {}
        for step in self.steps():
            if step.name in table or ":" in step.name:
                raise ValueError(f"flow {self.name}: step name {step.name!r} repeated or has ':'")
            table[step.name] = step
        return table

    def step(self, name: str) -> Step[P]:
        """The step called ``name`` (``KeyError`` when the flow has none)."""
        return self._step_table[name]

    async def prompt(self, ctx: Context[P], step: str) -> Prompt:
        """The question of the stored ``step`` (``"name"`` or ``"name:arg"``)."""
        name, _, arg = step.partition(":")
        ctx.arg = arg or None
        return await self.step(name).prompt(ctx)

    async def answer(self, ctx: Context[P], step: str, answer: Answer) -> Outcome:
        """Hand the answer to the stored ``step``."""
        name, _, arg = step.partition(":")
        ctx.arg = arg or None
        return await self.step(name).answer(ctx, answer)


class Command(Flow[P]):
    """A flow with no questions: :meth:`run` answers (usually with a :class:`Finish`)."""

    @abstractmethod
    async def run(self, ctx: Context[P], arg: Any) -> Outcome:
        """Do the command. ``arg`` is the text after the command, or an action's argument."""

    async def begin(self, ctx: Context[P], arg: Any) -> Outcome:
        return await self.run(ctx, arg)
