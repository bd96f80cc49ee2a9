"""Reading the spreadsheets an office already keeps: CSV or XLSX → validated rows.

Files as offices have them (README, "Import files"): the header row found below title
rows, the sheet that has the columns (or ``--sheet``), CSV in UTF-8 or Windows-1252,
headers in any case and spelling of separators, profile values as people write them,
NIPs that Excel turned into numbers refused rather than guessed.

Every problem names the file, the row (as the spreadsheet numbers it) and the column, in
Indonesian, and all problems of a file are reported together. Nothing is written unless
the whole file is valid (the caller validates before it writes:
:mod:`bot.admin.imports.apply`). Imports by code are idempotent: a second run updates the
same rows; a column absent from the file leaves that field as it is (the writer is told
by :attr:`Table.columns`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.conversation.links import CODE_PATTERN
from bot.conversation.ports.survey import NewResponse
from bot.storage.employees import EmployeeRow, TargetRow
from bot.storage.organisation import PointRow, ServiceRow, UnitRow
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, Agregasi, Arah, Aspek, Jenis, parse_profile
from kinerja.numbers import parse_number

NIP_PATTERN = re.compile(r"^\d{18}$")
_EXCEL_NUMBER = re.compile(r"^\d(?:[.,]\d+)?E\+?\d+$", re.IGNORECASE)


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


#: The columns of each import kind: (required, optional), by their normalised names
#: (:func:`column_key`). A file's other columns are named in a warning and ignored.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "units": (("code", "name"), ("parent", "population")),
    "services": (("code", "unit", "name"), ()),
    "points": (("code", "service", "name"), ("officer_nip", "active")),
    "skm": (("tanggal", "point", *UNSUR_KEYS),
            ("no_kuesioner", *PROFILE_OPTIONS, "saran")),
    "employees": (("nip", "nama", "jabatan", "unit"), ("atasan_nip", "phone")),
    "targets": (("nip", "tahun", "rhk", "jenis", "indikator", "aspek", "target", "satuan"),
                ("arah", "agregasi")),
    "rtl": (("unit", "periode", "unsur", "kegiatan", "target"),
            ("masalah", "penanggung_jawab", "progres", "status", "catatan")),
}

#: How many rows from the top are searched for the header row (title rows above it are
#: skipped): offices put a title, a unit name and a blank line above their tables.
HEADER_SCAN_ROWS = 15

_HEADER_SEPARATORS = re.compile(r"[\s_\-.]+")


def column_key(header: str) -> str:
    """A header as the import matches it: case-insensitive, spaces, underscores, hyphens
    and dots alike ("Jenis Kelamin", "jenis-kelamin" and "JENIS_KELAMIN" → jenis_kelamin)."""
    return _HEADER_SEPARATORS.sub("_", header.casefold()).strip("_")


class Cells:
    """One data row's cells by column key — a read-only mapping of its own kind, a list of
    the row's texts and the sheet's shared column index, so a 100,000-row file is not
    100,000 dicts (about a fifth of the memory). ``get`` answers like a dict of every
    column: ``""`` for an empty or missing trailing cell, ``default`` for a column the
    sheet does not have."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: list[str], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def get(self, key: str, default: str | None = None) -> str | None:
        position = self._index.get(key)
        if position is None:
            return default
        return self._values[position] if position < len(self._values) else ""

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def as_dict(self) -> dict[str, str]:
        return {key: self[key] for key in self._index}

    def __repr__(self) -> str:
        return f"Cells({self.as_dict()!r})"


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet read as text: ``rows`` pairs each spreadsheet row number with its cells
    (keyed by :func:`column_key` of the header); ``notices``: what the reader did that the
    officer should know (title rows skipped, an encoding guessed, columns ignored)."""

    file: str
    columns: list[str]
    rows: list[tuple[int, Cells]]
    notices: list[str] = field(default_factory=list)
    header_row: int = 1


#: Called as rows are read: (rows read so far, total rows when known).
ReadProgress = Callable[[int, int | None], None]
#: Called after each unit of work of an import: (rows written so far, rows in all).
WriteProgress = Callable[[int, int], None]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1e15:
            # an Excel number holds 15 significant digits: show it as Excel does, so a NIP
            # typed as a number is recognised as cut (never as another, valid-looking NIP)
            return f"{value:.15G}"
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _shared(seen: dict[str, str], text: str) -> str:
    """One string object per distinct short cell text of a file (dates, codes, answers and
    profile values repeat on every row; a 100,000-row file then holds each once)."""
    if len(text) > 40:
        return text
    return seen.setdefault(text, text)


def _decode(path: Path, notices: list[str]) -> str:
    """A CSV's text: UTF-8 (with or without BOM), else Windows-1252 (what Excel on Windows
    saves as "CSV"), with a notice."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFailed([Problem(path.name, 0, "-", "berkas bukan UTF-8 maupun Windows-1252;"
                                    " simpan ulang sebagai \"CSV UTF-8\"")]) from exc
    notices.append("berkas dibaca sebagai Windows-1252 (bukan UTF-8); periksa huruf khusus")
    return text


