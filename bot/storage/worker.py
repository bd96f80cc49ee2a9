"""A thread of our own that owns one ``sqlite3`` connection and runs jobs on it, in order.

Why our own thread rather than aiosqlite: the storage layer's fast path runs a
statement right on the event loop when the connection has nothing queued or
running (see :class:`bot.storage.db.Database`). That needs two things
aiosqlite's public API does not give — the raw connection, and running a
function in its thread so that we can count the work handed to it — and
reaching into its private attributes for them broke before (aiosqlite changed
them) and would again. The piece we need is small, so we own it: a queue, a
thread, a future per job, two counters.

Contract:

- :meth:`DatabaseThread.submit` (event loop only) queues ``work(connection)``;
  jobs run one at a time in submission order, so a job queued after another
  sees its effects.
- Results come back with ``loop.call_soon_threadsafe``. A waiter that was
  cancelled simply drops its result: the job itself still runs to its end (a
  statement half-run by SQLite cannot be taken back), the worker carries on,
  and :attr:`DatabaseThread.idle` stays false until that job has finished —
  which is what lets the event loop know when it may use the connection itself.
- :meth:`DatabaseThread.close` finishes the jobs already queued, closes the
  connection in the thread, and joins the thread. Jobs submitted after that
  raise :class:`DatabaseClosed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: what the worker's queue holds: (work, the waiter's future, its loop), or None to stop
_Job = tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any], asyncio.AbstractEventLoop]


class DatabaseClosed(RuntimeError):
    """The store (or this connection) was closed; no more work is taken."""


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    """On the event loop: hand a job's outcome to its waiter, unless it gave up waiting."""
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


class DatabaseThread:
    """One worker thread, one connection. Create with :meth:`start`; use from one event loop.

    The connection is opened in the thread (opening a file may wait on the
    disk), with ``check_same_thread=False`` because the owner may also use it
    on the event loop while :attr:`idle` is true — never both at once, since
    nothing is queued or running then. Python's ``sqlite3`` is built
    thread-safe (serialized), so even a stray cursor finalised on another
    thread cannot corrupt the connection.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._submitted = 0  #: written on the event loop only
        self._finished = 0  #: written by the worker thread only
        self._closing = False
        self._closed: asyncio.Future[None] | None = None
        self._connection: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)

    @classmethod
    async def start(
        cls, name: str, connect: Callable[[], sqlite3.Connection]
    ) -> DatabaseThread:
        """Start the thread and open its connection there with ``connect()``."""
        worker = cls(name)
        worker._thread.start()

        def opening(_: sqlite3.Connection) -> None:
            worker._connection = connect()

        try:
            await worker.submit(opening)
        except BaseException:
            await worker.close()
            raise
        return worker

    @property
    def connection(self) -> sqlite3.Connection:
        """The connection, for the owner's inline use — only while :attr:`idle`."""
        if self._connection is None:
            raise DatabaseClosed(f"{self.name}: the connection is closed")
        return self._connection

    @property
    def idle(self) -> bool:
        """No job queued or running: the event loop may use :attr:`connection` itself.

        Counted at both ends — queued on the loop, finished in the thread — not
        when the waiter resumes: a cancelled waiter's job still counts until it
        has really run.
        """
        return self._submitted == self._finished

    @property
    def closing(self) -> bool:
        return self._closing

    def submit(self, work: Callable[[sqlite3.Connection], T]) -> asyncio.Future[T]:
        """Queue ``work(connection)``; the future resolves with its result or exception.

        ``work`` runs in the worker thread and must not touch the event loop.
        """
        if self._closing:
            raise DatabaseClosed(f"{self.name}: the database is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._submitted += 1
        self._jobs.put((work, future, loop))
        return future

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            work, future, loop = job
            result: Any = None
            error: BaseException | None = None
            try:
                result = work(self._connection)  # type: ignore[arg-type]
            except BaseException as exc:  # handed to the waiter, never kills the worker
                error = exc
            self._finished += 1  # before the waiter can resume: the connection is free now
            del work, job
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_settle, future, result, error)
            del future, result, error

    async def close(self) -> None:
        """Finish the queued jobs, close the connection (in the thread) and join the thread.

        Idempotent; a second caller waits for the first one's close.
        """
        if self._closed is not None:
            await asyncio.shield(self._closed)
            return
        loop = asyncio.get_running_loop()
        self._closed = loop.create_future()

        def closing(conn: sqlite3.Connection | None) -> None:
            if conn is not None:
                self._connection = None
                conn.close()

        try:
            if self._thread.is_alive():
                done = self.submit(closing)  # after every job queued so far
                self._closing = True
                self._jobs.put(None)
                try:
                    await asyncio.shield(done)
                finally:
                    if done.done():
                        # its last result is handed back: the thread only has to leave
                        self._thread.join()
                    # else we were cancelled while a job still runs: the daemon thread
                    # finishes the queue and leaves by itself; never block the loop on it
            self._closing = True
        finally:
            self._closed.set_result(None)
