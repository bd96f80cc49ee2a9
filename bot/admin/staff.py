"""Staff administration commands: import employees and SKP targets, invite to the chat.

``kinerja import employees FILE``, ``kinerja import targets FILE`` (CSV or
XLSX; a file with any problem imports nothing; idempotent by NIP and indicator,
written in short units beside the running bot) and ``kinerja invite NIP…`` /
``kinerja invite --unit CODE [--relink] [--format csv]``, which prints one-time
activation codes (valid 7 days; only their keyed hash is stored; a new invite revokes
the employee's earlier unused codes, and logs nobody out: a chat link is replaced only
when the new code is used; ``--unit`` skips employees already linked unless ``--relink``).
``kinerja close-period PERIOD [--unit CODE] [--yes]`` closes a rating period after a
confirmation, ``kinerja reopen-period PERIOD --reason …`` reopens it and ``kinerja
periods`` shows who did which, when and why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.admin.imports.parse import Table, WriteProgress
    from bot.app.core import Core
    from bot.storage import Unit
    from bot.storage.admin import PeriodEvent
    from bot.storage.employees import EmployeeRow, TargetRow
    from kinerja.periods import Period


async def import_staff_table(
    core: Core, kind: str, table: Table, *, progress: WriteProgress | None = None
) -> str:
    """Validate ``table`` as ``employees`` or ``targets``, then write it in short units of
    work (:mod:`bot.admin.imports.apply`: the bot keeps answering meanwhile).

    A column absent from the file leaves that field as it is: employees without
    ``atasan_nip`` keep their atasan, without ``phone`` their phone; targets without
    ``arah``/``agregasi`` keep theirs (README, "Import files").

    Raises :class:`bot.admin.imports.parse.ImportFailed` on any problem of the file (then
    nothing is written), or when a unit or an atasan it refers to disappeared while it
    was being written.
    """
    from bot.admin.imports.apply import (
        BATCH_ROWS,
        check_still_there,
        parents_first,
        write_in_batches,
    )
    from bot.admin.imports.parse import parse_employees, parse_targets

    store, file = core.store, table.file
    if kind == "employees":
        async with store.reading() as r:
            rows = parse_employees(table, await r.codes("units"), await r.employee_atasan())
        in_file = {e.nip for e in rows}

        async def write_employees(uow: Unit, batch: Sequence[EmployeeRow], offset: int) -> None:
            check_still_there(file, "unit", {e.unit for e in batch}, await uow.codes("units"),
                              offset, "unit")
            outside = sorted({e.atasan for e in batch if e.atasan and e.atasan not in in_file})
            if outside:
                found = {e.nip for e in await uow.employees_by_nip(outside)}
                check_still_there(file, "atasan_nip", outside, found, offset, "atasan")
            await uow.upsert_employees(batch, link_atasan=link_atasan)

        link_atasan = "atasan_nip" in table.columns
        await write_in_batches(store, parents_first(rows, lambda e: e.nip, lambda e: e.atasan),
                               BATCH_ROWS["employees"], write_employees, progress=progress)
        return f"{len(rows)} pegawai diimpor dari {file}."
    if kind == "targets":
        async with store.reading() as r:
            targets = parse_targets(table, set(await r.employee_atasan()))

        async def write_targets(uow: Unit, batch: Sequence[TargetRow], offset: int) -> None:
            nips = sorted({t.nip for t in batch})
            found = {e.nip for e in await uow.employees_by_nip(nips)}
            check_still_there(file, "nip", nips, found, offset, "pegawai")
            await uow.upsert_targets(batch, set_agregasi=set_agregasi)

        set_agregasi = "agregasi" in table.columns
        await write_in_batches(store, targets, BATCH_ROWS["targets"], write_targets,
                               progress=progress)
        return f"{len(targets)} indikator kinerja diimpor dari {file}."
    raise ValueError(f"unknown import kind {kind!r}")


class CloseError(ValueError):
    """A malformed period, an unknown unit, or nothing to reopen; nothing was changed."""


def _quarter(period: str) -> Period:
    from kinerja.periods import parse_period

    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise CloseError(f"periode tidak dikenal: {period!r} (contoh: 2026-Q4)") from exc
    if parsed.kind != "quarter":
        raise CloseError(f"penilaian per triwulan: sebutkan triwulan, mis. {parsed.start.year}-Q4")
    return parsed


def describe_closing(period: str, unit: str | None) -> str:
    """What closing ``period`` for ``unit`` (or every unit) means, for the confirmation.
    Raises :class:`CloseError` for a bad period label."""
    parsed = _quarter(period)
    scope = f"unit {unit}" if unit is not None else "SEMUA unit"
    return (f"Menutup periode {parsed.label} ({parsed.start:%d-%m-%Y} s.d. "
            f"{parsed.end:%d-%m-%Y}) untuk {scope}: penilaian perilaku (BerAKHLAK) dan hasil "
            "kerja triwulan itu tidak dapat diberi atau diubah lagi di chat. Dapat dibuka "
            "kembali dengan kinerja reopen-period (tercatat dengan alasannya).")


async def close_period(
    app: Core, period: str, unit: str | None, now: datetime, by: str = "cli"
) -> str:
    """Close ``period`` (a label such as ``2026-Q4``) for ``unit`` or for every unit, and
    record who closed it (``period_events``).

    Ratings of a closed period can no longer be given or revised in chat.
    Raises :class:`CloseError` for a bad period label or an unknown unit.
    """
    label = _quarter(period).label
    scope = f"unit {unit}" if unit is not None else "semua unit"
    async with app.store.unit() as uow:
        try:
            closed = await uow.close_period(label, unit, now, by)
        except KeyError as exc:
            raise CloseError(f"unit {unit!r} tidak dikenal") from exc
        if closed:
            await uow.record_period_event(label, unit, "close", now, by)
    if not closed:
        return f"Periode {label} sudah ditutup untuk {scope}."
    return f"Periode {label} ditutup untuk {scope}: penilaian tidak dapat diubah lagi."


async def reopen_period(
    app: Core, period: str, unit: str | None, reason: str, now: datetime, by: str
) -> str:
    """Reopen ``period`` for exactly the scope it was closed for (``unit`` or every unit),
    recording who and why (``period_events``). Raises :class:`CloseError` when the period
    is not closed for that scope, the unit is unknown or the reason is empty."""
    label = _quarter(period).label
    if not reason.strip():
        raise CloseError("sebutkan alasannya: --reason \"…\"")
    scope = f"unit {unit}" if unit is not None else "semua unit"
    async with app.store.unit() as uow:
        if unit is not None and unit not in await uow.codes("units"):
            raise CloseError(f"unit {unit!r} tidak dikenal")
        closed = await uow.period_closures(label)
        if unit is not None and None in closed:
            raise CloseError(f"periode {label} ditutup untuk semua unit: buka untuk semua "
                             "unit (tanpa --unit), lalu tutup lagi unit yang perlu")
        if unit not in closed:
            units = ", ".join(c for c in closed if c)
            raise CloseError(f"periode {label} tidak sedang ditutup untuk {scope}"
                             + (f" (ditutup untuk unit: {units})" if units else ""))
        await uow.reopen_period(label, unit)
        await uow.record_period_event(label, unit, "reopen", now, by, reason.strip())
    return (f"Periode {label} dibuka kembali untuk {scope}: penilaian dapat diberi dan diubah "
            "lagi. Tercatat di riwayat (kinerja periods).")


class InviteError(ValueError):
    """An unknown NIP or unit; nothing was created."""


async def create_invites(
    app: Core, nips: Sequence[str], unit: str | None, now: datetime, *, relink: bool = False,
) -> list[dict[str, str]]:
    """One fresh activation code per employee (by NIP, or every active employee of ``unit``
    who has no linked chat yet — with ``relink`` the linked ones too).

    Nobody is logged out here: an existing chat link stays until the new code is used
    (then it replaces the link on the channel it is used on); the employee's earlier unused
    codes are revoked. Returns rows ``nip, nama, jabatan, code, expires_at`` (the only place
    the plain code ever appears; the expiry in ``KINERJA_TIMEZONE``). Raises
    :class:`InviteError` for an unknown or deactivated NIP, an unknown unit, or when nobody
    was selected; then nothing is stored.
    """
    from bot.conversation.flows.staff.register import CODE_TTL, code_hash, new_code

    expires = now + CODE_TTL
    tz = app.settings.tz
    out: list[dict[str, str]] = []
    async with app.store.unit() as uow:
        if unit is not None:
            if unit not in await uow.codes("units"):
                raise InviteError(f"unit {unit!r} tidak dikenal")
            employees = await uow.employees_of_unit(unit)
            inactive = await uow.inactive_nips([e.nip for e in employees])
            employees = [e for e in employees if e.nip not in inactive]
            if not relink:
                linked = await uow.linked_employee_ids()
                skipped = [e for e in employees if e.id in linked]
                employees = [e for e in employees if e.id not in linked]
                if skipped and not employees:
                    raise InviteError(
                        f"semua {len(skipped)} pegawai aktif unit {unit} sudah terhubung ke "
                        "chat; --relink untuk membuat kode baru bagi mereka juga (tautan lama "
                        "tetap berlaku sampai kode baru dipakai)")
        else:
            employees = await uow.employees_by_nip(list(nips))
            missing = sorted(set(nips) - {e.nip for e in employees})
            if missing:
                raise InviteError(f"NIP tidak dikenal: {', '.join(missing)}")
            inactive = await uow.inactive_nips(list(nips))
            if inactive:
                raise InviteError(f"pegawai nonaktif tidak dapat diundang: "
                                  f"{', '.join(sorted(inactive))} (kinerja staff activate)")
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
                "expires_at": expires.astimezone(tz).isoformat(timespec="minutes"),
            })
    return out


FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
SheetOpt = Annotated[
    str | None,
    typer.Option("--sheet", help="Lembar XLSX (bawaan: lembar pertama yang punya kolom wajib)."),
]


def _who() -> str:
    """Who runs this command, for the history: the system user's login name."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli"


