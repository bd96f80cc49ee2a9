"""The SKM cycle from the command line: ``kinerja rtl …``, ``kinerja import rtl``,
``kinerja report saran`` and ``kinerja alerts``.

The same rules as the chat (:mod:`kinerja.rtl`: late, statuses, marks; the saran's theme from
:func:`kinerja.saran.classify`) and the same storage methods (:mod:`bot.storage.rtl`); the
CLI is an administrator, so every unit is open to it, and its changes are kept in an item's
history as ``admin (CLI)``.

``kinerja import rtl FILE`` is for units that plan in a spreadsheet (CSV or XLSX), columns
``unit, periode, unsur, kegiatan, target`` and optional ``masalah, penanggung_jawab`` (NIP,
an employee of the unit), ``progres, status, catatan``. A row whose unit, period, unsur
and kegiatan match an existing item updates it (progress, status, target, person, a history
line), so the same sheet can be imported again as the work goes on; otherwise it adds one.
The whole file is validated first (file, row, column of every problem, in Indonesian) and
written in one unit of work: all or nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.admin.common import err, fail, import_file, settings, with_core
from bot.admin.i18n import IndonesianGroup

if TYPE_CHECKING:
    from bot.admin.imports.parse import Table
    from bot.app.core import Core
    from bot.conversation.ports.rtl import RtlItem, SaranEntry
    from kinerja.periods import Period

BY_CLI = "admin (CLI)"


class SaranFormat(StrEnum):
    text = "text"
    csv = "csv"
    xlsx = "xlsx"


def _today() -> date:
    return datetime.now(UTC).astimezone(settings().tz).date()


def _period(label: str | None, kind: str = "year") -> Period:
    from kinerja.periods import parse_period, period_of

    try:
        return parse_period(label) if label else period_of(
            kind, datetime.now(UTC), settings().tz)  # type: ignore[arg-type]
    except ValueError as exc:
        raise fail(f"periode tidak dikenal: {exc}") from exc


def _date(text: str, what: str = "tanggal") -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{what} {text!r} tidak dikenali (contoh: 31/12/2026 atau 2026-12-31)")


def parse_unsur(text: str) -> str:
    """An unsur typed by a person: its key or its official name, any case."""
    from kinerja.models import UNSUR_KEYS, UNSUR_NAMES

    value = text.strip().casefold()
    for key in UNSUR_KEYS:
        if value in (key, UNSUR_NAMES[key].casefold()):
            return key
    raise ValueError(f"unsur {text!r} tidak dikenal; pilih: {', '.join(UNSUR_KEYS)}")


def item_row(item: RtlItem) -> str:
    """One item on one line, as ``kinerja rtl list`` prints it."""
    late = "  TERLAMBAT" if item.late else ""
    person = (f"{item.responsible_nama} ({item.responsible_nip})" if item.responsible_nama
              else "-")
    return (f"#{item.id} {item.unit_code} {item.period} {item.unsur}: {item.action} | PJ "
            f"{person} | target {item.target_date:%d/%m/%Y} | {item.status} "
            f"{item.progress}%{late}")


# --- the import ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RtlRow:
    """One validated row of an RTL sheet."""

    row: int
    unit: str
    period: str
    unsur: str
    action: str
    target: date
    problem: str | None
    responsible: str | None
    progress: int | None
    status: str | None
    note: str | None


def parse_rtl(table: Table, unit_staff: dict[str, set[str]]) -> list[RtlRow]:
    """Validate an RTL sheet against the units (code → NIPs of its employees). Raises
    :class:`bot.admin.imports.parse.ImportFailed` with every problem (file, row, column)."""
    from bot.admin.imports.parse import ImportFailed, Problem
    from kinerja.periods import parse_period
    from kinerja.rtl import ACTION_MAX, parse_progress, parse_status

    problems: list[Problem] = []
    required = ("unit", "periode", "unsur", "kegiatan", "target")
    for column in required:
        if column not in table.columns:
            problems.append(Problem(table.file, 1, column, "kolom wajib tidak ada"))
    if problems:
        raise ImportFailed(problems)
    rows: list[RtlRow] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, cells in table.rows:
        def bad(column: str, message: str, number: int = number) -> None:
            problems.append(Problem(table.file, number, column, message))

        values: dict[str, Any] = {}
        for column in required:
            if not cells.get(column):
                bad(column, "wajib diisi")
        unit = cells.get("unit", "")
        if unit and unit not in unit_staff:
            bad("unit", f"unit {unit!r} tidak dikenal")
        checks: list[tuple[str, Any]] = [
            ("periode", lambda v: parse_period(v).label),
            ("unsur", parse_unsur),
            ("target", lambda v: _date(v, "tanggal target")),
            ("progres", parse_progress),
            ("status", parse_status),
        ]
        for column, convert in checks:
            if cells.get(column):
                try:
                    values[column] = convert(cells[column])
                except ValueError as exc:
                    bad(column, str(exc))
        for column in ("kegiatan", "masalah", "catatan"):
            if len(cells.get(column, "")) > ACTION_MAX:
                bad(column, f"lebih dari {ACTION_MAX} karakter")
        nip = cells.get("penanggung_jawab") or None
        if nip and unit in unit_staff and nip not in unit_staff[unit]:
            bad("penanggung_jawab", f"NIP {nip!r} bukan pegawai unit {unit}")
        key = (unit, values.get("periode", ""), values.get("unsur", ""),
               cells.get("kegiatan", ""))
        if key in seen:
            bad("kegiatan", f"kegiatan yang sama sudah ada di baris {seen[key]}")
        seen.setdefault(key, number)
        if len(problems) == 0:
            rows.append(RtlRow(
                number, unit, values["periode"], values["unsur"], cells["kegiatan"],
                values["target"], cells.get("masalah") or None, nip, values.get("progres"),
                values.get("status"), cells.get("catatan") or None,
            ))
    if problems:
        raise ImportFailed(problems)
    return rows


async def import_rtl(core: Core, table: Table) -> str:
    """Validate (in a reading) and write the sheet in one unit of work; a one-line summary."""
    from bot.conversation.ports.rtl import NewRtl
    from kinerja.rtl import status_for_progress

    store = core.store
    async with store.reading() as r:
        units = {str(u["code"]): int(u["id"]) for u in await r.units()}  # type: ignore[call-overload]
        staff = {code: {e.nip for e in await r.employees_of_unit(code)} for code in units}
    rows = parse_rtl(table, staff)
    now = datetime.now(UTC)
    today = now.astimezone(core.settings.tz).date()
    added = updated = 0
    touched: list[int] = []
    async with store.unit() as uow:
        people = {e.nip: e.id for e in await uow.employees_by_nip(
            sorted({r.responsible for r in rows if r.responsible}))}
        for row in rows:
            unit_id = units[row.unit]
            person = people.get(row.responsible) if row.responsible else None
            existing = next((i for i in await uow.rtl_items(unit_id, row.period, today=today)
                             if i.unsur == row.unsur and i.action == row.action), None)
            if existing is None:
                item_id = await uow.add_rtl(
                    NewRtl(unit_id, row.period, row.unsur, row.action, person, row.target,
                           row.problem), at=now, by_name=BY_CLI, note=row.note)
                added += 1
                touched.append(item_id)
                if row.progress is None and row.status is None:
                    continue
                note = None
            else:
                item_id, note = existing.id, row.note
                updated += 1
                touched.append(item_id)
            progress = row.progress
            status = (status_for_progress(progress, row.status) if progress is not None
                      else row.status)
            await uow.update_rtl(item_id, at=now, by_name=BY_CLI, progress=progress,
                                 status=status, target_date=row.target,
                                 responsible_id=person, note=note)
        for item_id in touched:
            await _tell(uow, item_id, core.settings.language)
    return f"{added} RTL ditambahkan, {updated} diperbarui dari {table.file}."


async def _tell(uow: Any, item_id: int, language: str) -> None:
    """Tell the item's penanggung jawab (once per item, person and channel)."""
    from bot.conversation.flows.staff.rtl import tell_responsible

    item = await uow.rtl_item(item_id, today=_today())
    if item is not None:
        await tell_responsible(uow, item, at=datetime.now(UTC), language=language)


