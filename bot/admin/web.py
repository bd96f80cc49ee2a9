"""``kinerja poster`` (counter posters) and ``kinerja web-login`` (a dashboard login link for
an administrator)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.admin.common import err, fail, settings, with_core

if TYPE_CHECKING:
    from bot.admin.imports.parse import Table
    from bot.app.core import Core
    from bot.web.dashboard import AdminTools, Importer, Inviter


class PosterFormat(StrEnum):
    pdf = "pdf"
    png = "png"


class PaperSize(StrEnum):
    a4 = "a4"
    a5 = "a5"


def register(app: typer.Typer) -> None:
    """Add ``poster`` and ``web-login`` to the CLI."""

    @app.command()
    def poster(
        output: Annotated[Path, typer.Option("--output", "-o",
                                             help="Folder tujuan (dibuat bila belum ada).")],
        point: Annotated[str | None, typer.Option("--point", help="Kode titik layanan.")] = None,
        unit: Annotated[str | None, typer.Option("--unit", help="Kode unit (semua titik "
                                                 "layanannya yang aktif).")] = None,
        format: Annotated[PosterFormat, typer.Option("--format")] = PosterFormat.pdf,
        size: Annotated[PaperSize, typer.Option("--size", help="Ukuran kertas.")] = PaperSize.a4,
    ) -> None:
        """Poster loket per titik layanan aktif: unit, layanan, ajakan menilai, kode QR
        Telegram dan/atau WhatsApp (yang dikonfigurasi) dan nama bot tertulis."""
        import asyncio

        from bot.admin.links import bot_username
        from bot.web.posters import NoChannel, PosterSource, poster_name, render_point_poster

        if point and unit:
            raise fail("pilih salah satu: --point atau --unit")
        config = settings()

        async def go(core: Core) -> list[Path]:
            async with core.store.reading() as r:
                points = await r.all_points()
            if point is not None:
                chosen = [p for p in points if p.code == point]
                if not chosen:
                    raise fail(f"titik layanan {point!r} tidak dikenal")
                if not chosen[0].active:
                    raise fail(f"titik layanan {point} tidak aktif: tidak dibuat poster")
            elif unit is not None:
                chosen = [p for p in points if p.unit_code == unit]
                if not chosen:
                    raise fail(f"unit {unit!r} tidak dikenal atau tidak punya titik layanan")
            else:
                chosen = points
            chosen = [p for p in chosen if p.active]
            if not chosen:
                raise fail("tidak ada titik layanan aktif")
            try:
                username = await bot_username(core) if (
                    config.telegram_username or config.telegram_token) else None
                source = PosterSource(core.secret_key, username, config.whatsapp_number)
            except NoChannel as exc:
                raise fail(str(exc)) from exc
            output.mkdir(parents=True, exist_ok=True)
            written = []
            for p in chosen:
                content = await asyncio.to_thread(
                    render_point_poster, p, source, language=config.language,
                    size=size.value, fmt=format.value)
                target = output / poster_name(p, size.value, format.value)
                target.write_bytes(content)
                written.append(target)
            return written

        for path in with_core(go):
            err().print(f"Ditulis: {path}", highlight=False)

    @app.command("web-login")
    def web_login() -> None:
        """Tautan masuk dasbor web untuk admin (sekali pakai, berlaku 10 menit)."""
        from bot.web.auth import LINK_MINUTES, new_login_link

        config = settings()
        base = config.public_url or config.webhook_url
        if not base:
            raise fail("KINERJA_PUBLIC_URL belum diset: alamat web yang dibuka di browser, "
                       "mis. https://skm.contoh.go.id")

        async def go(core: Core) -> str:
            async with core.store.unit() as uow:
                return await new_login_link(uow, base, employee_id=None, is_admin=True)

        typer.echo(with_core(go))
        err().print(f"Sekali pakai, berlaku {LINK_MINUTES} menit. Jangan dibagikan.",
                    highlight=False)


def importer_for(core: Core) -> Importer:
    """The dashboard's import upload (``bot.web.dashboard.Importer``) over the CLI's import
    machinery (:mod:`bot.admin.imports`, ``kinerja import``): the upload is read like a file
    of that name, validated and written the same way; returns ``(summary, [])`` or
    ``(None, problems)`` (file, row, column, message — nothing written)."""
    import asyncio
    import tempfile

    from bot.admin.imports.apply import import_table
    from bot.admin.imports.parse import ImportFailed, read_table
    from bot.admin.staff import import_staff_table

    def read(name: str, content: bytes) -> Table:
        suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (
            ".csv", ".xlsx", ".xlsm") else ".csv"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / (Path(name).stem[:80] + suffix)
            path.write_bytes(content)
            return read_table(path)

    async def run(kind: str, name: str, content: bytes) -> tuple[str | None, list[object]]:
        try:
            table = await asyncio.to_thread(read, Path(name).name or "berkas.csv", content)
            if kind in ("employees", "targets"):
                summary = await import_staff_table(core, kind, table)
            else:
                summary = await import_table(core, kind, table)
        except ImportFailed as exc:
            return None, list(exc.problems)
        return summary, []

    return run


def inviter_for(core: Core) -> Inviter:
    """The dashboard's invite sheet over ``kinerja invite --unit`` (:func:`create_invites`):
    fresh codes for the unit's active employees not linked yet (``relink``: all of them)."""
    from datetime import UTC, datetime

    from bot.admin.staff import InviteError, create_invites

    async def run(unit: str, relink: bool) -> tuple[list[dict[str, str]], str | None]:
        try:
            return await create_invites(core, [], unit, datetime.now(UTC), relink=relink), None
        except InviteError as exc:
            return [], str(exc)

    return run


def _roster_call(core: Core, change: Callable[..., Awaitable[str]],
                 *, now: bool = False) -> Callable[..., Awaitable[tuple[bool, str]]]:
    """A roster change of ``kinerja staff|points`` for the dashboard: ``(True, message)``, or
    ``(False, message)`` when the CLI would refuse (:class:`RosterError`)."""
    from datetime import UTC, datetime

    from bot.admin.roster import RosterError

    async def call(*args: Any, **kwargs: Any) -> tuple[bool, str]:
        try:
            extra = (datetime.now(UTC),) if now else ()
            return True, await change(core, *args, *extra, **kwargs)
        except RosterError as exc:
            return False, str(exc)

    return call


def admin_tools(core: Core) -> AdminTools:
    """What ``kinerja run`` hands the dashboard: the import upload, the invite sheet and the
    roster changes of ``kinerja staff|points`` (bot/admin/roster.py)."""
    from bot.admin import roster
    from bot.web.dashboard import AdminTools

    return AdminTools(
        importer=importer_for(core), inviter=inviter_for(core),
        save_staff=_roster_call(core, roster.save_staff),
        staff_active=_roster_call(core, roster.set_staff_active, now=True),
        add_point=_roster_call(core, roster.add_point),
        point_active=_roster_call(core, roster.set_point_active),
    )