class InviteFormat(StrEnum):
    text = "text"
    csv = "csv"


def register(app: typer.Typer, import_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add the staff commands to the ``kinerja`` CLI."""
    from bot.admin import common as cli

    def _import(kind: str, path: Path, sheet: str | None) -> None:
        cli.import_file(
            path, kind,
            lambda core, table, progress: import_staff_table(core, kind, table,
                                                             progress=progress),
            sheet,
        )

    @import_app.command("employees")
    def import_employees(
        file: FileArg, sheet: SheetOpt = None
    ) -> None:
        """Pegawai: nip, nama, jabatan, unit, atasan_nip, phone."""
        _import("employees", file, sheet)

    @import_app.command("targets")
    def import_targets(
        file: FileArg, sheet: SheetOpt = None
    ) -> None:
        """Target SKP: nip, tahun, rhk, jenis, indikator, aspek, target, satuan, arah,
        agregasi."""
        _import("targets", file, sheet)

    @app.command("close-period")
    def close_period_command(
        period: Annotated[str, typer.Argument(help="Periode, mis. 2026-Q4.")],
        unit: Annotated[str | None, typer.Option(help="Hanya unit ini (kode).")] = None,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Tanpa konfirmasi (skrip).")
                       ] = False,
        by: Annotated[str | None, typer.Option(help="Siapa yang menutup (bawaan: pengguna "
                                                     "sistem ini).")] = None,
    ) -> None:
        """Tutup periode penilaian: penilaian (perilaku, hasil kerja) tidak dapat diubah lagi."""
        cli.require_database(cli.settings())
        try:
            description = describe_closing(period, unit)
        except CloseError as exc:
            raise cli.fail(str(exc)) from exc
        typer.echo(description)
        if not yes and not typer.confirm("Tutup periode ini?", default=False):
            raise cli.fail("dibatalkan: tidak ada yang ditutup")

        async def go(a: Core) -> str:
            try:
                return await close_period(a, period, unit, datetime.now(UTC), by or _who())
            except CloseError as exc:
                raise cli.fail(str(exc)) from exc

        typer.echo(cli.with_core(go))

    @app.command("reopen-period")
    def reopen_period_command(
        period: Annotated[str, typer.Argument(help="Periode, mis. 2026-Q4.")],
        reason: Annotated[str, typer.Option("--reason", help="Mengapa dibuka kembali "
                                                             "(tercatat di riwayat).")],
        unit: Annotated[str | None, typer.Option(help="Unit yang ditutup (kode).")] = None,
        by: Annotated[str | None, typer.Option(help="Siapa yang membuka (bawaan: pengguna "
                                                     "sistem ini).")] = None,
    ) -> None:
        """Buka kembali periode yang ditutup; siapa dan alasannya tercatat di riwayat."""

        async def go(a: Core) -> str:
            try:
                return await reopen_period(a, period, unit, reason, datetime.now(UTC),
                                           by or _who())
            except CloseError as exc:
                raise cli.fail(str(exc)) from exc

        typer.echo(cli.with_core(go))

    @app.command("periods")
    def periods_command(
        period: Annotated[str | None, typer.Argument(help="Hanya periode ini.")] = None,
    ) -> None:
        """Riwayat penutupan dan pembukaan kembali periode penilaian (siapa, kapan, alasan)."""
        config = cli.settings()

        async def go(a: Core) -> list[PeriodEvent]:
            async with a.store.reading() as r:
                return await r.period_events(period)

        events = cli.with_core(go)
        if not events:
            typer.echo("Belum ada periode yang ditutup.")
        for event in events:
            action = "ditutup" if event.action == "close" else "dibuka kembali"
            scope = f"unit {event.unit}" if event.unit else "semua unit"
            why = f" — {event.reason}" if event.reason else ""
            typer.echo(f"{event.period}\t{scope}\t{action}\t{cli.local_time(event.at, config.tz)}"
                       f"\toleh {event.by}{why}")

    @app.command()
    def invite(
        nips: Annotated[list[str] | None, typer.Argument(help="NIP pegawai.")] = None,
        unit: Annotated[str | None, typer.Option(help="Semua pegawai unit ini.")] = None,
        relink: Annotated[bool, typer.Option(
            "--relink", help="Dengan --unit: juga pegawai yang sudah terhubung ke chat.")
        ] = False,
        format: Annotated[InviteFormat, typer.Option("--format")] = InviteFormat.text,
    ) -> None:
        """Kode aktivasi sekali pakai (berlaku 7 hari) agar pegawai dapat /daftar KODE.

        Dengan --unit: hanya pegawai yang belum terhubung ke chat (--relink: semua). Tautan
        chat yang ada tetap berlaku sampai kode baru dipakai.
        """
        if not nips and unit is None:
            raise cli.fail("sebutkan NIP atau --unit KODE")

        async def go(a: Core) -> list[dict[str, str]]:
            try:
                return await create_invites(a, nips or [], unit, datetime.now(UTC),
                                            relink=relink)
            except InviteError as exc:
                raise cli.fail(str(exc)) from exc

        rows = cli.with_core(go)
        if format is InviteFormat.csv:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            from kinerja.render.escape import spreadsheet_text

            # names as text: a spreadsheet runs a cell beginning with "=" as a formula
            writer.writerows({k: spreadsheet_text(v) for k, v in row.items()} for row in rows)
            typer.echo(buffer.getvalue(), nl=False)
            return
        tz = cli.settings().tz
        for row in rows:
            expiry = cli.local_time(datetime.fromisoformat(row["expires_at"]), tz)
            typer.echo(f"{row['nip']}\t{row['nama']}\t{row['code']}\t"
                       f"berlaku s.d. {expiry}")
        typer.echo("Pegawai mengetik /daftar KODE di Telegram/WhatsApp bot ini.")