def _find_header(
    raw: Sequence[Sequence[str]], required: Sequence[str]
) -> tuple[int | None, int, list[str]]:
    """(index of the first row among the top :data:`HEADER_SCAN_ROWS` holding every required
    column or None, index of the row holding most of them, the required columns it lacks)."""
    best, best_missing = 0, list(required)
    for index, cells in enumerate(raw[:HEADER_SCAN_ROWS]):
        keys = {column_key(c) for c in cells}
        missing = [c for c in required if c not in keys]
        if not missing:
            return index, index, []
        if len(missing) < len(best_missing):
            best, best_missing = index, missing
    return None, best, best_missing


def _delimiter(content: str, required: Sequence[str]) -> str:
    """The CSV's delimiter (``,``, ``;`` or tab): the one that makes a header row of the
    required columns appear among the top rows (a title row above the table confuses a
    sniffer alone), else the sniffer's guess, else ``,``."""
    candidates: list[str] = []
    with contextlib.suppress(csv.Error):
        candidates.append(csv.Sniffer().sniff(content[:4096], delimiters=",;\t").delimiter)
    candidates += [d for d in ",;\t" if d not in candidates]
    if required:
        top = content.splitlines()[:HEADER_SCAN_ROWS]
        for delimiter in candidates:
            if _find_header(list(csv.reader(top, delimiter=delimiter)), required)[0] is not None:
                return delimiter
    return candidates[0]


#: Spreadsheet files read with python-calamine (the grid only: values, no styles).
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _sheet_rows(sheet: Any, progress: ReadProgress | None, limit: int | None = None
                ) -> list[list[str]]:
    """A sheet's rows as text, from its row 1 (blank rows above the data kept, so row
    numbers are the spreadsheet's); at most ``limit`` rows."""
    total = sheet.total_height if isinstance(sheet.total_height, int) else None
    out: list[list[str]] = []
    seen: dict[str, str] = {}
    for values in sheet.iter_rows():
        out.append([_shared(seen, _cell_text(v)) for v in values])
        if limit is not None and len(out) >= limit:
            break
        if progress is not None and len(out) % 5000 == 0:
            progress(len(out), total)
    if progress is not None:
        progress(len(out), len(out))
    return out


