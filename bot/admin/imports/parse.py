"""Reading the spreadsheets an office already keeps: CSV or XLSX → validated rows.

Every problem names the file, the row (as a spreadsheet shows it: the header
is row 1) and the column, and all problems of a file are reported together.
Nothing is written unless the whole file is valid (the caller validates before it
writes: :mod:`bot.admin.imports.apply`). Imports by code are idempotent: a second run
updates the same rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.conversation.links import CODE_PATTERN
from bot.conversation.ports.survey import NewResponse
from bot.storage.employees import EmployeeRow, TargetRow
from bot.storage.organisation import PointRow, ServiceRow, UnitRow
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, Arah, Aspek, Jenis
from kinerja.numbers import parse_number

NIP_PATTERN = re.compile(r"^\d{18}$")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: baris {self.row}, kolom '{self.column}': {self.message}"


class ImportFailed(Exception):
    """The file has problems. ``written``: rows that earlier units of a large import had
    already committed when a later one found a problem (0 — the usual case, a problem of
    the file itself — means nothing was imported)."""

    def __init__(self, problems: Sequence[Problem], *, written: int = 0) -> None:
        self.problems = list(problems)
        self.written = written
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet read as text: ``rows`` pairs each spreadsheet row number with its cells."""

    file: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path) -> Table:
    """Read a CSV (``,`` or ``;``, UTF-8 with or without BOM) or the first XLSX sheet.

    Header names are lower-cased and trimmed. Blank rows are skipped. Raises
    :class:`ImportFailed` for an unreadable file.
    """
    name = path.name
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            raw = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            workbook.close()
        else:
            content = path.read_text(encoding="utf-8-sig")
            try:
                dialect: Any = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(content), dialect)]
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ImportFailed([Problem(name, 0, "-", f"berkas tidak dapat dibaca: {exc}")]) from exc
    if not raw or not any(raw[0]):
        raise ImportFailed([Problem(name, 1, "-", "berkas kosong atau tanpa baris judul")])
    columns = [c.strip().lower() for c in raw[0]]
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(raw[1:], start=2):
        if not any(c for c in cells):
            continue
        padded = [*cells, *[""] * (len(columns) - len(cells))]
        rows.append((number, {col: padded[i] for i, col in enumerate(columns) if col}))
    return Table(name, columns, rows)


def reaches(start: str | None, target: str, links: dict[str, str | None]) -> bool:
    """Whether following ``links`` (child → parent) from ``start`` arrives at ``target``.

    Stops after ``len(links)`` steps, so a cycle elsewhere cannot loop forever.
    """
    walk, steps = start, 0
    while walk is not None and steps <= len(links):
        if walk == target:
            return True
        walk, steps = links.get(walk), steps + 1
    return False


