"""What every ``kinerja`` command shares: the settings of this call, clean failures, and
opening what a command needs for one call.

Errors an administrator can fix (a bad import file, an unknown period, a database newer
than the program) print a clear message and exit with status 1, never a traceback.

Start-up time matters here (every command pays it, ``kinerja --help`` included): this
module and the command modules import only typer at the top. A command opens only
what it needs — :func:`with_core` (settings, storage, the signing key) for almost all,
:func:`with_app` (the engine and every flow) only for ``kinerja chat`` — and imports its
heavy libraries (pandas, openpyxl, matplotlib, a platform) inside its body.
``tests/bot/admin/test_startup.py`` keeps it so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from bot.admin.imports.parse import Table
    from bot.app.compose import App
    from bot.app.core import Core
    from bot.config import Settings
    from bot.storage import Store
    from kinerja.periods import Period

T = TypeVar("T")
C = TypeVar("C", "Core", "App", "Store")

@cache
def err() -> Console:
    """The stderr console (made on first use: ``--help`` and a command that succeeds
    quietly never import rich)."""
    from rich.console import Console

    return Console(stderr=True)


class Language(StrEnum):
    """``--lang`` of the reports: the language of their headers and words."""

    id = "id"
    en = "en"


class _State:
    db: str | None = None


state = _State()


def settings() -> Settings:
    """``KINERJA_*`` and ``.env``, with this call's ``--db``."""
    from bot.config import Settings

    base = Settings()
    if state.db is not None:
        base = base.model_copy(update={"db": state.db})
    return base


