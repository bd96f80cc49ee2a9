"""A consistent copy of the SQLite database while the bot keeps writing to it.

SQLite's online backup API (``sqlite3.Connection.backup``) copies the pages of the source
as of one read transaction: in WAL mode that reader never blocks the bot's writer, and
copying every page in one step means nothing written meanwhile can mix into the copy. The
copy is written beside the target first, switched to a rollback journal (one
self-contained file, nothing to copy with it), checked (``PRAGMA quick_check``) and only
then renamed into place — a failed backup never leaves a half-written file under the
target's name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.db import BUSY_TIMEOUT_MS

#: tables whose row counts a backup reports (the administrator compares them)
COUNTED = ("units", "service_points", "survey_responses", "employees", "indicators",
           "progress_reports", "outbox")


class BackupError(RuntimeError):
    """The copy could not be made or did not check out; the target was left untouched."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    schema_version: int
    counts: dict[str, int]


def table_counts(conn: sqlite3.Connection) -> tuple[int, dict[str, int]]:
    """(schema version, rows per table of :data:`COUNTED` that exists) of ``conn``."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = 0
    if "schema_migrations" in present:
        version = int(conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
                      or 0)
    counts = {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
              for t in COUNTED if t in present}
    return version, counts


def backup_database(source: Path | str, target: Path) -> BackupResult:
    """Copy the database at ``source`` to ``target`` (which must not exist) consistently,
    even while another process writes to ``source``.

    Blocking (run it in a thread from async code). SQLite only (a PostgreSQL database is
    refused: pg_dump is its backup). Raises :class:`BackupError` when the
    source is missing, the target exists or is the source, or the copy fails its check.
    """
    if str(source).lower().startswith("postgres"):  # a URL, not a file: SQLite's backup only
        raise BackupError(
            "cadangan ini hanya untuk basis data SQLite; untuk PostgreSQL gunakan pg_dump "
            "(mis. pg_dump --format=custom --file=kinerja.dump 'postgresql://…')"
        )
    source, target = Path(source).expanduser().resolve(), target.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"basis data tidak ditemukan: {source}")
    if target == source:
        raise BackupError("berkas cadangan tidak boleh sama dengan basis data")
    if target.exists():
        raise BackupError(f"{target} sudah ada: pilih nama lain (cadangan tidak ditimpa)")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} tidak ada")
    partial = target.with_name(target.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # every page in one step: one snapshot of the source
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"salinan tidak lolos pemeriksaan: {check}")
            version, counts = table_counts(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise BackupError(f"cadangan gagal: {exc}") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    finally:
        src.close()
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, version, counts)