def read_table(
    path: Path,
    kind: str | None = None,
    *,
    sheet: str | None = None,
    progress: ReadProgress | None = None,
) -> Table:
    """Read a CSV (``,``, ``;`` or tab; UTF-8 with or without BOM, or Windows-1252) or a
    sheet of an XLSX (also XLSM, XLS, ODS) as an office keeps it.

    With ``kind`` (a key of :data:`COLUMNS`): the header is the first of the top
    :data:`HEADER_SCAN_ROWS` rows holding every required column (title rows above it are
    skipped, with a notice); in an XLSX, the sheet named ``sheet``, by default the first
    sheet having the required columns; columns the kind does not know are named in a
    notice. Without ``kind`` the first row is the header. Headers are matched by
    :func:`column_key`. Blank rows are skipped. Raises :class:`ImportFailed` for an
    unreadable file, a missing sheet or missing required columns.
    """
    name = path.name
    notices: list[str] = []
    required, optional = COLUMNS[kind] if kind is not None else ((), ())
    try:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            from python_calamine import CalamineError, CalamineWorkbook

            try:
                workbook = CalamineWorkbook.from_path(str(path))
            except CalamineError as exc:
                raise ValueError(str(exc)) from exc
            try:
                raw = _read_workbook(name, workbook, sheet, required, notices, progress)
            finally:
                workbook.close()
        else:
            if sheet is not None:
                notices.append(f"--sheet {sheet!r} diabaikan: berkas CSV hanya punya satu lembar")
            content = _decode(path, notices)
            delimiter = _delimiter(content, required)
            seen: dict[str, str] = {}
            raw = [[_shared(seen, c.strip()) for c in row]
                   for row in csv.reader(io.StringIO(content), delimiter=delimiter)]
            del content
    except (OSError, ValueError, KeyError) as exc:
        raise ImportFailed([Problem(name, 0, "-", f"berkas tidak dapat dibaca: {exc}")]) from exc
    if not raw or not any(any(c for c in r) for r in raw[:HEADER_SCAN_ROWS]):
        raise ImportFailed([Problem(name, 1, "-", "berkas kosong atau tanpa baris judul")])
    header = 0
    if required:
        found, best, missing = _find_header(raw, required)
        if found is None:
            raise ImportFailed([Problem(name, best + 1, c, "kolom wajib tidak ada")
                                for c in missing])
        header = found
        if header:
            notices.append(f"baris 1–{header} dilewati (judul di atas tabel); "
                           f"baris judul kolom: {header + 1}")
    columns = [column_key(c) for c in raw[header]]
    if required:
        known = {*required, *optional}
        unknown = [c for c, key in zip(raw[header], columns, strict=True)
                   if key and key not in known]
        if unknown:
            notices.append("kolom tidak dikenal diabaikan: " + ", ".join(unknown)
                           + f" (kolom yang dikenal: {', '.join([*required, *optional])})")
    index: dict[str, int] = {}
    for position, key in enumerate(columns):
        if key:
            index.setdefault(key, position)
    rows: list[tuple[int, Cells]] = []
    for number in range(header + 2, len(raw) + 1):
        cells = raw[number - 1]
        raw[number - 1] = []  # release the row as it is taken over
        if any(cells):
            rows.append((number, Cells(cells, index)))
    return Table(name, columns, rows, notices, header + 1)


