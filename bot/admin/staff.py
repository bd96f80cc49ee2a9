"""Staff administration commands: import employees and SKP targets, invite to the chat.

``kinerja import employees FILE``, ``kinerja import targets FILE`` (CSV or
XLSX, all or nothing, idempotent) and ``kinerja invite NIP…`` /
``kinerja invite --unit CODE [--format csv]``, which prints one-time
activation codes (valid 7 days; only their keyed hash is stored; a new
invite revokes the employee's earlier codes and chat links).
``kinerja close-period PERIOD [--unit CODE]`` closes a rating period.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.admin.imports.parse import Table, parse_employees, parse_targets
from bot.app.compose import App
from bot.conversation.flows.staff.register import CODE_TTL, code_hash, new_code


async def import_staff_table(app: App, kind: str, table: Table) -> str:
    """Validate ``table`` as ``employees`` or ``targets`` and write it in one transaction.

    Raises :class:`bot.admin.imports.parse.ImportFailed` (nothing written) on any problem.
    """
    async with app.store.unit() as uow:
        if kind == "employees":
            rows = parse_employees(table, await uow.codes("units"), await uow.employee_atasan())
            await uow.upsert_employees(rows)
            return f"{len(rows)} pegawai diimpor dari {table.file}."
        if kind == "targets":
            targets = parse_targets(table, set(await uow.employee_atasan()))
            await uow.upsert_targets(targets)
            return f"{len(targets)} indikator kinerja diimpor dari {table.file}."
    raise ValueError(f"unknown import kind {kind!r}")


class CloseError(ValueError):
    """A malformed period or an unknown unit; nothing was closed."""


async def close_period(app: App, period: str, unit: str | None, now: datetime) -> str:
    """Close ``period`` (a label such as ``2026-Q4``) for ``unit`` or for every unit.

    Ratings of a closed period can no longer be given or revised in chat.
    Raises :class:`CloseError` for a bad period label or an unknown unit.
    """
    from kinerja.periods import parse_period

    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise CloseError(f"periode tidak dikenal: {period!r} (contoh: 2026-Q4)") from exc
    if parsed.kind != "quarter":
        raise CloseError(f"penilaian per triwulan: sebutkan triwulan, mis. {parsed.start.year}-Q4")
    label = parsed.label
    scope = f"unit {unit}" if unit is not None else "semua unit"
    async with app.store.unit() as uow:
        try:
            closed = await uow.close_period(label, unit, now, "cli")
        except KeyError as exc:
            raise CloseError(f"unit {unit!r} tidak dikenal") from exc
    if not closed:
        return f"Periode {label} sudah ditutup untuk {scope}."
    return f"Periode {label} ditutup untuk {scope}: penilaian tidak dapat diubah lagi."


class InviteError(ValueError):
    """An unknown NIP or unit; nothing was created."""


async def create_invites(
    app: App, nips: Sequence[str], unit: str | None, now: datetime
) -> list[dict[str, str]]:
    """One fresh activation code per employee (by NIP, or every employee of ``unit``).

    Returns rows ``nip, nama, jabatan, code, expires_at`` (the only place the
    plain code ever appears). Raises :class:`InviteError` for an unknown NIP
    or unit, or when nobody was selected; then nothing is stored.
    """
    expires = now + CODE_TTL
    out: list[dict[str, str]] = []
    async with app.store.unit() as uow:
        if unit is not None:
            if unit not in await uow.codes("units"):
                raise InviteError(f"unit {unit!r} tidak dikenal")
            employees = await uow.employees_of_unit(unit)
        else:
            employees = await uow.employees_by_nip(list(nips))
            missing = sorted(set(nips) - {e.nip for e in employees})
            if missing:
                raise InviteError(f"NIP tidak dikenal: {', '.join(missing)}")
        if not employees:
            raise InviteError("tidak ada pegawai yang dipilih")
        for employee in employees:
            code = new_code()
            await uow.create_activation(
                employee.id, code_hash(app.secret_key, code), now, expires
            )
            out.append({
                "nip": employee.nip,
                "nama": employee.nama,
                "jabatan": employee.jabatan,
                "code": code,
                "expires_at": expires.isoformat(timespec="minutes"),
            })
    return out


FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


class InviteFormat(StrEnum):
    text = "text"
    csv = "csv"


def register(app: typer.Typer, import_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add the staff commands to the ``kinerja`` CLI."""
    from bot.admin import common as cli

    def _import(kind: str, path: Path) -> None:
        from bot.admin.imports.parse import ImportFailed, read_table

        async def go(a: App) -> str:
            return await import_staff_table(a, kind, read_table(path))

        try:
            message = cli.run_async(go)
        except ImportFailed as exc:
            cli.err.print(f"[red]✗[/red] Impor dibatalkan, tidak ada yang disimpan "
                          f"({len(exc.problems)} masalah):", highlight=False)
            for problem in exc.problems:
                cli.err.print(f"  {problem}", highlight=False, markup=False)
            raise typer.Exit(1) from exc
        typer.echo(message)

    @import_app.command("employees")
    def import_employees(file: FileArg) -> None:
        """Pegawai: nip, nama, jabatan, unit, atasan_nip, phone."""
        _import("employees", file)

    @import_app.command("targets")
    def import_targets(file: FileArg) -> None:
        """Target SKP: nip, tahun, rhk, jenis, indikator, aspek, target, satuan, arah."""
        _import("targets", file)

    @app.command("close-period")
    def close_period_command(
        period: Annotated[str, typer.Argument(help="Periode, mis. 2026-Q4.")],
        unit: Annotated[str | None, typer.Option(help="Hanya unit ini (kode).")] = None,
    ) -> None:
        """Tutup periode penilaian: penilaian (perilaku, hasil kerja) tidak dapat diubah lagi."""

        async def go(a: App) -> str:
            try:
                return await close_period(a, period, unit, datetime.now(UTC))
            except CloseError as exc:
                raise cli.fail(str(exc)) from exc

        typer.echo(cli.run_async(go))

    @app.command()
    def invite(
        nips: Annotated[list[str] | None, typer.Argument(help="NIP pegawai.")] = None,
        unit: Annotated[str | None, typer.Option(help="Semua pegawai unit ini.")] = None,
        format: Annotated[InviteFormat, typer.Option("--format")] = InviteFormat.text,
    ) -> None:
        """Kode aktivasi sekali pakai (berlaku 7 hari) agar pegawai dapat /daftar KODE."""
        if not nips and unit is None:
            raise cli.fail("sebutkan NIP atau --unit KODE")

        async def go(a: App) -> list[dict[str, str]]:
            try:
                return await create_invites(a, nips or [], unit, datetime.now(UTC))
            except InviteError as exc:
                raise cli.fail(str(exc)) from exc

        rows = cli.run_async(go)
        if format is InviteFormat.csv:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            typer.echo(buffer.getvalue(), nl=False)
            return
        for row in rows:
            typer.echo(f"{row['nip']}\t{row['nama']}\t{row['code']}\t"
                       f"berlaku s.d. {row['expires_at']}")
        typer.echo("Pegawai mengetik /daftar KODE di Telegram/WhatsApp bot ini.")
