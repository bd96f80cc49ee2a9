"""PostgreSQL: the same schema as SQLite from its own migration files, migrated once by
replicas starting together, a newer database refused, the dialect's translations, and a
unit cancelled mid-statement.

On a throwaway server (tests/pgserver.py); skipped, with the reason, without PostgreSQL
binaries. The contract tests shared with SQLite are in test_db.py (``any_db``) and every
suite of ``BOTH_BACKENDS`` (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage import SchemaTooNew, Store
from bot.storage.db import NOT_PORTABLE, Migration, NotPortable, bundled_migrations
from bot.storage.dialect import POSTGRESQL, SQLITE, numbered_placeholders, parse_target
from tests import pgserver
from tests.conftest import pg_database


async def pg_columns(store: Store) -> dict[str, list[str]]:
    async with store.reading() as r:
        rows = await r.db.fetchall(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["table_name"], []).append(row["column_name"])
    return found


async def sqlite_columns(path: Path) -> dict[str, list[str]]:
    store = await Store.open(path)
    try:
        async with store.reading() as r:
            tables = await r.db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%'"
            )
            return {
                t["name"]: [c["name"] for c in
                            await r.db.fetchall(f"PRAGMA table_info({t['name']})")]
                for t in tables
            }
    finally:
        await store.close()


# --- migrations ------------------------------------------------------------------------------


async def test_postgresql_gets_the_same_tables_and_columns_as_sqlite(
    pg_server: pgserver.Server, tmp_path: Path
) -> None:
    async with pg_database(pg_server, migrated=False) as url:
        store = await Store.open(url)
        try:
            assert await pg_columns(store) == await sqlite_columns(tmp_path / "k.db")
            assert await store.schema_version() == bundled_migrations()[-1].version
            assert await store.migrate() == [], "running again changes nothing"
        finally:
            await store.close()


async def test_replicas_starting_together_migrate_once(pg_server: pgserver.Server) -> None:
    async with pg_database(pg_server, migrated=False) as url:
        stores = await asyncio.gather(*(Store.open(url) for _ in range(4)))
        try:
            async with stores[0].reading() as r:
                rows = await r.db.fetchall(
                    "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version"
                    " ORDER BY version"
                )
            assert [tuple(row) for row in rows] == [
                (m.version, 1) for m in bundled_migrations(POSTGRESQL)
            ]
        finally:
            for store in stores:
                await store.close()


async def test_a_postgresql_database_newer_than_the_code_is_refused(
    pg_server: pgserver.Server,
) -> None:
    async with pg_database(pg_server) as url:
        store = await Store.open(url)
        async with store.unit() as uow:
            await uow.db.execute(
                "INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2030-01-01')"
            )
        await store.close()
        with pytest.raises(SchemaTooNew, match="lebih baru"):
            await Store.open(url)


async def test_a_failing_migration_leaves_nothing_behind_on_postgresql(
    pg_server: pgserver.Server,
) -> None:
    async with pg_database(pg_server) as url:
        store = await Store.open(url)
        try:
            broken = Migration(9000, "broken", "CREATE TABLE half_done (x INTEGER);\nSELEKT 1;")
            with pytest.raises(Exception, match="syntax"):
                await store.migrate([*bundled_migrations(POSTGRESQL), broken])
            async with store.reading() as r:
                assert await r.db.fetchone("SELECT to_regclass('half_done')") == (None,)
            assert await store.schema_version() == bundled_migrations()[-1].version
            async with store.unit() as uow:
                await uow.set_meta("after", "the failed migration")
        finally:
            await store.close()


def test_every_migration_has_a_postgresql_form() -> None:
    """A shared file with SQLite-only SQL needs migrations/postgresql/NNNN_slug.sql: this
    fails (naming the file) until it has one."""
    sqlite = bundled_migrations(SQLITE)
    postgresql = bundled_migrations(POSTGRESQL)
    assert [(m.version, m.name) for m in postgresql] == [(m.version, m.name) for m in sqlite]


@pytest.mark.parametrize("sql", [
    "CREATE TABLE x (id INTEGER PRIMARY KEY, y TEXT)",
    "CREATE TABLE x (a TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE x (v REAL)",
    "CREATE TABLE x (v BLOB)",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END",
    "CREATE UNIQUE INDEX i ON x(a, IFNULL(b, 0))",
    "INSERT OR IGNORE INTO x VALUES (1)",
])
def test_sqlite_only_sql_in_a_shared_migration_is_recognised(sql: str) -> None:
    assert NOT_PORTABLE.search(sql)


def test_portable_sql_passes_the_check() -> None:
    sql = ("ALTER TABLE outbox ADD COLUMN language TEXT;\n"
           "CREATE INDEX proposals_status ON proposals(status, employee_id);")
    assert not NOT_PORTABLE.search(sql)
    assert issubclass(NotPortable, RuntimeError)


# --- the dialect ---------------------------------------------------------------------------


def test_placeholders_become_numbered_outside_literals_and_comments() -> None:
    sql = "SELECT '?', \"a?\", x::text FROM t WHERE a = ? AND b = ? -- c = ?"
    assert numbered_placeholders(sql) == (
        "SELECT '?', \"a?\", x::text FROM t WHERE a = $1 AND b = $2 -- c = ?", None)
    assert numbered_placeholders("WHERE p = :period AND q = :period OR r = :other") == (
        "WHERE p = $1 AND q = $1 OR r = $2", ("period", "other"))
    with pytest.raises(ValueError, match="mixes"):
        numbered_placeholders("WHERE a = ? AND b = :b")


@pytest.mark.parametrize(("given", "dialect", "location"), [
    ("kinerja.db", SQLITE, "kinerja.db"),
    ("/var/lib/kinerja/k.db", SQLITE, "/var/lib/kinerja/k.db"),
    (":memory:", SQLITE, ":memory:"),
    ("sqlite:///k.db", SQLITE, "k.db"),
    ("sqlite:////var/k.db", SQLITE, "/var/k.db"),
    ("postgresql://kinerja@db:5432/kinerja", POSTGRESQL, "postgresql://kinerja@db:5432/kinerja"),
    ("postgres://u:pw@db/k", POSTGRESQL, "postgres://u:pw@db/k"),
])
def test_kinerja_db_selects_the_dialect(given: str, dialect: object, location: str) -> None:
    target = parse_target(given)
    assert target.dialect is dialect
    assert target.location == location


def test_an_unknown_scheme_is_refused_without_showing_the_password() -> None:
    with pytest.raises(ValueError) as raised:
        parse_target("mysql://root:hunter2@db/k")
    assert "hunter2" not in str(raised.value)


async def test_store_path_hides_the_password(pg_server: pgserver.Server) -> None:
    async with pg_database(pg_server) as url:
        with_password = url.replace("kinerja@", "kinerja:secret@")  # trust auth ignores it
        store = await Store.open(with_password)
        try:
            assert "secret" not in store.path
            assert store.dialect is POSTGRESQL
        finally:
            await store.close()


# --- a unit cancelled while its statement runs ------------------------------------------------


async def test_a_unit_cancelled_mid_statement_leaves_nothing(pg_server: pgserver.Server) -> None:
    async with pg_database(pg_server) as url:
        store = await Store.open(url)
        try:
            started = asyncio.Event()

            async def unit() -> None:
                async with store.unit() as uow:
                    await uow.set_meta("half", "done")
                    started.set()
                    await uow.db.fetchone("SELECT pg_sleep(60)")

            task = asyncio.create_task(unit())
            await started.wait()
            async with store.reading() as r:  # a reading never waits for the writer
                assert await r.get_meta("half") is None
            while True:  # until the sleep is really running on the server
                async with store.reading() as r:
                    if await r.db.fetchone(
                        "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                    ):
                        break
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            async with store.unit() as uow:
                await uow.set_meta("next", "unit")
            async with store.reading() as r:
                assert await r.get_meta("half") is None
                assert await r.get_meta("next") == "unit"
        finally:
            await store.close()


# --- the CLI on PostgreSQL ---------------------------------------------------------------------


async def test_kinerja_init_and_demo_on_postgresql(pg_server: pgserver.Server,
                                                   tmp_path: Path) -> None:
    from tests.bot.admin.test_cli import kinerja

    async with pg_database(pg_server, migrated=False) as url:
        env = {"KINERJA_DB": url.replace("kinerja@", "kinerja:secret@")}
        # the CLI runs its own event loop: in a thread of its own here
        done = await asyncio.to_thread(kinerja, tmp_path, "init", env=env)
        assert done.returncode == 0, done.stderr
        assert f"(skema {bundled_migrations()[-1].version})" in done.stdout
        demo = await asyncio.to_thread(kinerja, tmp_path, "demo", env=env)
        assert demo.returncode == 0, demo.stderr
        assert "secret" not in done.stdout + demo.stdout
        store = await Store.open(url)
        try:
            async with store.reading() as r:
                assert await r.count_responses() > 0
                assert len(await r.all_points()) > 0
        finally:
            await store.close()


# --- kinerja migrate-db ----------------------------------------------------------------------


async def test_migrate_db_copies_a_sqlite_deployment_and_checks_it(
    pg_server: pgserver.Server, tmp_path: Path
) -> None:
    from bot.storage.organisation import UnitRow
    from tests.bot.admin.test_cli import kinerja

    demo = await asyncio.to_thread(kinerja, tmp_path, "demo")  # the SQLite k.db
    assert demo.returncode == 0, demo.stderr
    async with pg_database(pg_server, migrated=False) as url:
        done = await asyncio.to_thread(kinerja, tmp_path, "migrate-db", "--from", "k.db",
                                       "--to", url)
        assert done.returncode == 0, done.stderr
        assert "laporan SKM sama untuk" in done.stdout
        source, copy = await Store.open(tmp_path / "k.db"), await Store.open(url)
        try:
            for store in (source, copy):
                async with store.reading() as r:
                    assert await r.count_responses() > 0
            async with source.reading() as r:
                units, staff = await r.units(), await r.employee_atasan()
                targets = await r.db.fetchone("SELECT MAX(id) FROM units")
            async with copy.reading() as r:
                assert await r.units() == units, "ids, parents and populations kept"
                assert await r.employee_atasan() == staff
            async with copy.unit() as uow:  # the next id follows the copied ones
                await uow.upsert_units([UnitRow("BARU", "Unit baru")])
            async with copy.reading() as r:
                new = await r.db.fetchone("SELECT id FROM units WHERE code = 'BARU'")
            assert new[0] == targets[0] + 1
        finally:
            await source.close()
            await copy.close()
        again = await asyncio.to_thread(kinerja, tmp_path, "migrate-db", "--from", "k.db",
                                        "--to", url)
        assert again.returncode == 1 and "tidak kosong" in again.stderr
