"""``kinerja chat``: the console channel wired to the engine, the outbox and evidence.

The console is a whole channel: what a person types goes to the engine; the pushes
addressed to this console user are drained from the outbox and shown as they arrive
(:class:`~bot.jobs.outbox.OutboxSender` narrowed to the console and this chat, polled by
the channel); a local file attached as evidence is read by the evidence keeper like a
platform download.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.app.compose import App
from bot.channels.console import CHANNEL, POLL_INTERVAL, ConsoleChannel, read_local_file
from bot.jobs.outbox import OutboxSender


async def chat(
    app: App,
    user: str,
    files_dir: Path | None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    interval: float = POLL_INTERVAL,
) -> int:
    """Chat as console user ``user`` until end of input; return the messages handled.

    Pushes to ``console:<user>`` are shown while the chat runs (and those that waited for
    it, first). Rows of this chat that a killed console left ``sending`` are put back
    first; no other chat's rows are touched, so another ``kinerja chat`` or ``kinerja run``
    beside it is safe.
    """
    channel = ConsoleChannel(app.engine, user, stdin=stdin, stdout=stdout, files_dir=files_dir)
    app.evidence.register(CHANNEL, read_local_file)
    outbox = OutboxSender(app.store, {CHANNEL: channel}, chat_id=user,
                          max_attempts=app.settings.outbox_max_attempts)
    await outbox.recover()

    async def poll() -> None:
        # a reading first: the claim takes the writer, and most polls find nothing
        async with app.store.reading() as r:
            due = await r.has_due(outbox.clock(), CHANNEL, user)
        if due:
            await outbox.drain_once()

    return await channel.run(poll, interval)
