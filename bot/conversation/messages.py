"""The language between channels and the conversation engine.

A channel turns a platform update into one :class:`Inbound` and renders each
:class:`Reply` the engine returns. Nothing here knows a platform: the same
objects travel from Telegram, WhatsApp and the console.

These are frozen dataclasses with slots rather than pydantic models because
one is built per chat message on the hot path; they hold no validation beyond
their types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class InboundKind(StrEnum):
    """What a person did."""

    TEXT = "text"  #: typed text (including a typed option number)
    CHOICE = "choice"  #: tapped a button / list row; ``choice_id`` is set
    COMMAND = "command"  #: ``/name args``; ``command`` is set, ``text`` holds the args
    MEDIA = "media"  #: photo, document, voice, sticker …; ``media`` is set


@dataclass(frozen=True, slots=True)
class Media:
    """A file a person sent, as the platform refers to it.

    ``kind`` is one of ``photo``, ``document``, ``voice``, ``audio``,
    ``video``, ``sticker``, ``location``, ``contact`` or ``other``.
    ``file_ref`` is the platform's own reference (Telegram ``file_id``,
    WhatsApp media id); the channel knows how to download it.
    """

    kind: str
    file_ref: str = ""
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a person to the bot.

    ``chat_id`` is the platform's id for the conversation, as a string; with
    ``channel`` it keys the session. ``message_id`` is the platform's id of
    this update (Telegram update id, WhatsApp ``wamid``); the engine drops a
    second message with the same id. ``language`` is the platform's hint of
    the person's language (``"id"``, ``"en"``, ``"en-US"`` …) or ``None``.
    """

    channel: str
    chat_id: str
    kind: InboundKind
    text: str = ""
    command: str | None = None
    choice_id: str | None = None
    media: Media | None = None
    message_id: str | None = None
    language: str | None = None

    @classmethod
    def from_text(
        cls,
        channel: str,
        chat_id: str,
        text: str,
        *,
        message_id: str | None = None,
        language: str | None = None,
    ) -> Inbound:
        """Parse typed text: ``/cmd args`` (or ``/cmd@botname args``) is a command.

        The command name is lower-cased and has the leading slash and any
        ``@botname`` suffix removed; everything after the first run of
        whitespace is kept in ``text``.
        """
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1 and not stripped[1].isspace():
            head, _, rest = stripped[1:].partition(" ")
            name = head.split("@", 1)[0].lower()
            return cls(
                channel,
                chat_id,
                InboundKind.COMMAND,
                text=rest.strip(),
                command=name,
                message_id=message_id,
                language=language,
            )
        return cls(
            channel, chat_id, InboundKind.TEXT, text=stripped,
            message_id=message_id, language=language,
        )


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a question.

    ``id`` is opaque to channels: they put it in the button (Telegram callback
    data, WhatsApp reply id) and hand it back in ``Inbound.choice_id``. It is
    at most 64 bytes. ``label`` is the full wording; ``short`` (≤ 20
    characters) is for platforms with tight button titles, e.g. WhatsApp.
    """

    id: str
    label: str
    short: str | None = None

    @property
    def short_label(self) -> str:
        """The label to use where at most 20 characters fit."""
        if self.short:
            return self.short
        return self.label if len(self.label) <= 20 else self.label[:19] + "…"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the bot sends: a PNG chart, an XLSX workbook, a QR code."""

    file_name: str
    content: bytes
    mime_type: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the bot.

    When ``choices`` is non-empty the message is a question; channels render
    the options their own way (inline keyboard, reply buttons or list,
    numbered text) and always accept the option's number typed as text.

    ``refuses_choice`` marks the notice that the button just tapped did not
    count (an earlier question's, a finished flow's): a channel that shows
    the tapped option on its message (Telegram's "✅ label") must not do so
    then. It only has meaning in the replies to that tap (not in the outbox).
    """

    text: str
    choices: tuple[Choice, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())
    refuses_choice: bool = False

    def to_json(self) -> dict[str, object]:
        """A JSON-able form (for the outbox); attachments are not included."""
        return {
            "text": self.text,
            "choices": [
                {"id": c.id, "label": c.label, "short": c.short} for c in self.choices
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Reply:
        raw = data.get("choices") or []
        assert isinstance(raw, list)
        return cls(
            text=str(data["text"]),
            choices=tuple(Choice(str(c["id"]), str(c["label"]), c.get("short")) for c in raw),
        )
