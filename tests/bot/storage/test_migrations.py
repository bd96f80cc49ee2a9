"""Migrations: a blank database gets exactly the schema; running again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import Handle, Store
from bot.storage.db import Migration, SchemaTooNew, bundled_migrations

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
    "survey_guard_keys": ["day", "key"],
    "chats": ["channel", "chat_id", "unreachable", "last_inbound_at"],
    "sessions": [
        "channel", "chat_id", "flow", "step", "seq", "data", "language",
        "updated_at", "expires_at", "flow_version", "turn",
    ],
    "inbound_seen": ["channel", "message_id", "seen_at"],
    "outbox": [
        "id", "channel", "chat_id", "kind", "payload", "dedup_key", "status", "attempts",
        "next_attempt_at", "last_error", "platform_id", "created_at", "sent_at", "language",
        "claimed_by",
    ],
    "push_files": ["sha256", "mime_type", "size", "content", "token", "created_at"],
    "waiting_pushes": [
        "id", "employee_id", "kind", "payloads", "language", "dedup_key", "created_at",
    ],
    "schema_migrations": ["version", "name", "applied_at"],
    "employees": ["id", "nip", "nama", "jabatan", "unit_id", "atasan_id", "phone", "active"],
    "period_events": ["id", "period", "unit_id", "action", "at", "by", "reason"],
    "rtl_items": [
        "id", "unit_id", "period", "unsur", "problem", "action", "responsible_id",
        "target_date", "progress", "status", "created_at", "updated_at",
    ],
    "rtl_updates": [
        "id", "item_id", "at", "by_employee_id", "by_name", "action", "progress", "status",
        "target_date", "responsible_id", "note",
    ],
    "saran_marks": ["response_id", "mark", "rtl_id", "marked_at", "marked_by"],
    "unit_alerts": ["unit_id", "bad_responses", "ikm_drop"],
    "alert_pending": [
        "unit_id", "hour", "responses", "serious",
        "u_persyaratan", "u_prosedur", "u_waktu", "u_biaya", "u_produk",
        "u_kompetensi", "u_perilaku", "u_pengaduan", "u_sarana",
    ],
    "follows": ["channel", "chat_id", "unit_id", "language", "since"],
    "paper_forms": ["point_id", "form_key", "copies"],
    # the web face (migration 0015)
    "web_login_links": [
        "token_hash", "employee_id", "is_admin", "created_at", "expires_at", "used_at",
    ],
    "web_sessions": [
        "token_hash", "employee_id", "is_admin", "csrf", "created_at", "last_seen_at",
    ],
    "inbox": ["id", "channel", "update_key", "chat_key", "payload", "done_on", "claimed_by"],
    "held_replies": ["id", "channel", "chat_id", "message_id", "payload", "replica"],
    "replicas": ["id", "alive_until"],  # migration 0016
}


async def schema(r: Handle) -> dict[str, list[str]]:
    tables = await r.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        t["name"]: [c["name"] for c in await r.db.fetchall(f"PRAGMA table_info({t['name']})")]
        for t in tables
    }


async def dump(store: Store) -> list[tuple[str, str]]:
    async with store.reading() as r:
        rows = await r.db.fetchall("SELECT name, sql FROM sqlite_master ORDER BY name")
    return [(row["name"], row["sql"]) for row in rows]


async def test_blank_database_gets_the_exact_schema(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "k.db")
    try:
        async with store.reading() as r:
            got = await schema(r)
            assert (await r.db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        # Later migrations add tables and columns; these tables are exactly so.
        for table, columns in EXPECTED_TABLES.items():
            assert got[table] == columns, table
        assert await store.schema_version() == bundled_migrations()[-1].version
        async with store.unit() as uow:  # the writer connection enforces foreign keys
            assert (await uow.db.fetchone("PRAGMA foreign_keys"))[0] == 1
    finally:
        await store.close()


async def test_running_migrations_again_changes_nothing(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "k.db")
    before = await dump(store)
    assert await store.migrate() == []
    await store.close()
    store = await Store.open(tmp_path / "k.db")
    try:
        assert await dump(store) == before
        async with store.reading() as r:
            rows = await r.db.fetchall("SELECT version FROM schema_migrations")
        assert len(rows) == len(bundled_migrations())
    finally:
        await store.close()


async def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "k.db")
    async with store.unit() as uow:
        await uow.db.execute(
            "INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2030-01-01')"
        )
    await store.close()
    with pytest.raises(SchemaTooNew, match="lebih baru"):
        await Store.open(tmp_path / "k.db")


async def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "k.db")
    try:
        broken = Migration(9000, "broken", "CREATE TABLE half_done (x INTEGER);\nSELEKT nonsense;")
        with pytest.raises(Exception, match="syntax"):
            await store.migrate([*bundled_migrations(), broken])
        async with store.reading() as r:
            names = {t["name"] for t in await r.db.fetchall("SELECT name FROM sqlite_master")}
        assert "half_done" not in names
        assert await store.schema_version() == bundled_migrations()[-1].version
        async with store.unit() as uow:  # the writer is usable: nothing was left open
            await uow.set_meta("after", "the failed migration")
    finally:
        await store.close()


async def test_answers_outside_one_to_four_are_refused_by_the_schema(tmp_path: Path) -> None:
    import sqlite3

    store = await Store.open(tmp_path / "k.db")
    try:
        async with store.unit() as uow:
            await uow.db.execute("INSERT INTO units (code, name) VALUES ('U', 'U')")
            await uow.db.execute("INSERT INTO services (code, unit_id, name) VALUES ('S', 1, 'S')")
            await uow.db.execute(
                "INSERT INTO service_points (code, service_id, name) VALUES ('P', 1, 'P')"
            )
        with pytest.raises(sqlite3.IntegrityError):
            async with store.unit() as uow:
                await uow.db.execute(
                    "INSERT INTO survey_responses (point_id, submitted_at, channel, u_waktu)"
                    " VALUES (1, '2026-01-01', 'x', 5)"
                )
    finally:
        await store.close()


async def test_the_outbox_rebuild_keeps_every_row(tmp_path: Path) -> None:
    import sqlite3

    older = [m for m in bundled_migrations() if m.version < 5]
    store = await Store.open(tmp_path / "k.db", migrate=False)
    await store.migrate(older)  # a database as the previous release left it
    async with store.unit() as uow:
        await uow.db.execute(
            "INSERT INTO outbox (channel, chat_id, kind, payload, dedup_key, status, attempts,"
            " next_attempt_at, platform_id, created_at, sent_at) VALUES ('telegram', '7',"
            " 'approval', '{\"text\": \"x\", \"choices\": []}', 'report:1', 'sent', 1,"
            " '2026-11-01T00:00:00+00:00', '55', '2026-11-01T00:00:00+00:00',"
            " '2026-11-01T00:00:05+00:00')"
        )
        before = [tuple(r) for r in await uow.db.fetchall("SELECT * FROM outbox")]
    await store.close()

    store = await Store.open(tmp_path / "k.db")  # the new release migrates it
    try:
        async with store.unit() as uow:
            # kept whole; migration 13 added the row's language (unknown for old rows), 16
            # the replica that claimed it (none)
            after = [tuple(r) for r in await uow.db.fetchall("SELECT * FROM outbox")]
            assert after == [(*row, None, None) for row in before]
            await uow.db.execute("UPDATE outbox SET status = 'superseded'")
            with pytest.raises(sqlite3.IntegrityError):
                await uow.db.execute("UPDATE outbox SET status = 'lost'")
            indexes = {r["name"] for r in await uow.db.fetchall("PRAGMA index_list(outbox)")}
        assert {"outbox_due", "outbox_platform"} <= indexes
    finally:
        await store.close()


async def test_report_revisions_name_the_corrected_report_once(tmp_path: Path) -> None:
    """0012: ``progress_reports.revises_id``, unique where set; proposals indexed by status."""
    store = await Store.open(tmp_path / "k.db")
    try:
        async with store.reading() as r:
            columns = [c["name"] for c in await r.db.fetchall(
                "PRAGMA table_info(progress_reports)")]
            indexes = {i["name"]: i["sql"] for i in await r.db.fetchall(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'")}
        assert columns[-1] == "revises_id"
        assert "UNIQUE" in indexes["progress_reports_revises"]
        assert "WHERE revises_id IS NOT NULL" in indexes["progress_reports_revises"]
        assert "proposals_status" in indexes
    finally:
        await store.close()
