"""The shape of a conversation flow, and what the engine hands it.

A flow is a small state machine over named steps. For each step it renders a
:class:`Prompt` (text + options) and judges an :class:`Answer`, returning an
outcome: go to a step, re-ask with a reason, finish, or switch to another
flow. The engine does everything around that — sessions, typed numbers,
stale buttons, expiry, global commands — so a flow holds only its own rules.

Flows keep their state in ``ctx.data`` (JSON-able, saved with the session)
and reach storage only through the ports in :mod:`bot.conversation.ports`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.conversation import texts
from bot.conversation.messages import Choice, Media, Reply
from bot.conversation.ports import ConversationStore


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a prompt. ``value`` is short ``[A-Za-z0-9_]`` text kept in the choice id."""

    value: str
    label: str
    short: str | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question. ``free_text``: typed text that is not an option is passed to the flow."""

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
    """Ask ``step`` next; ``say`` is sent before its question."""

    step: str
    say: tuple[str, ...] = ()


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
    """Start ``flow`` with ``arg``; ``say`` is sent first."""

    flow: str
    arg: Any = None
    say: tuple[str, ...] = ()


Outcome = Goto | Retry | Finish | Switch

#: Choice ids starting with this are *action buttons*: ``!<flow>:<arg>``.
ACTION_PREFIX = "!"


def action_choice(flow: str, arg: str, label: str) -> Choice:
    """A button for a pushed message (e.g. an approval request) that starts ``flow``
    with ``arg`` whenever it is pressed, whatever the person is doing then.

    Unlike a question's options it is not bound to a step: the flow's ``begin``
    must check again that the action is still allowed and still makes sense.
    Raises ``ValueError`` when the id would exceed 64 bytes.
    """
    choice_id = f"{ACTION_PREFIX}{flow}:{arg}"
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


@dataclass(slots=True)
class Context:
    """Everything a flow may use while handling one message."""

    channel: str
    chat_id: str
    language: str
    now: datetime
    data: dict[str, Any]
    store: ConversationStore
    config: EngineConfig

    def t(self, key: str, /, **values: object) -> str:
        """A catalog text in the person's language."""
        return texts.text(self.language, key, **values)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.config.timezone)


class Flow(ABC):
    """Base of every flow. ``name`` keys the flow in sessions; keep it stable."""

    name: str

    @abstractmethod
    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        """Start the flow (``ctx.data`` is empty)."""

    @abstractmethod
    async def prompt(self, ctx: Context, step: str) -> Prompt:
        """The question of ``step``, rendered in ``ctx.language``."""

    @abstractmethod
    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        """Judge the answer to ``step``. Options were already matched by the engine."""
