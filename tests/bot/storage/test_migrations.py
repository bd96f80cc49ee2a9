"""Migrations: a blank database gets exactly the schema; running again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.db import Database, Migration, SchemaTooNew, bundled_migrations

EXPECTED_TABLES = {
    "meta": ["key", "value"],
    "units": ["id", "code", "name", "parent_id", "population"],
    "services": ["id", "code", "unit_id", "name"],
    "service_points": ["id", "code", "service_id", "name", "officer_nip", "active"],
    "survey_responses": [
        "id", "point_id", "submitted_at", "channel",
        "u_persyaratan", "u_prosedur", "u_waktu", "u_biaya", "u_produk",
        "u_kompetensi", "u_perilaku", "u_pengaduan", "u_sarana",
        "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran",
    ],
    "survey_guard": ["chat_hash", "point_id", "day", "count"],
    "chats": ["channel", "chat_id", "unreachable", "last_inbound_at"],
    "sessions": [
        "channel", "chat_id", "flow", "step", "seq", "data", "language",
        "updated_at", "expires_at", "flow_version",
    ],
    "inbound_seen": ["channel", "message_id", "seen_at"],
    "outbox": [
        "id", "channel", "chat_id", "kind", "payload", "dedup_key", "status", "attempts",
        "next_attempt_at", "last_error", "platform_id", "created_at", "sent_at",
    ],
    "schema_migrations": ["version", "name", "applied_at"],
}


async def schema(db: Database) -> dict[str, list[str]]:
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        t["name"]: [c["name"] for c in await db.fetchall(f"PRAGMA table_info({t['name']})")]
        for t in tables
    }


async def dump(db: Database) -> list[tuple[str, str]]:
    rows = await db.fetchall("SELECT name, sql FROM sqlite_master ORDER BY name")
    return [(r["name"], r["sql"]) for r in rows]


async def test_blank_database_gets_the_exact_schema(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.db")
    try:
        got = await schema(db)
        # Later migrations add tables and columns; these tables are exactly so.
        for table, columns in EXPECTED_TABLES.items():
            assert got[table] == columns, table
        assert await db.schema_version() == bundled_migrations()[-1].version
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    finally:
        await db.close()


async def test_running_migrations_again_changes_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.db")
    before = await dump(db)
    assert await db.migrate() == []
    await db.close()
    db = await Database.open(tmp_path / "k.db")
    try:
        assert await dump(db) == before
        rows = await db.fetchall("SELECT version FROM schema_migrations")
        assert len(rows) == len(bundled_migrations())
    finally:
        await db.close()


async def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.db")
    await db.conn.execute(
        "INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2030-01-01')"
    )
    await db.close()
    with pytest.raises(SchemaTooNew, match="lebih baru"):
        await Database.open(tmp_path / "k.db")


async def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.db")
    try:
        broken = Migration(9000, "broken", "CREATE TABLE half_done (x INTEGER);\nSELEKT nonsense;")
        with pytest.raises(Exception, match="syntax"):
            await db.migrate([*bundled_migrations(), broken])
        names = {t["name"] for t in await db.fetchall("SELECT name FROM sqlite_master")}
        assert "half_done" not in names
        assert await db.schema_version() == bundled_migrations()[-1].version
    finally:
        await db.close()


async def test_answers_outside_one_to_four_are_refused_by_the_schema(tmp_path: Path) -> None:
    import sqlite3

    db = await Database.open(tmp_path / "k.db")
    try:
        await db.conn.executescript(
            "INSERT INTO units (code, name) VALUES ('U', 'U');"
            "INSERT INTO services (code, unit_id, name) VALUES ('S', 1, 'S');"
            "INSERT INTO service_points (code, service_id, name) VALUES ('P', 1, 'P');"
        )
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute(
                "INSERT INTO survey_responses (point_id, submitted_at, channel, u_waktu)"
                " VALUES (1, '2026-01-01', 'x', 5)"
            )
    finally:
        await db.close()


async def test_the_outbox_rebuild_keeps_every_row(tmp_path: Path) -> None:
    import sqlite3

    older = [m for m in bundled_migrations() if m.version < 5]
    db = await Database.open(tmp_path / "k.db", migrate=False)
    await db.migrate(older)  # a database as the previous release left it
    await db.execute(
        "INSERT INTO outbox (channel, chat_id, kind, payload, dedup_key, status, attempts,"
        " next_attempt_at, platform_id, created_at, sent_at) VALUES ('telegram', '7',"
        " 'approval', '{\"text\": \"x\", \"choices\": []}', 'report:1', 'sent', 1,"
        " '2026-11-01T00:00:00+00:00', '55', '2026-11-01T00:00:00+00:00',"
        " '2026-11-01T00:00:05+00:00')"
    )
    before = [tuple(r) for r in await db.fetchall("SELECT * FROM outbox")]
    await db.close()

    db = await Database.open(tmp_path / "k.db")  # the new release migrates it
    try:
        assert [tuple(r) for r in await db.fetchall("SELECT * FROM outbox")] == before
        await db.execute("UPDATE outbox SET status = 'superseded'")
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("UPDATE outbox SET status = 'lost'")
        indexes = {r["name"] for r in await db.fetchall("PRAGMA index_list(outbox)")}
        assert {"outbox_due", "outbox_platform"} <= indexes
    finally:
        await db.close()
