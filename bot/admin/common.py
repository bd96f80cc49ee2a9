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

T = TypeVar("T")
C = TypeVar("C", bound="Core")

@cache
def err() -> Console:
    """The stderr console (made on first use: ``--help`` and a command that succeeds
    quietly never import rich)."""
    from rich.console import Console

    return Console(stderr=True)


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
    err().print(f"[red]✗[/red] {message}", highlight=False)
    return typer.Exit(1)


def with_core(make: Callable[[Core], Awaitable[T]]) -> T:
    """Open settings, storage and the signing key, run ``make(core)``, close them.

    What every command but ``chat`` needs; it builds no engine. A database newer than
    this program becomes exit 1 with a clear message.
    """
    from bot.app.core import open_core

    return _opened(open_core, make)


def with_app(make: Callable[[App], Awaitable[T]]) -> T:
    """:func:`with_core` plus the conversation engine with every flow (``kinerja chat``)."""
    from bot.app.compose import open_app

    return _opened(open_app, make)


def _opened(open_: Callable[[Settings], Awaitable[C]], make: Callable[[C], Awaitable[T]]) -> T:
    from bot.storage import SchemaTooNew

    async def main() -> T:
        try:
            opened = await open_(settings())
        except SchemaTooNew as exc:
            raise fail(str(exc)) from exc
        try:
            return await make(opened)
        finally:
            await opened.close()

    return run(main())


def import_file(path: Path, apply: Callable[[Core, Table], Awaitable[str]]) -> None:
    """Read ``path`` (before opening anything), validate and write it with ``apply`` and
    print its one-line summary — or every problem, and exit 1."""
    from bot.admin.imports.parse import ImportFailed, read_table

    try:
        table = read_table(path)
        message = with_core(lambda core: apply(core, table))
    except ImportFailed as exc:
        outcome = (f"Impor terhenti, {exc.written} baris pertama sudah tersimpan"
                   if exc.written else "Impor dibatalkan, tidak ada yang disimpan")
        err().print(f"[red]✗[/red] {outcome} ({len(exc.problems)} masalah):", highlight=False)
        for problem in exc.problems:
            err().print(f"  {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    typer.echo(message)


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a new event loop (asyncio is imported here: ``--help`` needs none)."""
    import asyncio

    return asyncio.run(coro)