def fail(message: str) -> typer.Exit:
    err().print(f"[red]✗[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def require_database(config: Settings) -> None:
    """Exit 1, naming the path and ``KINERJA_DB``, when the database file does not exist.

    Every command but ``init`` and ``demo`` calls it first: run from another folder, a
    command would otherwise create an empty database there and report zeros — and, with
    ``KINERJA_SECRET_KEY`` unset, a bot started there would sign with a new key that no
    printed QR code carries.
    """
    from bot.storage.dialect import parse_target

    target = parse_target(config.db)
    if target.dialect.postgresql:  # a server: the connection says whether it is there
        return
    path = Path(target.location)
    if str(path) == ":memory:" or path.expanduser().exists():
        return
    raise fail(
        f"basis data tidak ditemukan: {path.expanduser().resolve()}\n"
        "  Periksa KINERJA_DB (atau --db BERKAS) dan folder tempat perintah dijalankan.\n"
        "  Basis data baru dibuat hanya oleh: kinerja init (kosong) atau kinerja demo (contoh)."
    )


def database_label(config: Settings) -> str:
    """The database for a person to read: a SQLite file's full path, a PostgreSQL URL
    without its password."""
    from bot.storage.dialect import parse_target, redacted

    target = parse_target(config.db)
    if target.dialect.postgresql:
        return redacted(config.db)
    if target.location == ":memory:":
        return target.location
    return str(Path(target.location).expanduser().resolve())


def with_core(make: Callable[[Core], Awaitable[T]], *, create: bool = False) -> T:
    """Open settings, storage and the signing key, run ``make(core)``, close them.

    What every command but ``chat`` needs; it builds no engine. A missing database file is
    refused (:func:`require_database`) unless ``create`` (``init``, ``demo``); a database
    newer than this program becomes exit 1 with a clear message.
    """
    from bot.app.core import open_core

    return _opened(open_core, make, create=create)


def with_app(make: Callable[[App], Awaitable[T]]) -> T:
    """:func:`with_core` plus the conversation engine with every flow (``kinerja chat``)."""
    from bot.app.compose import open_app

    return _opened(open_app, make)


def with_store(make: Callable[[Store], Awaitable[T]]) -> T:
    """Open only storage (no signing key is read or made) for ``make(store)``: what
    ``kinerja status`` and ``kinerja backup`` need. The database must exist."""
    from bot.storage import Store

    async def open_store(config: Settings) -> Store:
        return await Store.open(config.db)

    return _opened(open_store, make)  # type: ignore[type-var]


def _opened(open_: Callable[[Settings], Awaitable[C]], make: Callable[[C], Awaitable[T]],
            *, create: bool = False) -> T:
    from bot.storage import SchemaTooNew

    config = settings()
    if not create:
        require_database(config)

    async def main() -> T:
        try:
            opened = await open_(config)
        except SchemaTooNew as exc:
            raise fail(str(exc)) from exc
        try:
            return await make(opened)
        finally:
            await opened.close()

    return run(main())


class ImportProgress:
    """A progress bar on stderr for an import, shown only once it has run
    :data:`DELAY_S` seconds (a small file finishes without one). One bar per stage
    (reading the file, writing it)."""

    DELAY_S = 1.5

    def __init__(self, console: Console | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        import time

        self._console = console
        self._clock = clock or time.monotonic
        self._started = self._clock()
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def stage(self, label: str) -> Callable[[int, int | None], None]:
        """The callback of one stage: ``(done, total)`` rows (total None when unknown)."""

        def update(done: int, total: int | None) -> None:
            if self._bar is None:
                if self._clock() - self._started < self.DELAY_S:
                    return
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeElapsedColumn,
                )

                self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(),
                                     console=self._console or err(), transient=True)
                self._bar.start()
            if label not in self._tasks:
                self._tasks[label] = self._bar.add_task(label, total=total)
            self._bar.update(self._tasks[label], completed=done, total=total)

        return update

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def import_file(
    path: Path,
    kind: str,
    apply: Callable[[Core, Table, Callable[[int, int], None]], Awaitable[str]],
    sheet: str | None = None,
) -> None:
    """Read ``path`` as ``kind`` (before opening anything; ``sheet``: the XLSX sheet),
    validate and write it with ``apply`` and print its one-line summary after the reader's
    notices — or every problem, and exit 1. An import running longer than
    :attr:`ImportProgress.DELAY_S` shows a progress bar on stderr."""
    from bot.admin.imports.parse import ImportFailed, read_table

    require_database(settings())
    progress = ImportProgress()
    try:
        try:
            table = read_table(path, kind, sheet=sheet, progress=progress.stage("Membaca"))
            for notice in table.notices:
                err().print(f"[yellow]![/yellow] {path.name}: {notice}", highlight=False)
            message = with_core(lambda core: apply(core, table, progress.stage("Menyimpan")))
        finally:
            progress.close()
    except ImportFailed as exc:
        outcome = (f"Impor terhenti, {exc.written} baris pertama sudah tersimpan"
                   if exc.written else "Impor dibatalkan, tidak ada yang disimpan")
        err().print(f"[red]✗[/red] {outcome} ({len(exc.problems)} masalah):", highlight=False)
        for problem in exc.problems:
            err().print(f"  {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    typer.echo(message)


def chosen_period(label: str | None, default: Period) -> Period:
    """The period a command's ``--period`` names (``2026``, ``2026-S2``, ``2026-Q4``,
    ``2026-11``, ``2026-W47``), ``default`` when none is given; a label that names no period
    fails the command with an Indonesian message (exit status 1)."""
    from kinerja.periods import parse_period

    try:
        return parse_period(label) if label else default
    except ValueError as exc:
        raise fail(f"periode tidak dikenal: {exc}") from exc


def write_output(content: str | bytes, output: Path | None) -> None:
    """``content`` to stdout, or to ``output`` (a line on stderr says where and, for a binary
    file, how many bytes); binary content without ``output`` and a file that cannot be
    written fail the command with an Indonesian message."""
    if output is None:
        if isinstance(content, bytes):
            raise fail("format biner perlu --output BERKAS")
        typer.echo(content, nl=not content.endswith("\n"))
        return
    from kinerja.numbers import format_number

    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
            err().print(f"Ditulis: {output} ({format_number(len(content))} bita)",
                        highlight=False)
        else:
            output.write_text(content, encoding="utf-8")
            err().print(f"Ditulis: {output}", highlight=False)
    except OSError as exc:
        raise fail(f"tidak dapat menulis {output}: {exc.strerror}") from exc


def local_time(moment: datetime, tz: tzinfo) -> str:
    """A moment as people read it: ``2026-11-23 09:30 WIB`` in ``KINERJA_TIMEZONE``."""
    local = moment.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a new event loop (asyncio is imported here: ``--help`` needs none)."""
    import asyncio

    return asyncio.run(coro)
