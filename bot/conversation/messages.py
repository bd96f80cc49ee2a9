"""The language between channels and the conversation engine.

A channel turns a platform update into one :class:`Inbound` and renders each
:class:`Reply` the engine returns. Nothing here knows a platform: the same
objects travel from Telegram, WhatsApp and the console.

These are frozen dataclasses with slots rather than pydantic models because
one is built per chat message on the hot path. What a person sent is cleaned
once, here, whichever channel built the :class:`Inbound` (:func:`clean_text`):
every text field is NFC, without control characters other than tab and
newline, without lone surrogates or undecodable bytes, and capped in length —
so nothing downstream (flows, storage, files written for people, logs) has to
guard against them again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

#: longest text kept of a message (Telegram's and WhatsApp's own limit is 4,096)
TEXT_MAX = 4096
#: longest caption of a photo or document (Telegram's limit)
CAPTION_MAX = 1024
#: longest button/callback id (Telegram allows 64 bytes, WhatsApp 256 characters)
CHOICE_ID_MAX = 256
#: longest command name, platform ids and references, file names and MIME types
NAME_MAX = 64
REF_MAX = 512
FILE_NAME_MAX = 255

#: what a text may not hold: control characters (C0 but tab and newline, DEL, C1), lone
#: surrogates (left by undecodable bytes read with ``surrogateescape``)
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\ud800-\udfff]")


def clean_text(value: str | bytes | None, limit: int = TEXT_MAX) -> str:
    """``value`` as text fit to keep: bytes decoded as UTF-8 (invalid sequences become
    U+FFFD), line ends made ``\\n``, lone surrogates replaced by U+FFFD, control characters
    other than tab and newline removed, NFC, at most ``limit`` characters. ``None`` → ``""``.
    Idempotent; never raises."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    elif not isinstance(value, str):
        value = str(value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _UNWANTED.sub(_replacement, value)
    value = unicodedata.normalize("NFC", value)
    if len(value) > limit:
        value = unicodedata.normalize("NFC", value[:limit])
    return value


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match[0] <= "\udfff" else ""


def _clean_optional(value: str | None, limit: int) -> str | None:
    return None if value is None else clean_text(value, limit)


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

    def __post_init__(self) -> None:
        """Clean every text field (see :func:`clean_text`); captions capped at 1,024."""
        setter = object.__setattr__
        setter(self, "kind", clean_text(self.kind, NAME_MAX))
        setter(self, "file_ref", clean_text(self.file_ref, REF_MAX))
        setter(self, "file_name", _clean_optional(self.file_name, FILE_NAME_MAX))
        setter(self, "mime_type", _clean_optional(self.mime_type, NAME_MAX))
        setter(self, "caption", _clean_optional(self.caption, CAPTION_MAX))


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

    def __post_init__(self) -> None:
        """Clean every text field once, whichever channel built the message: text (4,096),
        command and language (64), choice id (256), ids (512) — see :func:`clean_text`."""
        setter = object.__setattr__
        setter(self, "channel", clean_text(self.channel, NAME_MAX))
        setter(self, "chat_id", clean_text(self.chat_id, REF_MAX))
        setter(self, "text", clean_text(self.text, TEXT_MAX))
        setter(self, "command", _clean_optional(self.command, NAME_MAX))
        setter(self, "choice_id", _clean_optional(self.choice_id, CHOICE_ID_MAX))
        setter(self, "message_id", _clean_optional(self.message_id, REF_MAX))
        setter(self, "language", _clean_optional(self.language, NAME_MAX))

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
        whitespace is kept in ``text``. ``text`` may be anything a platform or a
        terminal handed over (bytes too): it is cleaned first (:func:`clean_text`).
        """
        stripped = clean_text(text).strip()
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
