"""The console channel: chat with the bot in a terminal, or through a pipe.

Each input line is one message from the person ``--user`` names; choices are
printed numbered and answered by number (or by their label). Reading stops at
end of input, so a conversation can be scripted::

    printf '/start <payload>\\n4\\n3\\n' | kinerja chat --user 7

A pasted link (``https://t.me/…?start=<payload>`` or a wa.me link) works like
scanning the QR code: the engine finds the payload in the text.

A full channel, so every side of the bot can be tried without a platform token:

- **Pushes.** The console is also the outbox's :class:`~bot.channels.base.Sender` for
  ``console`` chats: ``kinerja chat --user 9`` shows the pushes addressed to user 9 as
  they arrive (an approval request, a decision, a reminder, a weekly summary), marked 🔔.
  A push's buttons are numbered like a question's: while it is the latest message shown
  with options, a typed number (or label) presses its button. The poll that drains the
  outbox is given to :meth:`ConsoleChannel.run` by the composition (the channel knows no
  storage); it also runs before each line and at the end of input, so a piped script sees
  the pushes that were due.
- **Files in.** ``/lampir PATH`` — or a line that is the path of a local file (it has a
  ``/`` and the file exists) — sends that file as a photo (PNG/JPEG) or a document whose
  file reference is its absolute path; :func:`read_local_file` is the console's download
  for the evidence keeper, so /lapor's evidence is hashed and stored like a platform
  download.
- **Files out.** A reply's or a push's attachments are written to ``files_dir`` (the CLI's
  ``--files``, by default a temporary folder) and their paths printed.
- **Any bytes.** Input is read as bytes and decoded as UTF-8 with invalid sequences
  replaced, so a pipe carrying anything (Latin-1, a lone surrogate's bytes) is chatted, not
  fatal; what is echoed back is the cleaned text the engine got.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from bot.channels.base import Handler
from bot.conversation.messages import (
    Attachment,
    Choice,
    Inbound,
    InboundKind,
    Media,
    Reply,
    clean_text,
)
from kinerja.numbers import parse_choice
from kinerja.render.escape import printable

CHANNEL = "console"
#: the command that attaches a local file
ATTACH_COMMAND = "/lampir"
#: files sent as a photo (anything else is a document)
PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})
#: how often the outbox is polled while waiting for input, in seconds
POLL_INTERVAL = 0.5

Poll = Callable[[], Awaitable[object]]


def render(reply: Reply, saved: Sequence[Path] = ()) -> str:
    """A reply as terminal text: the message, then its options numbered from 1, then its
    files (their saved paths when given, else their names)."""
    lines = [reply.text]
    lines += [f"  {i}. {choice.label}" for i, choice in enumerate(reply.choices, start=1)]
    if saved:
        lines += [f"  [lampiran: {path}]" for path in saved]
    else:
        lines += [f"  [lampiran: {a.file_name}]" for a in reply.attachments]
    # stored text (a saran an older release kept) is shown, never obeyed by the terminal
    return printable("\n".join(lines))


async def read_local_file(file_ref: str) -> bytes:
    """The bytes of a file attached on the console (``Media.file_ref`` is its absolute path);
    read in a worker thread. Raises ``OSError`` when it cannot be read."""
    return await asyncio.to_thread(Path(file_ref).read_bytes)


def local_media(path: Path) -> Media:
    """A local file as the engine sees a platform's file: a photo for PNG/JPEG, else a
    document, referenced by its absolute path."""
    mime, _ = mimetypes.guess_type(path.name)
    return Media(
        kind="photo" if mime in PHOTO_TYPES else "document",
        file_ref=str(path.resolve()),
        file_name=path.name,
        mime_type=mime,
        size=path.stat().st_size,
    )


def _as_path(text: str) -> Path | None:
    """The local file a typed line names, if it is one (``~`` expanded; a bare word with no
    ``/`` is never taken for a file, so answers like ``1`` stay answers)."""
    if "/" not in text and "\\" not in text:
        return None
    path = Path(text).expanduser()
    try:
        return path if path.is_file() else None
    except OSError:  # a name too long, a forbidden directory
        return None


class ConsoleChannel:
    """Reads lines from ``stdin`` and prints the bot's replies and pushes to ``stdout``.

    ``files_dir``: where attachments are saved (``None``: only their names are printed).
    """

    name = CHANNEL

    def __init__(
        self,
        handler: Handler,
        user: str = "1",
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.handler = handler
        self.user = user
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.files_dir = files_dir
        self.interactive = self.stdin.isatty()
        #: the buttons of the latest push shown, while it is the latest message with options
        self._push_choices: tuple[Choice, ...] = ()
        self._poll_lock = asyncio.Lock()
        #: the terminal shows the "> " prompt, waiting for a line
        self._at_prompt = False

    # --- output --------------------------------------------------------------------------

    def _save(self, attachments: Sequence[Attachment]) -> list[Path]:
        """Write ``attachments`` to :attr:`files_dir` (a name already taken by other bytes
        gets ``-2``, ``-3`` …); return their paths."""
        if self.files_dir is None or not attachments:
            return []
        self.files_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for attachment in attachments:
            target = self.files_dir / Path(attachment.file_name).name
            stem, suffix, n = target.stem, target.suffix, 1
            while target.exists() and target.read_bytes() != attachment.content:
                n += 1
                target = self.files_dir / f"{stem}-{n}{suffix}"
            target.write_bytes(attachment.content)
            paths.append(target)
        return paths

    def _readline(self) -> str:
        """One line of input ('' at its end), never failing on what it holds."""
        buffer = getattr(self.stdin, "buffer", None)
        if buffer is not None:
            return clean_text(buffer.readline())
        return clean_text(self.stdin.readline())

    def _print(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            self.stdout.write(f"🤖 {render(reply, self._save(reply.attachments))}\n\n")
            if reply.choices:  # a question: numbers answer it now
                self._push_choices = ()
        self.stdout.flush()

    async def _deliver(self, replies: Sequence[Reply]) -> None:
        self._print(replies)

    async def push(
        self, chat_id: str, reply: Reply, *, kind: str = "message",
        links: Mapping[str, str] | None = None,
    ) -> str | None:
        """Show a push (the outbox's :class:`~bot.channels.base.Sender` port); its buttons
        answer to typed numbers until another message with options is shown."""
        if chat_id != self.user:  # claimed for this chat only; never show another's
            raise LookupError(f"console push for another user ({kind})")
        shown = f"🔔 {render(reply, self._save(reply.attachments))}\n\n"
        if self._at_prompt:  # under the prompt the person is typing at, then the prompt again
            shown = f"\n{shown}> "
        self.stdout.write(shown)
        self.stdout.flush()
        if reply.choices:
            self._push_choices = reply.choices
        return None

    # --- input ---------------------------------------------------------------------------

    def _push_choice(self, text: str) -> Choice | None:
        """The button of the latest push that ``text`` names (its number or its label)."""
        if not self._push_choices:
            return None
        number = parse_choice(text)
        if number is not None and 1 <= number <= len(self._push_choices):
            return self._push_choices[number - 1]
        wanted = text.strip().casefold()
        return next((c for c in self._push_choices if c.label.casefold() == wanted), None)

    def inbound(self, text: str) -> Inbound | None:
        """The message a typed line is: a pressed push button, an attached file, or text
        (``None`` when a named file cannot be attached; the reason is printed)."""
        choice = self._push_choice(text)
        if choice is not None:
            self._push_choices = ()
            return Inbound(CHANNEL, self.user, InboundKind.CHOICE, text=choice.label,
                           choice_id=choice.id)
        head, _, rest = text.strip().partition(" ")
        if head.lower() == ATTACH_COMMAND:
            path = Path(rest.strip()).expanduser() if rest.strip() else None
            if path is None or not path.is_file():
                self.stdout.write(f"(berkas tidak ditemukan: {rest.strip() or '-'})\n\n")
                self.stdout.flush()
                return None
            return Inbound(CHANNEL, self.user, InboundKind.MEDIA, media=local_media(path))
        path = _as_path(text.strip())
        if path is not None:
            return Inbound(CHANNEL, self.user, InboundKind.MEDIA, media=local_media(path))
        return Inbound.from_text(CHANNEL, self.user, text)

    async def _poll(self, poll: Poll | None) -> None:
        if poll is None:
            return
        async with self._poll_lock:
            await poll()

    async def _keep_polling(self, poll: Poll, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self._poll(poll)

    async def run(self, poll: Poll | None = None, interval: float = POLL_INTERVAL) -> int:
        """Chat until end of input; return the number of messages handled.

        ``poll`` shows the pushes due for this user (the outbox drained to :meth:`push`); it
        runs every ``interval`` seconds while waiting for input, before each line and once
        at the end of input.
        """
        handled = 0
        loop = asyncio.get_running_loop()
        background = (
            asyncio.create_task(self._keep_polling(poll, interval)) if poll is not None else None
        )
        try:
            while True:
                if self.interactive:
                    self.stdout.write("> ")
                    self.stdout.flush()
                self._at_prompt = self.interactive
                line = await loop.run_in_executor(None, self._readline)
                self._at_prompt = False
                await self._poll(poll)
                if not line:
                    break
                text = line.rstrip("\r\n")
                if not text.strip():
                    continue
                if not self.interactive:
                    self.stdout.write(f"> {text}\n")
                inbound = self.inbound(text)
                if inbound is None:
                    continue
                await self.handler.handle(inbound, self._deliver)
                handled += 1
        finally:
            if background is not None:
                background.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await background
        await self._poll(poll)
        return handled