class _Checker:
    """Collects problems while rows are converted."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []

    def need_columns(self, required: Iterable[str]) -> bool:
        missing = [c for c in required if c not in self.table.columns]
        for column in missing:
            self.problems.append(Problem(self.table.file, 1, column, "kolom wajib tidak ada"))
        return not missing

    def fail(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.table.file, row, column, message))

    def required(self, row: int, cells: dict[str, str], column: str) -> str | None:
        value = cells.get(column, "")
        if not value:
            self.fail(row, column, "wajib diisi")
            return None
        return value

    def code(self, row: int, cells: dict[str, str], column: str) -> str | None:
        value = self.required(row, cells, column)
        if value is not None and not CODE_PATTERN.match(value):
            self.fail(row, column, f"kode {value!r} hanya boleh huruf, angka, '_' dan '-' "
                                   "(maksimal 51 karakter)")
            return None
        return value

    def nip(self, row: int, cells: dict[str, str], column: str, *, required: bool = True,
            what: str = "NIP") -> str | None:
        """An 18-digit NIP, or ``None`` (reported unless blank and not ``required``)."""
        value = self.required(row, cells, column) if required else (cells.get(column) or None)
        if value is not None and not NIP_PATTERN.match(value):
            self.fail(row, column, f"{what} {value!r} harus 18 angka")
            return None
        return value

    def unique(self, seen: dict[str, int], row: int, column: str, value: str | None) -> None:
        if value is None:
            return
        if value in seen:
            self.fail(row, column, f"kode {value!r} sudah ada di baris {seen[value]}")
        else:
            seen[value] = row

    def positive_int(self, row: int, cells: dict[str, str], column: str) -> int | None:
        value = cells.get(column, "")
        if not value:
            return None
        try:
            number = int(value.replace(".", "").replace(",", ""))
        except ValueError:
            self.fail(row, column, f"{value!r} bukan bilangan bulat")
            return None
        if number <= 0:
            self.fail(row, column, "harus lebih dari 0")
            return None
        return number

    def done(self) -> None:
        if self.problems:
            raise ImportFailed(self.problems)


def parse_units(table: Table, existing: dict[str, str | None]) -> list[UnitRow]:
    """Columns: code, name, parent (optional code), population (optional, people per year).

    ``existing`` maps the codes already in the database to their parent
    codes; a parent must be in the file or the database, and parent links
    must not form a cycle.
    """
    check = _Checker(table)
    if not check.need_columns(["code", "name"]):
        check.done()
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        code = check.code(number, cells, "code")
        check.unique(seen, number, "code", code)
        name = check.required(number, cells, "name")
        parent = cells.get("parent") or None
        population = check.positive_int(number, cells, "population")
        if code and name:
            rows.append(UnitRow(code, name, parent, population))
    parents = dict(existing)
    parents.update({r.code: r.parent for r in rows})
    for row in rows:
        number = seen[row.code]
        if row.parent is None:
            continue
        if row.parent not in parents:
            check.fail(number, "parent", f"unit induk {row.parent!r} tidak dikenal")
            continue
        if reaches(row.parent, row.code, parents):
            check.fail(number, "parent", f"unit induk membentuk lingkaran lewat {row.code!r}")
    check.done()
    return rows


def parse_services(table: Table, unit_codes: set[str]) -> list[ServiceRow]:
    """Columns: code, unit (a unit code), name."""
    check = _Checker(table)
    if not check.need_columns(["code", "unit", "name"]):
        check.done()
    rows: list[ServiceRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        code = check.code(number, cells, "code")
        check.unique(seen, number, "code", code)
        unit = check.required(number, cells, "unit")
        if unit is not None and unit not in unit_codes:
            check.fail(number, "unit", f"unit {unit!r} tidak dikenal")
            unit = None
        name = check.required(number, cells, "name")
        if code and unit and name:
            rows.append(ServiceRow(code, unit, name))
    check.done()
    return rows


_TRUE = {"1", "ya", "y", "yes", "true", "aktif"}
_FALSE = {"0", "tidak", "t", "no", "n", "false", "nonaktif"}


def parse_points(table: Table, service_codes: set[str]) -> list[PointRow]:
    """Columns: code, service (a service code), name, officer_nip (optional), active (optional)."""
    check = _Checker(table)
    if not check.need_columns(["code", "service", "name"]):
        check.done()
    rows: list[PointRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        code = check.code(number, cells, "code")
        check.unique(seen, number, "code", code)
        service = check.required(number, cells, "service")
        if service is not None and service not in service_codes:
            check.fail(number, "service", f"layanan {service!r} tidak dikenal")
            service = None
        name = check.required(number, cells, "name")
        nip = check.nip(number, cells, "officer_nip", required=False)
        flag = (cells.get("active") or "1").lower()
        if flag not in _TRUE | _FALSE:
            check.fail(number, "active", f"{flag!r} bukan ya/tidak")
        if code and service and name:
            rows.append(PointRow(code, service, name, nip, flag in _TRUE))
    check.done()
    return rows


@lru_cache(maxsize=4096)  # a large paper import repeats a few hundred days
def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_skm(
    table: Table, point_ids: dict[str, int], tz: ZoneInfo, today: date
) -> list[NewResponse]:
    """Paper survey results. Columns: tanggal, point, the nine unsur keys, optional
    profile fields (jenis_kelamin, usia, pendidikan, pekerjaan) and saran.

    A blank unsur answer is allowed (left out of that unsur's NRR, skm.md);
    a filled one must be 1..4. A profile answer must be one of the options
    (case-insensitive) or blank. The date is dd/mm/yyyy or yyyy-mm-dd, not in
    the future; the response is placed at noon local time that day.
    """
    check = _Checker(table)
    if not check.need_columns(["tanggal", "point", *UNSUR_KEYS]):
        check.done()
    responses: list[NewResponse] = []
    options_by_field = {field: {o.casefold(): o for o in options}
                        for field, options in PROFILE_OPTIONS.items()}
    for number, cells in table.rows:
        raw_day = check.required(number, cells, "tanggal")
        day: date | None = None
        if raw_day is not None:
            try:
                day = _parse_date(raw_day)
            except ValueError:
                check.fail(number, "tanggal", f"{raw_day!r} bukan tanggal (dd/mm/yyyy)")
            else:
                if day > today:
                    check.fail(number, "tanggal", f"{raw_day} ada di masa depan")
                    day = None
        point = check.required(number, cells, "point")
        if point is not None and point not in point_ids:
            check.fail(number, "point", f"titik layanan {point!r} tidak dikenal")
            point = None
        answers: dict[str, int | None] = {}
        for key in UNSUR_KEYS:
            value = cells.get(key, "")
            if not value:
                answers[key] = None
            elif value in ("1", "2", "3", "4"):
                answers[key] = int(value)
            else:
                check.fail(number, key, f"jawaban {value!r} harus 1, 2, 3, 4 atau kosong")
        profile: dict[str, str | None] = {}
        for field, options in PROFILE_OPTIONS.items():
            value = cells.get(field, "")
            matched = options_by_field[field].get(value.casefold()) if value else None
            if value and matched is None:
                check.fail(number, field, f"{value!r} bukan salah satu dari: {', '.join(options)}")
            profile[field] = matched
        saran = cells.get("saran") or None
        if saran is not None and len(saran) > 1000:
            check.fail(number, "saran", "lebih dari 1000 karakter")
        if day is not None and point is not None and len(answers) == len(UNSUR_KEYS):
            responses.append(
                NewResponse(
                    point_id=point_ids[point],
                    submitted_at=datetime.combine(day, time(12), tzinfo=tz),
                    channel="paper",
                    answers=answers,
                    profile=profile,
                    saran=saran,
                )
            )
    check.done()
    return responses




# --- staff and SKP targets ------------------------------------------------------


def parse_employees(
    table: Table, unit_codes: set[str], existing: dict[str, str | None]
) -> list[EmployeeRow]:
    """Columns: nip (18 digits), nama, jabatan, unit (unit code), atasan_nip (optional), phone.

    ``existing`` maps NIPs already in the database to their atasan's NIP. An
    atasan must be in the file or the database, not the employee itself, and
    atasan links must not form a cycle (checked over file + database).
    """
    check = _Checker(table)
    if not check.need_columns(["nip", "nama", "jabatan", "unit"]):
        check.done()
    rows: list[EmployeeRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        nip = check.nip(number, cells, "nip")
        check.unique(seen, number, "nip", nip)
        nama = check.required(number, cells, "nama")
        jabatan = check.required(number, cells, "jabatan")
        unit = check.required(number, cells, "unit")
        if unit is not None and unit not in unit_codes:
            check.fail(number, "unit", f"unit {unit!r} tidak dikenal")
            unit = None
        atasan = check.nip(number, cells, "atasan_nip", required=False, what="NIP atasan")
        phone = cells.get("phone") or None
        if nip and nama and jabatan and unit:
            rows.append(EmployeeRow(nip, nama, jabatan, unit, atasan, phone))
    links = dict(existing)
    links.update({r.nip: r.atasan for r in rows})
    for row in rows:
        number = seen[row.nip]
        if row.atasan is None:
            continue
        if row.atasan == row.nip:
            check.fail(number, "atasan_nip", "pegawai tidak boleh menjadi atasannya sendiri")
            continue
        if row.atasan not in links:
            check.fail(number, "atasan_nip", f"atasan {row.atasan!r} tidak dikenal")
            continue
        if reaches(row.atasan, row.nip, links):
            check.fail(number, "atasan_nip", f"hubungan atasan membentuk lingkaran lewat {row.nip}")
    check.done()
    return rows


def parse_targets(table: Table, known_nips: set[str]) -> list[TargetRow]:
    """Columns: nip, tahun, rhk, jenis (utama|tambahan), indikator,
    aspek (kuantitas|kualitas|waktu|biaya), target (number ≥ 0, ``2,5`` ok), satuan,
    arah (naik|turun; optional, default naik).

    The NIP must be in ``known_nips`` (import employees first); a row key
    (nip, tahun, rhk, indikator) may appear only once per file.
    """
    check = _Checker(table)
    if not check.need_columns(
        ["nip", "tahun", "rhk", "jenis", "indikator", "aspek", "target", "satuan"]
    ):
        check.done()
    rows: list[TargetRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        nip = check.nip(number, cells, "nip")
        if nip is not None and nip not in known_nips:
            check.fail(number, "nip", f"pegawai {nip} tidak dikenal (impor pegawai dulu)")
            nip = None
        raw_year = check.required(number, cells, "tahun")
        tahun: int | None = None
        if raw_year is not None:
            if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
                tahun = int(raw_year)
            else:
                check.fail(number, "tahun", f"{raw_year!r} bukan tahun (mis. 2026)")
        rhk = check.required(number, cells, "rhk")
        indikator = check.required(number, cells, "indikator")
        choices = {"jenis": Jenis, "aspek": Aspek, "arah": Arah}
        picked: dict[str, str | None] = {}
        for column, enum in choices.items():
            value = (cells.get(column) or ("naik" if column == "arah" else "")).lower()
            allowed = [m.value for m in enum]
            if not value:
                check.fail(number, column, "wajib diisi")
                picked[column] = None
            elif value not in allowed:
                check.fail(number, column, f"{value!r} harus salah satu dari: {'|'.join(allowed)}")
                picked[column] = None
            else:
                picked[column] = value
        raw_target = check.required(number, cells, "target")
        target: float | None = None
        if raw_target is not None:
            try:
                target = parse_number(raw_target)
            except ValueError:
                check.fail(number, "target", f"{raw_target!r} bukan angka")
            else:
                if target < 0:
                    check.fail(number, "target", "tidak boleh negatif")
                    target = None
        satuan = check.required(number, cells, "satuan")
        if nip and tahun and rhk and indikator:
            key = f"{nip}|{tahun}|{rhk}|{indikator}"
            if key in seen:
                check.fail(number, "indikator",
                           f"indikator yang sama sudah ada di baris {seen[key]}")
            else:
                seen[key] = number
        jenis, aspek, arah = picked["jenis"], picked["aspek"], picked["arah"]
        if (nip and tahun and rhk and indikator and satuan and target is not None
                and jenis and aspek and arah):
            rows.append(TargetRow(nip, tahun, rhk, jenis, indikator, aspek, target, satuan, arah))
    check.done()
    return rows
