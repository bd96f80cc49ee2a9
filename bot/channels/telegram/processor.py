"""Processing updates concurrently across chats and in order within a chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import (
    Update,
)
from telegram.ext import (
    BaseUpdateProcessor,
)

logger = logging.getLogger(__name__)

class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """Different chats concurrently, one chat's updates one at a time and in order.

    PTB's default processor runs every update one after another, so one
    slow send (a retry with backoff) stalls everybody. With this one, up to
    ``max_concurrent_updates`` updates are worked on at once, but updates of
    the same chat wait for each other in arrival order (the engine relies on
    that: "1" then "2" typed quickly must answer two questions in turn).

    An update waiting for its chat's previous one takes no working slot, so
    one person tapping twenty times cannot hold up everybody else. PTB's own
    bound (``max_queued_updates``, the base class's semaphore) only caps how
    many updates may be in flight, waiting included.
    """

    def __init__(self, max_concurrent_updates: int = 8, max_queued_updates: int = 4096) -> None:
        super().__init__(max(max_queued_updates, max_concurrent_updates, 2))
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be at least 1")
        self.working_limit = max_concurrent_updates
        self._working = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._working:
                await coroutine
            return
        lock, users = self._locks.setdefault(chat.id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            try:
                await lock.acquire()
            except BaseException:
                _close(coroutine)
                raise
            try:
                try:
                    await self._working.acquire()
                except BaseException:
                    _close(coroutine)
                    raise
                try:
                    await coroutine
                finally:
                    self._working.release()
            finally:
                lock.release()
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _close(coroutine: Awaitable[Any]) -> None:
    """Close a coroutine that will never run (avoids a 'never awaited' warning)."""
    if asyncio.iscoroutine(coroutine):
        coroutine.close()



def _close(coroutine: Awaitable[Any]) -> None:
    """Close a coroutine that will never run (avoids a 'never awaited' warning)."""
    if asyncio.iscoroutine(coroutine):
        coroutine.close()