# --- report saran -----------------------------------------------------------------------


def _theme_counts(entries: list[SaranEntry]) -> dict[str, int]:
    """Saran per theme, as :func:`kinerja.saran.theme_counts` counts them (every unsur, then
    pujian and lainnya, zeros included), from the themes the entries already carry."""
    from collections import Counter

    from kinerja.models import UNSUR_KEYS
    from kinerja.saran import OTHER, PRAISE

    counts = Counter(theme for e in entries for theme in e.themes)
    return {key: counts.get(key, 0) for key in (*UNSUR_KEYS, PRAISE, OTHER)}


def saran_text(entries: list[SaranEntry], period: Period) -> str:
    from kinerja.rtl import MARK_LABELS

    counts = _theme_counts(entries)
    themes = ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "-"
    lines = [f"Saran warga — periode {period.label}: {len(entries)} saran",
             f"Tema: {themes}", ""]
    for e in entries:
        link = f" → RTL #{e.rtl_id}" if e.rtl_id else ""
        serious = " [SERIUS]" if e.serious else ""
        lines.append(f"{e.day:%d/%m/%Y} {e.sesi} | {e.unit_code} | {e.service} | {e.point} | "
                     f"{MARK_LABELS[e.mark]}{link} | {', '.join(e.themes)}{serious}")
        lines.append(f"  “{e.text}”")
    return "\n".join(lines) + "\n"