def _read_workbook(
    name: str, workbook: Any, wanted: str | None, required: Sequence[str],
    notices: list[str], progress: ReadProgress | None,
) -> list[list[str]]:
    """The rows of the chosen sheet of a python-calamine workbook (see :func:`read_table`)."""
    names = [m.name for m in workbook.sheets_metadata
             if str(m.typ).endswith("WorkSheet")] or list(workbook.sheet_names)
    if wanted is not None:
        by_name = {n.casefold(): n for n in names}
        chosen = by_name.get(wanted.strip().casefold())
        if chosen is None:
            raise ImportFailed([Problem(name, 0, "-", f"lembar {wanted!r} tidak ada; lembar di "
                                        f"berkas ini: {', '.join(names)}")])
        return _sheet_rows(workbook.get_sheet_by_name(chosen), progress)
    if not required or len(names) == 1:
        return _sheet_rows(workbook.get_sheet_by_name(names[0]), progress)
    for candidate in names:
        sheet = workbook.get_sheet_by_name(candidate)
        if _find_header(_sheet_rows(sheet, None, HEADER_SCAN_ROWS), required)[0] is not None:
            if candidate != names[0]:
                notices.append(f"data dibaca dari lembar {candidate!r} (lembar pertama "
                               "tanpa kolom wajib); pilih lembar lain dengan --sheet NAMA")
            return _sheet_rows(sheet, progress)
    return _sheet_rows(workbook.get_sheet_by_name(names[0]), progress)


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
            self.problems.append(Problem(self.table.file, self.table.header_row, column,
                                         "kolom wajib tidak ada"))
        return not missing

    def fail(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.table.file, row, column, message))

    def required(self, row: int, cells: Cells, column: str) -> str | None:
        value = cells.get(column, "")
        if not value:
            self.fail(row, column, "wajib diisi")
            return None
        return value

    def code(self, row: int, cells: Cells, column: str) -> str | None:
        value = self.required(row, cells, column)
        if value is not None and not CODE_PATTERN.match(value):
            self.fail(row, column, f"kode {value!r} hanya boleh huruf, angka, '_' dan '-' "
                                   "(maksimal 51 karakter)")
            return None
        return value

    def nip(self, row: int, cells: Cells, column: str, *, required: bool = True,
            what: str = "NIP") -> str | None:
        """An 18-digit NIP, or ``None`` (reported unless blank and not ``required``).

        Spaces inside are dropped ("19940202 202101 1 001"). A NIP that Excel turned into a
        number is refused, never guessed: an Excel number keeps 15 significant digits, so an
        18-digit NIP comes out in scientific notation (1.99402022021011E+17) or ending in
        000 (the last three digits are a sequence number from 001) — the officer is told
        to format the column as Text and type it again.
        """
        value = self.required(row, cells, column) if required else (cells.get(column) or None)
        if value is None:
            return None
        value = value.replace(" ", "").replace("\u00a0", "")
        if _EXCEL_NUMBER.match(value) or (NIP_PATTERN.match(value) and value.endswith("000")):
            self.fail(row, column, f"{what} {value!r} tersimpan sebagai angka di Excel sehingga "
                                   "digit terakhirnya hilang (angka Excel hanya 15 digit); "
                                   "format kolom ini sebagai Teks lalu ketik ulang NIP-nya")
            return None
        if not NIP_PATTERN.match(value):
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

    def positive_int(self, row: int, cells: Cells, column: str) -> int | None:
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
    Without a parent (population) column, existing units keep theirs; a blank cell makes
    the unit a top-level one (population unknown).

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
    if "parent" in table.columns:
        parents.update({r.code: r.parent for r in rows})
    else:  # no parent column: the links stay as they are
        parents.update({r.code: existing.get(r.code) for r in rows})
    for row in rows:
        number = seen[row.code]
        if row.parent is None:
            continue
        if row.parent == row.code:
            check.fail(number, "parent", "unit tidak boleh menjadi induknya sendiri")
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


def parse_points(
    table: Table, service_codes: set[str], known_nips: set[str] | None = None
) -> list[PointRow]:
    """Columns: code, service (a service code), name, officer_nip (optional: an employee's
    NIP, in ``known_nips`` — import employees first), active (optional: ya/tidak).

    A blank ``active`` cell (or no such column) leaves an existing point's flag as it is
    (``None``; a new point is active); an absent ``officer_nip`` column leaves the officers
    as they are (the writer is told by the column list), a blank cell clears the officer.
    """
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
        nip = check.nip(number, cells, "officer_nip", required=False, what="NIP petugas")
        if nip is not None and known_nips is not None and nip not in known_nips:
            check.fail(number, "officer_nip", f"pegawai {nip} tidak dikenal (impor pegawai dulu)")
            nip = None
        flag = (cells.get("active") or "").lower()
        if flag and flag not in _TRUE | _FALSE:
            check.fail(number, "active", f"{flag!r} bukan ya/tidak")
        active = None if not flag else flag in _TRUE
        if code and service and name:
            rows.append(PointRow(code, service, name, nip, active))
    check.done()
    return rows


