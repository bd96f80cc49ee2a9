"""Shared fixtures: a real store, a clock, the engine, a chat script.

``store`` is SQLite in memory; in the suites of :data:`BOTH_BACKENDS` (and a test marked
``both_backends``) every test using it runs twice, ``[sqlite]`` and ``[postgresql]`` — the
latter on a fresh database of a throwaway PostgreSQL server (tests/pgserver.py), skipped
with the reason when the machine has no PostgreSQL binaries.

Tests of WAL, other processes or readings beside a unit open a file store of their own
(tests/bot/storage).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from bot.admin.demo import write_organisation
from bot.app.compose import build_engine
from bot.conversation.engine import Engine
from bot.conversation.flow import EngineConfig
from bot.conversation.links import sign
from bot.conversation.messages import Inbound, InboundKind, Media, Reply
from bot.storage import Reading, Store, Unit
from bot.storage.db import NotPortable, bundled_migrations
from bot.storage.dialect import POSTGRESQL
from tests import pgserver

SECRET = b"test-secret-key"
T = TypeVar("T")


async def read(store: Store, query: Callable[[Reading], Awaitable[T]]) -> T:
    """One reading for one query: ``rows = await read(store, lambda r: r.items())``."""
    async with store.reading() as handle:
        return await query(handle)


async def write(store: Store, work: Callable[[Unit], Awaitable[T]]) -> T:
    """One unit of work for one call: ``await write(store, lambda u: u.set_meta("k", "v"))``."""
    async with store.unit() as handle:
        return await work(handle)


@dataclass
class Clock:
    """A settable clock (UTC); ``advance`` moves it forward."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 16, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


#: the suites whose tests run on SQLite and on PostgreSQL (paths under tests/)
BOTH_BACKENDS = ("bot/storage/", "bot/conversation/", "bot/jobs/", "bot/admin/", "bot/channels/",
                 "bot/web/", "e2e/")
_TESTS = Path(__file__).parent
_TEMPLATE = "kinerja_template"  #: a migrated database each PostgreSQL test copies
_databases = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: run this test's store on SQLite and on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    where = metafunc.definition.path.relative_to(_TESTS).as_posix()
    if where.startswith(BOTH_BACKENDS) or metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def pytest_report_header(config: pytest.Config) -> str:
    found = pgserver.find_binaries()
    return (f"PostgreSQL tests: server binaries in {found}" if found
            else f"PostgreSQL tests skipped: {pgserver.missing_reason()}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.Server]:
    """One throwaway PostgreSQL server for the session, with a migrated template database."""
    found = pgserver.find_binaries()
    if found is None:
        pytest.skip(pgserver.missing_reason())
    try:
        bundled_migrations(POSTGRESQL)
    except NotPortable as exc:  # one clear failure instead of hundreds of errors:
        pytest.skip(f"PostgreSQL runs skipped: {exc} "
                    "(test_every_migration_has_a_postgresql_form fails for it)")
    server = pgserver.start(found)

    async def template() -> None:
        import asyncpg

        admin = await asyncpg.connect(server.url())
        try:
            await admin.execute(f"CREATE DATABASE {_TEMPLATE}")
        finally:
            await admin.close()
        migrated = await Store.open(server.url(_TEMPLATE))
        await migrated.close()

    try:
        # in a thread of its own: the fixture may be first asked for inside a running loop
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, template()).result()
        yield server
    finally:
        server.stop()


@asynccontextmanager
async def pg_database(server: pgserver.Server, *, migrated: bool = True
                      ) -> AsyncIterator[str]:
    """A new database on ``server`` — a copy of the migrated template, or blank — dropped
    at the end (each is some megabytes: hundreds of tests would fill the disk)."""
    import asyncpg

    name = f"kinerja_test_{next(_databases)}"
    admin = await asyncpg.connect(server.url())
    try:
        template = _TEMPLATE if migrated else "template0"
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    finally:
        await admin.close()
    try:
        yield server.url(name)
    finally:
        admin = await asyncpg.connect(server.url())
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` unless the test is parametrized over both (see :func:`pytest_generate_tests`)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
async def store(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    """A migrated store: SQLite in memory (one connection: readings take the writer lock, see
    bot.storage.db), or a fresh PostgreSQL database for ``[postgresql]``."""
    if backend == "postgresql":
        async with pg_database(request.getfixturevalue("pg_server")) as url:
            opened = await Store.open(url)
            yield opened
            await opened.close()
    else:
        opened = await Store.open(":memory:")
        yield opened
        await opened.close()


@pytest.fixture
async def org(store: Store) -> Store:
    """The store with the demo organisation (no responses)."""
    async with store.unit() as uow:
        await write_organisation(uow)
    return store


@pytest.fixture
def config() -> EngineConfig:
    return EngineConfig(secret_key=SECRET, public_ikm_min_responses=3)


@pytest.fixture
def engine(org: Store, config: EngineConfig, clock: Clock) -> Engine:
    return build_engine(org, config, clock=clock)


def payload(code: str = "DUK-KTP-L1") -> str:
    return sign(code, SECRET)


class Chat:
    """A conversation script through the engine: ``await chat.send("…")``, then assert.

    ``last`` holds the replies to the last message; ``text`` all of their text.
    Message ids are generated unless given, so duplicates are explicit.
    """

    def __init__(self, engine: Engine, chat_id: str = "100", channel: str = "test") -> None:
        self.engine = engine
        self.chat_id = chat_id
        self.channel = channel
        self.last: list[Reply] = []
        self._ids = 0

    def _id(self, message_id: str | None) -> str:
        self._ids += 1
        return message_id or f"{self.chat_id}-{self._ids}"

    async def send(self, text: str, *, message_id: str | None = None,
                   language: str | None = None) -> list[Reply]:
        inbound = Inbound.from_text(self.channel, self.chat_id, text,
                                    message_id=self._id(message_id), language=language)
        self.last = await self.engine.handle(inbound)
        return self.last

    async def tap(self, label_or_index: str | int, *, reply: Reply | None = None,
                  message_id: str | None = None) -> list[Reply]:
        """Press a button of ``reply`` (default: the last question) by label or 1-based index."""
        question = reply or self.question
        if isinstance(label_or_index, int):
            choice = question.choices[label_or_index - 1]
        else:
            choice = next(c for c in question.choices if c.label == label_or_index)
        inbound = Inbound(self.channel, self.chat_id, InboundKind.CHOICE,
                          choice_id=choice.id, message_id=self._id(message_id))
        self.last = await self.engine.handle(inbound)
        return self.last

    async def send_media(self, kind: str = "photo") -> list[Reply]:
        inbound = Inbound(self.channel, self.chat_id, InboundKind.MEDIA,
                          media=Media(kind, "file-1"), message_id=self._id(None))
        self.last = await self.engine.handle(inbound)
        return self.last

    @property
    def question(self) -> Reply:
        """The last reply that offers choices."""
        return next(r for r in reversed(self.last) if r.choices)

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.question.choices]
