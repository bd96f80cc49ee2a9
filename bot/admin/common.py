"""What every ``kinerja`` command shares: the settings of this call, clean failures, and
running the application for one command.

Errors an administrator can fix (a bad import file, an unknown period, a database newer
than the program) print a clear message and exit with status 1, never a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from bot.app.compose import App, open_app
from bot.config import Settings
from bot.storage import SchemaTooNew

T = TypeVar("T")

err = Console(stderr=True)


class _State:
    db: Path | None = None


state = _State()


def settings() -> Settings:
    base = Settings()
    if state.db is not None:
        base = base.model_copy(update={"db": state.db})
    return base


def fail(message: str) -> typer.Exit:
    err.print(f"[red]✗[/red] {message}", highlight=False)
    return typer.Exit(1)


def run_async(make: Callable[[App], Awaitable[T]]) -> T:
    """Open the application, run ``make(app)``, close it; clean errors become exit 1."""

    async def main() -> T:
        try:
            opened = await open_app(settings())
        except SchemaTooNew as exc:
            raise fail(str(exc)) from exc
        try:
            return await make(opened)
        finally:
            await opened.close()

    return run(main())


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