@lru_cache(maxsize=4096)  # a large paper import repeats a few hundred days
def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass(frozen=True, slots=True)
class PaperForm:
    """One paper survey form of a file: its identity ``key`` (:func:`form_key`), the
    spreadsheet ``row`` it came from and the response it becomes; ``content``: the key its
    content alone would give, for a numbered form (``None`` when ``key`` is the content)."""

    key: str
    row: int
    response: NewResponse
    content: str | None = None


def form_key(
    day: date, answers: dict[str, int | None], profile: dict[str, str | None],
    saran: str | None, number: str | None = None,
) -> str:
    """A paper form's identity per service point (skm.md, "Paper forms and re-imports"):
    ``no|<number>`` when the file has a form number, else its content — local date, the
    nine answers in :data:`UNSUR_KEYS` order (``-`` blank), the profile and the saran,
    joined by ``|``. Migration 0008 builds the same text from stored paper responses."""
    if number is not None:
        return f"no|{number}"
    marks = "".join([_MARKS[answers.get(k)] for k in UNSUR_KEYS])
    people = "|".join([profile.get(f) or "" for f in PROFILE_OPTIONS])
    return f"{day.isoformat()}|{marks}|{people}|{saran or ''}"


_MARKS: dict[int | None, str] = {None: "-", 1: "1", 2: "2", 3: "3", 4: "4"}


_DIGITS = re.compile(r"^\d+$")


def parse_skm(
    table: Table, point_ids: dict[str, int], tz: ZoneInfo, today: date
) -> list[PaperForm]:
    """Paper survey results. Columns: tanggal, point, the nine unsur keys, optional
    no_kuesioner (the form's number), profile fields (jenis_kelamin, usia, pendidikan,
    pekerjaan) and saran.

    A blank unsur answer is allowed (left out of that unsur's NRR, skm.md); a filled one
    must be 1..4. A profile answer is read by :func:`kinerja.models.parse_profile` ("L",
    "35", "26-35", "SMA", "S1" …) or blank. The date is dd/mm/yyyy or yyyy-mm-dd (or an
    Excel date), not in the future; the response is placed at noon local time that day. A
    form number may appear once per point in a file (leading zeros ignored).
    """
    check = _Checker(table)
    if not check.need_columns(["tanggal", "point", *UNSUR_KEYS]):
        check.done()
    forms: list[PaperForm] = []
    numbers_seen: dict[tuple[str, str], int] = {}
    profile_fields = tuple(PROFILE_OPTIONS)
    profile_cache: dict[tuple[str, str], str | None] = {}
    answer_values = {"1": 1, "2": 2, "3": 3, "4": 4}
    noon = time(12)
    moments: dict[date, datetime] = {}
    shared: dict[tuple[object, ...], dict[str, Any]] = {}
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
            elif value in answer_values:
                answers[key] = answer_values[value]
            else:
                check.fail(number, key, f"jawaban {value!r} harus 1, 2, 3, 4 atau kosong")
        profile: dict[str, str | None] = {}
        for name in profile_fields:
            value = cells.get(name, "")
            if not value:
                profile[name] = None
                continue
            try:
                matched = profile_cache[(name, value)]
            except KeyError:
                try:
                    matched = parse_profile(name, value)
                except ValueError:
                    check.fail(number, name, f"{value!r} bukan salah satu dari: "
                                             f"{', '.join(PROFILE_OPTIONS[name])}")
                    continue
                profile_cache[(name, value)] = matched
            profile[name] = matched
        saran = cells.get("saran") or None
        if saran is not None and len(saran) > 1000:
            check.fail(number, "saran", "lebih dari 1000 karakter")
        form_number = cells.get("no_kuesioner") or None
        if form_number is not None:
            if _DIGITS.match(form_number):
                form_number = form_number.lstrip("0") or "0"
            if point is not None:
                earlier = numbers_seen.setdefault((point, form_number), number)
                if earlier != number:
                    check.fail(number, "no_kuesioner",
                               f"nomor kuesioner {form_number!r} untuk titik {point} sudah ada"
                               f" di baris {earlier}")
        if (day is not None and point is not None and len(answers) == len(UNSUR_KEYS)
                and len(profile) == len(profile_fields) and not check.problems):
            # identical answer sets and profiles share one dict (read-only from here on):
            # a large file repeats them, and each dict costs more than its row's text
            answers = shared.setdefault(tuple(answers.values()), answers)  # type: ignore[assignment]
            profile = shared.setdefault(tuple(profile.values()), profile)  # type: ignore[assignment]
            content = form_key(day, answers, profile, saran)
            forms.append(PaperForm(
                content if form_number is None else form_key(day, answers, profile, saran,
                                                             form_number),
                number,
                NewResponse(
                    point_id=point_ids[point],
                    submitted_at=moments.get(day) or moments.setdefault(
                        day, datetime.combine(day, noon, tzinfo=tz)),
                    channel="paper",
                    answers=answers,
                    profile=profile,
                    saran=saran,
                ),
                None if form_number is None else content,
            ))
    check.done()
    return forms


