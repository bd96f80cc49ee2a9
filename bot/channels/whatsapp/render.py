"""How a :class:`~bot.conversation.messages.Reply` looks on WhatsApp, as plain data.

Pure functions, no I/O and no pywa: :func:`render` turns one reply into the
list of WhatsApp messages that carry it, in sending order; the sender in
:mod:`bot.channels.whatsapp` maps each to a pywa call. Keeping the layout
here makes every WhatsApp limit testable with literal strings.

The rules (WhatsApp Cloud API limits in brackets):

- 1–3 choices → one *reply-buttons* message [≤ 3 buttons, title ≤ 20, body
  ≤ 1024]. Titles are :attr:`Choice.short_label`; when any label had to be
  shortened the body also lists every option's full wording, numbered, so
  long labels stay readable (and the number can be typed).
- 4–10 choices → one *list* message [≤ 10 rows, row title ≤ 24, row
  description ≤ 72, button ≤ 20]. Row titles are numbered; a label that does
  not fit its row title goes whole into the description, and a label longer
  than a description is also written out, numbered, in the body.
- more than 10 choices (or an id too long for WhatsApp) → numbered text; the
  engine accepts the typed number.
- text longer than a message allows is split on paragraph, line or word
  boundaries into several text messages; for an interactive message only the
  last part (≤ 1024) is its body and the rest goes first as text.
- attachments → image uploads (PNG/JPEG) or document uploads, sent after the
  text — or before it when the reply is a question, so the buttons stay last.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.messages import Attachment, Choice, Reply

TEXT_LIMIT = 4096  #: characters in a text message (counted as UTF-16 units, to be safe)
BODY_LIMIT = 1024  #: characters in an interactive message body
BUTTON_TITLE_LIMIT = 20
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LIMIT = 20
SECTION_TITLE_LIMIT = 24
MAX_BUTTONS = 3
MAX_ROWS = 10
ROW_ID_LIMIT = 200  #: list row ids (reply-button ids allow 256)
IMAGE_MIME_TYPES = frozenset({"image/png", "image/jpeg"})

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class TextOut:
    """A plain text message (``text`` within :data:`TEXT_LIMIT`)."""

    text: str


@dataclass(frozen=True, slots=True)
class ButtonsOut:
    """A reply-buttons message: ``buttons`` are ``(reply id, title)`` pairs."""

    body: str
    buttons: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a list message."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ListOut:
    """A list message: one section of ``rows`` behind a button labelled ``button``."""

    body: str
    button: str
    section_title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class FileOut:
    """An attachment to upload: as an image when ``as_image`` else as a document."""

    attachment: Attachment
    as_image: bool


Outgoing = TextOut | ButtonsOut | ListOut | FileOut


def units(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending with ``…`` when cut."""
    if units(text) <= limit:
        return text
    return text[: _fit(text, limit - 1)].rstrip() + ELLIPSIS


def _fit(text: str, limit: int) -> int:
    """The largest ``i`` with ``units(text[:i]) <= limit``."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return i
    return len(text)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` units, in order.

    Cuts at the last paragraph break, else line break, else space that keeps
    a part at least half full; failing that, cuts hard. Whitespace at a cut
    is dropped; nothing else is lost. Empty or blank text gives ``[]``.
    """
    rest = text.strip()
    parts: list[str] = []
    while rest:
        end = _fit(rest, limit)
        if end >= len(rest):
            parts.append(rest)
            break
        window = rest[: end + 1]  # a separator right after the limit still counts
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = window.rfind(sep)
            if at >= end // 2:
                cut = at
                break
        if cut <= 0:
            cut = end
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts


def numbered(choices: tuple[Choice, ...]) -> str:
    """``1. label`` lines, one per choice."""
    return "\n".join(f"{n}. {c.label}" for n, c in enumerate(choices, start=1))


def _join(*blocks: str) -> str:
    return "\n\n".join(b for b in blocks if b.strip())


def _body_and_head(full: str) -> tuple[list[str], str]:
    """Text messages to send first, and a body within :data:`BODY_LIMIT` for the last part."""
    if units(full) <= BODY_LIMIT:
        return [], full
    tail = split_text(full, BODY_LIMIT)[-1]
    head = full[: full.rfind(tail)]
    return split_text(head), tail


def _button_titles(choices: tuple[Choice, ...]) -> list[str]:
    titles = [truncate(c.short_label, BUTTON_TITLE_LIMIT) for c in choices]
    if len(set(titles)) < len(titles):  # WhatsApp rejects equal button titles
        titles = [
            truncate(f"{n}. {c.short_label}", BUTTON_TITLE_LIMIT)
            for n, c in enumerate(choices, start=1)
        ]
    return titles


def _row(n: int, choice: Choice) -> Row:
    title = f"{n}. {choice.label}"
    if units(title) <= ROW_TITLE_LIMIT:
        return Row(choice.id, title)
    short = f"{n}. {choice.short}" if choice.short else ""
    if not short or units(short) > ROW_TITLE_LIMIT:
        short = truncate(title, ROW_TITLE_LIMIT)
    return Row(choice.id, short, truncate(choice.label, ROW_DESCRIPTION_LIMIT))


def _question(reply: Reply, list_button: str) -> list[Outgoing]:
    choices = reply.choices
    if len(choices) <= MAX_BUTTONS and all(len(c.id) <= 256 for c in choices):
        titles = _button_titles(choices)
        shortened = any(t != c.label for t, c in zip(titles, choices, strict=True))
        full = _join(reply.text, numbered(choices) if shortened else "")
        if not full.strip():
            full = numbered(choices)
        head, body = _body_and_head(full)
        buttons = tuple((c.id, t) for c, t in zip(choices, titles, strict=True))
        return [*(TextOut(t) for t in head), ButtonsOut(body, buttons)]
    if len(choices) <= MAX_ROWS and all(len(c.id) <= ROW_ID_LIMIT for c in choices):
        rows = tuple(_row(n, c) for n, c in enumerate(choices, start=1))
        too_long = any(units(c.label) > ROW_DESCRIPTION_LIMIT for c in choices)
        full = _join(reply.text, numbered(choices) if too_long else "")
        if not full.strip():
            full = numbered(choices)
        head, body = _body_and_head(full)
        label = truncate(list_button, LIST_BUTTON_LIMIT)
        section = truncate(list_button, SECTION_TITLE_LIMIT)
        return [*(TextOut(t) for t in head), ListOut(body, label, section, rows)]
    return [TextOut(t) for t in split_text(_join(reply.text, numbered(choices)))]


def render(reply: Reply, *, list_button: str = "Pilih") -> list[Outgoing]:
    """The WhatsApp messages that carry ``reply``, in sending order.

    ``list_button`` labels the button that opens a list (≤ 20 characters;
    it comes from the text catalog of the chat's language). A reply with no
    text, no choices and no attachments renders as ``[]``.
    """
    files: list[Outgoing] = [
        FileOut(a, as_image=a.mime_type.lower() in IMAGE_MIME_TYPES) for a in reply.attachments
    ]
    if reply.choices:
        return [*files, *_question(reply, list_button)]
    return [*(TextOut(t) for t in split_text(reply.text)), *files]


def template_preview(reply: Reply, limit: int = 200) -> str:
    """A one-line preview of ``reply`` for a template parameter.

    WhatsApp refuses template parameters with new lines, tabs or more than
    four consecutive spaces, so all whitespace runs become one space.
    """
    text = " ".join(reply.text.split())
    if not text:
        text = ", ".join(a.file_name for a in reply.attachments)
    return truncate(text, limit) or ELLIPSIS