SARAN_COLUMNS = ("tanggal", "sesi", "unit", "layanan", "titik", "tanda", "rtl", "tema",
                 "serius", "saran")


def _saran_rows(entries: list[SaranEntry]) -> list[list[Any]]:
    from kinerja.rtl import MARK_LABELS

    return [[e.day.isoformat(), e.sesi, e.unit_code, e.service, e.point, MARK_LABELS[e.mark],
             e.rtl_id or "", ", ".join(e.themes), "ya" if e.serious else "", e.text]
            for e in entries]


def saran_csv(entries: list[SaranEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SARAN_COLUMNS)
    writer.writerows(_saran_rows(entries))
    return out.getvalue()


def saran_xlsx(entries: list[SaranEntry], period: Period) -> bytes:
    """Sheets "Saran" (one row per saran) and "Tema" (counts); written streaming
    (openpyxl's write-only mode: ~10x faster on 20k saran)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Saran")
    sheet.append(list(SARAN_COLUMNS))
    for row in _saran_rows(entries):
        sheet.append(row)
    themes = book.create_sheet("Tema")
    themes.append(["periode", "tema", "jumlah"])
    for key, count in _theme_counts(entries).items():
        themes.append([period.label, key, count])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the commands ---------------------------------------------------------------------


def register(
    app: typer.Typer, import_app: typer.Typer, report_app: typer.Typer,
    write_output: Callable[[str | bytes, Path | None], None],
) -> None:
    """Add ``rtl``, ``import rtl``, ``report saran`` and ``alerts`` to the CLI;
    ``write_output`` is the CLI's (stdout, or a file with a line on stderr)."""
    rtl_app = typer.Typer(help="Rencana tindak lanjut (RTL) hasil SKM.", cls=IndonesianGroup)
    app.add_typer(rtl_app, name="rtl")

    async def unit_id(core: Core, code: str) -> int:
        async with core.store.reading() as r:
            found = {u["code"]: int(u["id"]) for u in await r.units()}  # type: ignore[call-overload]
        if code not in found:
            raise fail(f"unit {code!r} tidak dikenal")
        return found[code]

    @rtl_app.command("list")
    def rtl_list(
        unit: Annotated[str | None, typer.Option(help="Kode unit (bawaan: semua).")] = None,
        period: Annotated[str | None, typer.Option(help="Periode SKM, mis. 2026-Q4.")] = None,
        late: Annotated[bool, typer.Option("--late", help="Hanya yang terlambat.")] = False,
    ) -> None:
        """RTL dengan status, progres, penanggung jawab; yang lewat target ditandai
        TERLAMBAT."""
        label = _period(period).label if period else None
        today = _today()

        async def go(core: Core) -> list[RtlItem]:
            async with core.store.reading() as r:
                units = await r.units()
                ids = [int(u["id"]) for u in units  # type: ignore[call-overload]
                       if unit is None or u["code"] == unit]
                if unit is not None and not ids:
                    raise fail(f"unit {unit!r} tidak dikenal")
                return [i for uid in ids for i in await r.rtl_items(uid, label, today=today)]

        items = [i for i in with_core(go) if i.late or not late]
        if not items:
            typer.echo("Tidak ada RTL.")
        for item in items:
            typer.echo(item_row(item))

    @rtl_app.command("add")
    def rtl_add(
        unit: Annotated[str, typer.Option(help="Kode unit.")],
        unsur: Annotated[str, typer.Option(help="Unsur: kunci (waktu) atau namanya.")],
        action: Annotated[str, typer.Option("--kegiatan", help="Kegiatan/tindakan.")],
        target: Annotated[str, typer.Option(help="Tanggal target, 31/12/2026.")],
        pj: Annotated[str | None, typer.Option("--pj", help="NIP penanggung jawab.")] = None,
        period: Annotated[str | None, typer.Option(help="Periode SKM (bawaan: sekarang).")
                          ] = None,
        problem: Annotated[str | None, typer.Option("--masalah", help="Masalahnya.")] = None,
    ) -> None:
        """Tambah satu RTL."""
        from bot.conversation.ports.rtl import NewRtl
        from kinerja.rtl import ACTION_MAX

        try:
            key = parse_unsur(unsur)
            due = _date(target, "tanggal target")
        except ValueError as exc:
            raise fail(str(exc)) from exc
        if not action.strip() or len(action) > ACTION_MAX:
            raise fail(f"kegiatan harus diisi, maksimal {ACTION_MAX} karakter")
        label = _period(period, settings().skm_period).label

        async def go(core: Core) -> RtlItem:
            uid = await unit_id(core, unit)
            async with core.store.unit() as uow:
                person = None
                if pj:
                    staff = {e.nip: e.id for e in await uow.employees_of_unit(unit)}
                    if pj not in staff:
                        raise fail(f"NIP {pj!r} bukan pegawai unit {unit}")
                    person = staff[pj]
                item_id = await uow.add_rtl(
                    NewRtl(uid, label, key, action.strip(), person, due, problem),
                    at=datetime.now(UTC), by_name=BY_CLI)
                await _tell(uow, item_id, settings().language)
                item = await uow.rtl_item(item_id, today=_today())
            assert item is not None
            return item

        typer.echo(item_row(with_core(go)))

    @rtl_app.command("update")
    def rtl_update(
        item_id: Annotated[int, typer.Argument(help="Nomor RTL (#).")],
        progress: Annotated[str | None, typer.Option("--progres", help="0..100.")] = None,
        status: Annotated[str | None, typer.Option(help="rencana, berjalan, selesai.")] = None,
        target: Annotated[str | None, typer.Option(help="Tanggal target baru.")] = None,
        pj: Annotated[str | None, typer.Option("--pj", help="NIP penanggung jawab.")] = None,
        note: Annotated[str | None, typer.Option("--catatan", help="Catatan.")] = None,
    ) -> None:
        """Perbarui progres, status, target atau penanggung jawab; tersimpan di riwayat."""
        from kinerja.rtl import ACTION_MAX, parse_progress, parse_status, status_for_progress

        try:
            percent = parse_progress(progress) if progress is not None else None
            chosen = parse_status(status) if status is not None else None
            due = _date(target, "tanggal target") if target else None
        except ValueError as exc:
            raise fail(str(exc)) from exc
        if note is not None and len(note) > ACTION_MAX:
            raise fail(f"catatan maksimal {ACTION_MAX} karakter")
        if percent is not None:
            chosen = status_for_progress(percent, chosen)

        async def go(core: Core) -> RtlItem:
            async with core.store.unit() as uow:
                item = await uow.rtl_item(item_id, today=_today())
                if item is None:
                    raise fail(f"RTL #{item_id} tidak ada")
                person = None
                if pj:
                    staff = {e.nip: e.id for e in await uow.employees_of_unit(item.unit_code)}
                    if pj not in staff:
                        raise fail(f"NIP {pj!r} bukan pegawai unit {item.unit_code}")
                    person = staff[pj]
                await uow.update_rtl(item_id, at=datetime.now(UTC), by_name=BY_CLI,
                                     progress=percent, status=chosen, target_date=due,
                                     responsible_id=person, note=note)
                await _tell(uow, item_id, settings().language)
                done = await uow.rtl_item(item_id, today=_today())
            assert done is not None
            return done

        typer.echo(item_row(with_core(go)))

    @rtl_app.command("history")
    def rtl_history(item_id: Annotated[int, typer.Argument(help="Nomor RTL (#).")]) -> None:
        """Riwayat perubahan satu RTL: siapa, kapan, apa."""
        from bot.admin.common import local_time

        async def go(core: Core) -> list[Any]:
            async with core.store.reading() as r:
                return await r.rtl_history(item_id)

        history = with_core(go)
        if not history:
            raise fail(f"RTL #{item_id} tidak ada")
        for h in history:
            parts = [f"{k} {v}" for k, v in (("progres", h.progress), ("status", h.status),
                                             ("target", h.target_date)) if v is not None]
            note = f" — {h.note}" if h.note else ""
            typer.echo(f"{local_time(h.at, settings().tz)} {h.by_name}: {h.action} "
                       f"{', '.join(parts)}{note}")

    @import_app.command("rtl")
    def import_rtl_command(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        sheet: Annotated[str | None, typer.Option(
            "--sheet", help="Lembar XLSX (bawaan: lembar pertama yang punya kolom wajib).",
        )] = None,
    ) -> None:
        """RTL dari lembar kerja: unit, periode, unsur, kegiatan, target, [masalah,
        penanggung_jawab, progres, status, catatan]."""
        import_file(file, "rtl", lambda core, table, progress: import_rtl(core, table), sheet)

    @report_app.command("saran")
    def report_saran(
        unit: Annotated[str | None, typer.Option(help="Kode unit (termasuk unit di bawahnya)."
                                                 )] = None,
        period: Annotated[str | None, typer.Option(help="Periode (bawaan: tahun ini).")] = None,
        format: Annotated[SaranFormat, typer.Option("--format")] = SaranFormat.text,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help="Tulis ke berkas ini.")] = None,
    ) -> None:
        """Saran warga: tanggal, sesi, layanan, titik, tanda, RTL, tema; jumlah per tema."""
        from bot.admin.skm_report import descendants

        if format is SaranFormat.xlsx and output is None:
            raise fail("format xlsx perlu --output BERKAS")
        chosen = _period(period)
        tz = settings().tz

        async def go(core: Core) -> list[SaranEntry]:
            start, end = chosen.bounds(tz)
            async with core.store.reading() as r:
                units = await r.units()
                codes = [str(u["code"]) for u in units]
                if unit is not None:
                    if unit not in codes:
                        raise fail(f"unit {unit!r} tidak dikenal")
                    codes = descendants(units, unit)
                ids = {str(u["code"]): int(u["id"]) for u in units}  # type: ignore[call-overload]
                found = [s for code in codes
                         for s in await r.unit_saran(ids[code], start, end, tz)]
            return sorted(found, key=lambda s: (s.day, s.sesi), reverse=True)

        entries = with_core(go)
        content: str | bytes
        if format is SaranFormat.csv:
            content = saran_csv(entries)
        elif format is SaranFormat.xlsx:
            content = saran_xlsx(entries, chosen)
        else:
            content = saran_text(entries, chosen)
        write_output(content, output)

    @app.command("alerts")
    def alerts(
        unit: Annotated[str, typer.Argument(help="Kode unit.")],
        state: Annotated[str | None, typer.Argument(help="on atau off (kosong: lihat).")
                         ] = None,
        kind: Annotated[str, typer.Option(help="bad (respons buruk), drop (IKM turun) atau "
                                               "all.")] = "all",
    ) -> None:
        """Peringatan ke kepala unit: respons bernilai 1 / keluhan serius (per jam) dan IKM
        turun satu mutu (ringkasan mingguan). Lihat, nyalakan (on) atau matikan (off)."""
        if state not in (None, "on", "off") or kind not in ("bad", "drop", "all"):
            raise fail("pakai: kinerja alerts UNIT [on|off] [--kind bad|drop|all]")

        async def go(core: Core) -> Any:
            uid = await unit_id(core, unit)
            if state is None:
                async with core.store.reading() as r:
                    return await r.alert_settings(uid)
            value = state == "on"
            async with core.store.unit() as uow:
                return await uow.set_alert_settings(
                    uid,
                    bad_responses=value if kind in ("bad", "all") else None,
                    ikm_drop=value if kind in ("drop", "all") else None,
                )

        got = with_core(go)
        word = {True: "nyala", False: "mati"}
        typer.echo(f"{unit}: respons buruk {word[got.bad_responses]}, "
                   f"IKM turun {word[got.ikm_drop]}")
        if not settings().alerts_enabled:
            err().print("Catatan: KINERJA_ALERTS_ENABLED=false mematikan peringatan per jam "
                        "untuk semua unit.", highlight=False)