# --- staff and SKP targets ------------------------------------------------------


def parse_employees(
    table: Table, unit_codes: set[str], existing: dict[str, str | None]
) -> list[EmployeeRow]:
    """Columns: nip (18 digits), nama, jabatan, unit (unit code), atasan_nip (optional), phone
    (optional).

    ``existing`` maps NIPs already in the database to their atasan's NIP. An
    atasan must be in the file or the database, not the employee itself, and
    atasan links must not form a cycle (checked over file + database). Without an
    ``atasan_nip`` column the atasan links stay as they are (and are checked so). A blank
    phone is ``None`` (kept as it is); ``-`` is ``""`` (cleared).
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
        if phone is not None and phone.strip() in ("-", "–"):
            phone = ""
        if nip and nama and jabatan and unit:
            rows.append(EmployeeRow(nip, nama, jabatan, unit, atasan, phone))
    links = dict(existing)
    if "atasan_nip" in table.columns:
        links.update({r.nip: r.atasan for r in rows})
    else:
        links.update({r.nip: existing.get(r.nip) for r in rows})
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
    arah (naik|turun; optional: blank keeps an indicator's arah, a new one is naik),
    agregasi (optional: jumlah|rata-rata|terakhir, Indonesian or English words, see
    :meth:`kinerja.models.Agregasi.parse`; blank: inferred from satuan and arah).

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
            value = (cells.get(column) or "").strip().lower()
            allowed = [m.value for m in enum]
            if not value and column == "arah":
                picked[column] = None
            elif not value:
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
        agregasi: str | None = None
        raw_agregasi = cells.get("agregasi", "").strip()
        if raw_agregasi:
            try:
                agregasi = Agregasi.parse(raw_agregasi).value
            except ValueError:
                check.fail(number, "agregasi", f"{raw_agregasi!r} harus jumlah, rata-rata atau "
                                               "terakhir (atau kosong: menurut satuan dan arah)")
        if nip and tahun and rhk and indikator:
            key = f"{nip}|{tahun}|{rhk}|{indikator}"
            if key in seen:
                check.fail(number, "indikator",
                           f"indikator yang sama sudah ada di baris {seen[key]}")
            else:
                seen[key] = number
        jenis, aspek, arah = picked["jenis"], picked["aspek"], picked["arah"]
        if (nip and tahun and rhk and indikator and satuan and target is not None
                and jenis and aspek):
            rows.append(TargetRow(nip, tahun, rhk, jenis, indikator, aspek, target, satuan, arah,
                                  agregasi))
    check.done()
    return rows
