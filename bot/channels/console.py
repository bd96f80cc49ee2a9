"""The console channel: chat with the bot in a terminal, or through a pipe.

Each input line is one message from the person ``--user`` names; choices are
printed numbered and answered by number (or by their label). Reading stops at
end of input, so a conversation can be scripted::

    printf '/start <payload>\\n4\\n3\\n' | kinerja chat --user 7

A pasted link (``https://t.me/…?start=<payload>`` or a wa.me link) works like
scanning the QR code: the engine finds the payload in the text.

Input is read as bytes and decoded as UTF-8 with invalid sequences replaced, so a
pipe carrying anything (Latin-1, a lone surrogate's bytes) is chatted, not fatal;
what is echoed back is the cleaned text the engine got.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.channels.base import Handler
from bot.conversation.messages import Inbound, Reply, clean_text
from kinerja.render.escape import printable

CHANNEL = "console"


def render(reply: Reply) -> str:
    """A reply as terminal text: the message, then its options numbered from 1."""
    lines = [reply.text]
    lines += [f"  {i}. {choice.label}" for i, choice in enumerate(reply.choices, start=1)]
    lines += [f"  [lampiran: {a.file_name}]" for a in reply.attachments]
    # stored text (a saran an older release kept) is shown, never obeyed by the terminal
    return printable("\n".join(lines))


class ConsoleChannel:
    """Reads lines from ``stdin`` and prints the bot's replies to ``stdout``."""

    def __init__(
        self,
        handler: Handler,
        user: str = "1",
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self.handler = handler
        self.user = user
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty()

    def _readline(self) -> str:
        """One line of input ('' at its end), never failing on what it holds."""
        buffer = getattr(self.stdin, "buffer", None)
        if buffer is not None:
            return clean_text(buffer.readline())
        return clean_text(self.stdin.readline())

    def _print(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            self.stdout.write(f"🤖 {render(reply)}\n\n")
        self.stdout.flush()

    async def _deliver(self, replies: Sequence[Reply]) -> None:
        self._print(replies)

    async def run(self) -> int:
        """Chat until end of input; return the number of messages handled."""
        handled = 0
        loop = asyncio.get_running_loop()
        while True:
            if self.interactive:
                self.stdout.write("> ")
                self.stdout.flush()
            line = await loop.run_in_executor(None, self._readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not text.strip():
                continue
            if not self.interactive:
                self.stdout.write(f"> {text}\n")
            inbound = Inbound.from_text(CHANNEL, self.user, text)
            await self.handler.handle(inbound, self._deliver)
            handled += 1
        return handled
