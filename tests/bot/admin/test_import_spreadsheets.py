"""Imports of the spreadsheets offices really keep (issue 12, parts 1, 3 and 4).

Each test is a "Why" bullet that failed before: the running paper-survey spreadsheet
imported again, the same data as CSV and then as XLSX, identical forms, the NIP that Excel
turned into a number, title rows above the header, data on the second sheet, a
Windows-1252 CSV, the profile spellings people write, headers as people type them, and a
re-import of employees without the atasan and phone columns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from bot.admin.imports.apply import import_table
from bot.admin.imports.parse import ImportFailed, parse_skm, read_table
from bot.admin.staff import import_staff_table
from bot.app.core import Core
from bot.config import Settings
from bot.storage import Store
from bot.storage.db import bundled_migrations
from kinerja.models import UNSUR_KEYS
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, load_staff
from tests.conftest import SECRET, read

WIB = ZoneInfo("Asia/Jakarta")

HEADER = ["tanggal", "point", *UNSUR_KEYS, "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
          "saran"]
#: the office's running spreadsheet in March: three forms, two of them identical
MARCH = [
    ["03/03/2025", "PTSP-PBG-M2", *"434434434", "Perempuan", "26–35", "D4/S1", "Swasta", ""],
    ["03/03/2025", "PTSP-PBG-M2", *"434434434", "Perempuan", "26–35", "D4/S1", "Swasta", ""],
    ["04/03/2025", "PTSP-PBG-M2", *"333333333", "Laki-laki", "≥56", "SMA/SMK",
     "Wirausaha", "Antrean panjang, tolong tambah kursi"],
]


def core(store: Store) -> Core:
    return Core(Settings(_env_file=None), store, SECRET)  # type: ignore[call-arg]


def csv_file(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER,
             encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(",".join(f'"{c}"' if "," in c else c for c in row)
                              for row in [header, *rows]) + "\n", encoding=encoding)
    return path


def xlsx_file(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


async def skm(store: Store, path: Path, sheet: str | None = None) -> str:
    return await import_table(core(store), "skm", read_table(path, "skm", sheet=sheet))


async def paper(store: Store) -> list[tuple[object, ...]]:
    rows = await read(store, lambda r: r.db.fetchall(
        "SELECT substr(submitted_at, 1, 10), " + ", ".join(f"u_{k}" for k in UNSUR_KEYS)
        + ", jenis_kelamin, usia, pendidikan, pekerjaan, saran FROM survey_responses"
        " WHERE channel = 'paper' ORDER BY 1, 2"))
    return [tuple(r) for r in rows]


# --- part 1: paper forms once ---------------------------------------------------------------


async def test_the_running_spreadsheet_imported_again_adds_only_its_new_rows(
    org: Store, tmp_path: Path
) -> None:
    first = csv_file(tmp_path / "kertas.csv", MARCH)
    assert await skm(org, first) == "Survei kertas dari kertas.csv: 3 baru, 0 sudah ada."
    grown = [*MARCH,
             ["05/03/2025", "PTSP-PBG-M2", *"444444444", "", "", "", "", "Bagus"],
             MARCH[0]]  # a third copy of the identical form: a new respondent
    again = csv_file(tmp_path / "kertas.csv", grown)
    assert await skm(org, again) == "Survei kertas dari kertas.csv: 2 baru, 3 sudah ada."
    assert len(await paper(org)) == 5
    assert await skm(org, again) == "Survei kertas dari kertas.csv: 0 baru, 5 sudah ada."
    assert len(await paper(org)) == 5


async def test_identical_forms_are_counted_as_a_multiset(org: Store, tmp_path: Path) -> None:
    form = ["10/03/2025", "PTSP-NIB-M1", *"333333333", "", "", "", "", ""]
    assert "3 baru, 0 sudah ada" in await skm(org, csv_file(tmp_path / "a.csv", [form] * 3))
    assert "1 baru, 3 sudah ada" in await skm(org, csv_file(tmp_path / "b.csv", [form] * 4))
    # a file holding fewer copies removes nothing and adds nothing
    assert "0 baru, 2 sudah ada" in await skm(org, csv_file(tmp_path / "c.csv", [form] * 2))
    assert len(await paper(org)) == 4
    # the same content at another point, or another day, is another form
    other_point = [form[0], "PTSP-PBG-M2", *form[2:]]
    other_day = ["11/03/2025", *form[1:]]
    assert "2 baru, 0 sudah ada" in await skm(
        org, csv_file(tmp_path / "d.csv", [other_point, other_day]))


async def test_the_same_data_as_csv_then_as_xlsx_adds_nothing(org: Store, tmp_path: Path) -> None:
    assert "3 baru" in await skm(org, csv_file(tmp_path / "kertas.csv", MARCH))
    before = await paper(org)

    def as_excel(row: Sequence[str]) -> list[object]:
        """As Excel keeps it: a real date, numbers as numbers, blank cells empty."""
        day, month, year = (int(p) for p in row[0].split("/"))
        return [datetime(year, month, day), row[1], *(int(a) for a in row[2:11]),
                *(c or None for c in row[11:])]

    book = xlsx_file(tmp_path / "kertas.xlsx", {"Sheet1": [HEADER, *map(as_excel, MARCH)]})
    assert await skm(org, book) == "Survei kertas dari kertas.xlsx: 0 baru, 3 sudah ada."
    assert await paper(org) == before


async def test_a_form_number_is_the_forms_identity(org: Store, tmp_path: Path) -> None:
    header = ["no_kuesioner", *HEADER]
    rows = [["001", *MARCH[0]], ["2", *MARCH[1]], ["3", *MARCH[2]]]
    assert "3 baru" in await skm(org, csv_file(tmp_path / "k.csv", rows, header))
    corrected = [["1", *MARCH[2]], rows[1], rows[2], ["4", *MARCH[0]]]  # "001" = "1"
    assert "1 baru, 3 sudah ada" in await skm(org, csv_file(tmp_path / "k.csv", corrected,
                                                            header))
    twice = [["7", *MARCH[0]], ["7", *MARCH[2]], ["7", "05/03/2025", "PTSP-NIB-M1",
                                                    *MARCH[0][2:]]]
    with pytest.raises(ImportFailed) as failed:
        await skm(org, csv_file(tmp_path / "dup.csv", twice, header))
    [problem] = failed.value.problems  # the same number at another point is another form
    assert (problem.row, problem.column) == (3, "no_kuesioner")
    assert "sudah ada di baris 2" in problem.message
    assert len(await paper(org)) == 4


async def test_numbering_the_forms_later_does_not_add_them_again(
    org: Store, tmp_path: Path
) -> None:
    """The office starts with an unnumbered spreadsheet, then adds a no_kuesioner column:
    each numbered form stands for one copy already counted by its content."""
    assert "3 baru" in await skm(org, csv_file(tmp_path / "k.csv", MARCH))
    header = ["no_kuesioner", *HEADER]
    numbered = [["1", *MARCH[0]], ["2", *MARCH[1]], ["3", *MARCH[2]],
                ["4", *MARCH[0]]]  # a new form, identical to the first two
    assert await skm(org, csv_file(tmp_path / "k.csv", numbered[:1], header)) == (
        "Survei kertas dari k.csv: 0 baru, 1 sudah ada.")  # one of two identical copies
    assert await skm(org, csv_file(tmp_path / "k.csv", numbered, header)) == (
        "Survei kertas dari k.csv: 1 baru, 3 sudah ada.")
    assert await skm(org, csv_file(tmp_path / "k.csv", numbered, header)) == (
        "Survei kertas dari k.csv: 0 baru, 4 sudah ada.")
    keys = await read(org, lambda r: r.db.fetchall("SELECT form_key FROM paper_forms"))
    assert sorted(k[0] for k in keys) == ["no|1", "no|2", "no|3", "no|4"]
    assert len(await paper(org)) == 4


async def test_paper_forms_imported_before_the_upgrade_count_as_imported(tmp_path: Path) -> None:
    """Migration 0008 counts the paper responses already stored by content, so the office's
    next re-import of its spreadsheet after the upgrade does not add them again."""
    from bot.admin.demo import write_organisation

    db = tmp_path / "k.db"
    store = await Store.open(db, migrate=False)  # the previous release's schema
    try:
        await store.migrate([m for m in bundled_migrations() if m.version < 8])
        async with store.unit() as uow:
            await write_organisation(uow)
        points = {p.code: p.id for p in await read(store, lambda r: r.all_points())}
        table = read_table(csv_file(tmp_path / "kertas.csv", MARCH), "skm")
        forms = parse_skm(table, points, WIB, date(2026, 1, 1))
        async with store.unit() as uow:  # what the previous release's import stored
            await uow.db.executemany(
                "INSERT INTO survey_responses (point_id, submitted_at, channel, "
                + ", ".join(f"u_{k}" for k in UNSUR_KEYS)
                + ", jenis_kelamin, usia, pendidikan, pekerjaan, saran) VALUES ("
                + ", ".join("?" * 17) + ")",
                [(f.response.point_id, f.response.submitted_at.astimezone(UTC).isoformat(
                    timespec="seconds"), "paper", *f.response.answers.values(),
                  *f.response.profile.values(), f.response.saran) for f in forms])
    finally:
        await store.close()
    store = await Store.open(db)
    try:
        grown = [*MARCH, ["05/03/2025", "PTSP-PBG-M2", *"444444444", "", "", "", "", ""]]
        assert await skm(store, csv_file(tmp_path / "kertas.csv", grown)) == (
            "Survei kertas dari kertas.csv: 1 baru, 3 sudah ada.")
    finally:
        await store.close()


# --- part 3: spreadsheets as offices have them --------------------------------------------


async def test_title_rows_and_headers_as_people_type_them(org: Store, tmp_path: Path) -> None:
    people = ["Tanggal", "Point", *(k.upper() for k in UNSUR_KEYS), "Jenis Kelamin", "USIA",
              "Pendidikan", "pekerjaan", "Saran ", "Petugas Input"]
    book = xlsx_file(tmp_path / "rekap.xlsx", {"Rekap": [
        ["REKAP SURVEI KEPUASAN MASYARAKAT"], ["DPMPTSP — Triwulan I 2025"], [],
        people,
        ["03/03/2025", "PTSP-PBG-M2", *(4 for _ in UNSUR_KEYS), "P", "35", "S1", "swasta", "",
         "Ani"],
    ]})
    table = read_table(book, "skm")
    assert table.header_row == 4
    assert any("baris 1–3 dilewati" in n for n in table.notices)
    assert any("kolom tidak dikenal diabaikan: Petugas Input" in n for n in table.notices)
    assert "1 baru" in await import_table(core(org), "skm", table)
    [row] = await paper(org)
    assert row[10:] == ("Perempuan", "26–35", "D4/S1", "Swasta", None)


@pytest.mark.parametrize(("field", "written", "stored"), [
    ("usia", "35", "26–35"), ("usia", "26-35", "26–35"), ("usia", "26 – 35", "26–35"),
    ("usia", "<=18", "≤18"), ("usia", "≤18", "≤18"), ("usia", "17", "≤18"),
    ("usia", ">=56", "≥56"), ("usia", "56+", "≥56"), ("usia", "19–25", "19–25"),
    ("pendidikan", "SMA", "SMA/SMK"), ("pendidikan", "smk", "SMA/SMK"),
    ("pendidikan", "S1", "D4/S1"), ("pendidikan", "d3", "D1–D3"), ("pendidikan", "D1-D3", "D1–D3"),
    ("pendidikan", "s2", "S2"), ("jenis_kelamin", "L", "Laki-laki"),
    ("jenis_kelamin", "p", "Perempuan"), ("jenis_kelamin", "LAKI-LAKI", "Laki-laki"),
    ("pekerjaan", "pelajar/mahasiswa", "Pelajar/Mahasiswa"), ("pekerjaan", "polri", "POLRI"),
    ("pekerjaan", "Wiraswasta", "Wirausaha"), ("usia", "-", None),
])
async def test_profile_spellings(
    org: Store, tmp_path: Path, field: str, written: str, stored: str | None
) -> None:
    header = ["tanggal", "point", *UNSUR_KEYS, field]
    row = ["03/03/2025", "PTSP-PBG-M2", *"444444444", written]
    assert "1 baru" in await skm(org, csv_file(tmp_path / "k.csv", [row], header))
    [got] = await paper(org)
    assert got[10 + ["jenis_kelamin", "usia", "pendidikan", "pekerjaan"].index(field)] == stored


async def test_a_profile_value_that_is_none_of_the_options_is_named(
    org: Store, tmp_path: Path
) -> None:
    header = ["tanggal", "point", *UNSUR_KEYS, "usia", "pendidikan"]
    rows = [["03/03/2025", "PTSP-PBG-M2", *"444444444", "20-30", "S1"],
            ["03/03/2025", "PTSP-PBG-M2", *"444444444", "40", "Sekolah"]]
    with pytest.raises(ImportFailed) as failed:
        await skm(org, csv_file(tmp_path / "k.csv", rows, header))
    assert [(p.row, p.column) for p in failed.value.problems] == [(2, "usia"), (3, "pendidikan")]
    assert "bukan salah satu dari: ≤18, 19–25" in failed.value.problems[0].message
    assert await paper(org) == []


async def test_a_windows_1252_csv_is_read_with_a_notice(org: Store, tmp_path: Path) -> None:
    row = ["03/03/2025", "PTSP-PBG-M2", *"444444444", "P", "26–35", "S1", "PNS",
           "Pelayanan café ramah"]
    path = csv_file(tmp_path / "excel.csv", [row], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")
    table = read_table(path, "skm")
    assert any("Windows-1252" in n for n in table.notices)
    assert "1 baru" in await import_table(core(org), "skm", table)
    [got] = await paper(org)
    assert got[11] == "26–35" and got[14] == "Pelayanan café ramah"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="cp1252").encode())
    assert read_table(bom, "skm").notices == []
    assert "0 baru, 1 sudah ada" in await skm(org, bom)


async def test_the_sheet_with_the_columns_is_found_or_named(org: Store, tmp_path: Path) -> None:
    row = ["03/03/2025", "PTSP-PBG-M2", *(3 for _ in UNSUR_KEYS)]
    book = xlsx_file(tmp_path / "survei.xlsx", {
        "Petunjuk": [["Isi lembar Data; satu baris per kuesioner."]],
        "Data": [HEADER[:11], row],
        "Arsip": [HEADER[:11], row, row],
    })
    table = read_table(book, "skm")
    assert any("lembar 'Data'" in n for n in table.notices)
    assert "1 baru" in await import_table(core(org), "skm", table)
    assert "1 baru, 1 sudah ada" in await skm(org, book, sheet="arsip")  # two copies
    with pytest.raises(ImportFailed) as failed:
        read_table(book, "skm", sheet="Rekap")
    assert "lembar 'Rekap' tidak ada; lembar di berkas ini: Petunjuk, Data, Arsip" in str(
        failed.value)
    with pytest.raises(ImportFailed) as missing:
        read_table(book, "skm", sheet="Petunjuk")
    assert "kolom 'tanggal': kolom wajib tidak ada" in str(missing.value)


NIP_EXCEL = 1.99402022021011e17  # 199402022021011001 as Excel keeps it


async def test_a_nip_that_excel_turned_into_a_number_is_refused(
    org: Store, tmp_path: Path
) -> None:
    book = xlsx_file(tmp_path / "pegawai.xlsx", {"Pegawai": [
        ["nip", "nama", "jabatan", "unit"],
        [NIP_EXCEL, "Rina", "Verifikator", "DPMPTSP"],
        [199402022021011002, "Dodi", "Verifikator", "DPMPTSP"],  # saved as Excel does
        ["199402022021011003", "Sari", "Verifikator", "DPMPTSP"],
    ]})
    with pytest.raises(ImportFailed) as failed:
        await import_staff_table(core(org), "employees", read_table(book, "employees"))
    first, second = failed.value.problems
    assert (first.file, first.row, first.column) == ("pegawai.xlsx", 2, "nip")
    assert "1.99402022021011E+17" in first.message
    assert "format kolom ini sebagai Teks" in first.message
    assert second.row == 3 and "sebagai Teks" in second.message
    assert await read(org, lambda r: r.employees_by_nip()) == []

    cut = csv_file(tmp_path / "pegawai.csv", [
        ["199402022021011000", "Rina", "Verifikator", "DPMPTSP"],
        ["1,99402E+17", "Dodi", "Verifikator", "DPMPTSP"],
        ["19940202 202101 1 003", "Sari", "Verifikator", "DPMPTSP"],
    ], ["nip", "nama", "jabatan", "unit"])
    with pytest.raises(ImportFailed) as failed:
        await import_staff_table(core(org), "employees", read_table(cut, "employees"))
    assert [(p.row, "sebagai Teks" in p.message) for p in failed.value.problems] == [
        (2, True), (3, True)]

    exact = xlsx_file(tmp_path / "ok.xlsx", {"Pegawai": [
        ["NIP", "Nama", "Jabatan", "Unit"],
        ["199402022021011002", "Dodi", "Verifikator", "DPMPTSP"],
        ["19940202 202101 1 003", "Sari", "Verifikator", "DPMPTSP"],
    ]})
    assert "2 pegawai" in await import_staff_table(core(org), "employees",
                                                   read_table(exact, "employees"))
    assert [e.nip for e in await read(org, lambda r: r.employees_by_nip())] == [
        "199402022021011002", "199402022021011003"]


async def test_an_unknown_officer_on_a_point_is_an_error(org: Store, tmp_path: Path) -> None:
    await load_staff(org)
    path = csv_file(tmp_path / "titik.csv", [
        ["PTSP-NIB-M1", "PTSP-NIB", "Meja NIB", STAF_A],
        ["PTSP-NIB-M3", "PTSP-NIB", "Meja NIB 3", "199909092020121009"],
    ], ["code", "service", "name", "officer_nip"])
    with pytest.raises(ImportFailed) as failed:
        await import_table(core(org), "points", read_table(path, "points"))
    [problem] = failed.value.problems
    assert (problem.row, problem.column) == (3, "officer_nip")
    assert "tidak dikenal" in problem.message
    assert "PTSP-NIB-M3" not in await read(org, lambda r: r.codes("service_points"))


# --- part 4: partial updates ----------------------------------------------------------------


async def employees_now(store: Store) -> dict[str, tuple[object, ...]]:
    rows = await read(store, lambda r: r.db.fetchall(
        "SELECT e.nip, e.jabatan, a.nip, e.phone FROM employees e"
        " LEFT JOIN employees a ON a.id = e.atasan_id"))
    return {r[0]: tuple(r[1:]) for r in rows}


async def test_a_reimport_without_atasan_and_phone_keeps_them(
    org: Store, tmp_path: Path
) -> None:
    full = csv_file(tmp_path / "pegawai.csv", [
        [KADIS, "Bambang", "Kepala Dinas", "DISDUKCAPIL", "", "0811"],
        [KABID, "Siti", "Kepala Bidang", "DISDUKCAPIL", KADIS, "0812"],
        [STAF_A, "Andi", "Verifikator", "DISDUKCAPIL", KABID, "0813"],
    ], ["nip", "nama", "jabatan", "unit", "atasan_nip", "phone"])
    await import_staff_table(core(org), "employees", read_table(full, "employees"))
    jabatan_only = csv_file(tmp_path / "jabatan.csv", [
        [STAF_A, "Andi", "Verifikator Ahli", "DISDUKCAPIL"],
        [KABID, "Siti", "Kepala Bidang Pelayanan", "DISDUKCAPIL"],
        [STAF_B, "Dewi", "Operator KK", "DISDUKCAPIL"],  # new: no atasan, no phone yet
    ], ["nip", "nama", "jabatan", "unit"])
    await import_staff_table(core(org), "employees", read_table(jabatan_only, "employees"))
    assert await employees_now(org) == {
        KADIS: ("Kepala Dinas", None, "0811"),
        KABID: ("Kepala Bidang Pelayanan", KADIS, "0812"),
        STAF_A: ("Verifikator Ahli", KABID, "0813"),
        STAF_B: ("Operator KK", None, None),
    }
    # present columns: a blank atasan makes the person a head; a blank phone keeps the
    # phone, "-" clears it
    blanks = csv_file(tmp_path / "kosong.csv", [
        [KABID, "Siti", "Kepala Bidang Pelayanan", "DISDUKCAPIL", "", ""],
        [STAF_A, "Andi", "Verifikator Ahli", "DISDUKCAPIL", KABID, "-"],
    ], ["nip", "nama", "jabatan", "unit", "atasan_nip", "phone"])
    await import_staff_table(core(org), "employees", read_table(blanks, "employees"))
    now = await employees_now(org)
    assert now[KABID] == ("Kepala Bidang Pelayanan", None, "0812")
    assert now[STAF_A] == ("Verifikator Ahli", KABID, None)


async def test_other_kinds_keep_what_their_file_does_not_carry(
    org: Store, tmp_path: Path
) -> None:
    await load_staff(org)
    units = csv_file(tmp_path / "unit.csv", [["PKM-SUKAMAJU", "Puskesmas Sukamaju Baru"]],
                     ["code", "name"])
    await import_table(core(org), "units", read_table(units, "units"))
    assert (await read(org, lambda r: r.unit_parents()))["PKM-SUKAMAJU"] == "DINKES"
    population = await read(org, lambda r: r.db.fetchone(
        "SELECT population FROM units WHERE code = 'PKM-SUKAMAJU'"))
    assert population[0] == 18000

    with_officer = csv_file(tmp_path / "titik.csv", [["PTSP-NIB-M1", "PTSP-NIB", "Meja", STAF_A,
                                                      "tidak"]],
                            ["code", "service", "name", "officer_nip", "active"])
    await import_table(core(org), "points", read_table(with_officer, "points"))
    renamed = csv_file(tmp_path / "nama.csv", [["PTSP-NIB-M1", "PTSP-NIB", "Meja NIB", ""]],
                       ["code", "service", "name", "active"])
    await import_table(core(org), "points", read_table(renamed, "points"))
    point = await read(org, lambda r: r.db.fetchone(
        "SELECT name, officer_nip, active FROM service_points WHERE code = 'PTSP-NIB-M1'"))
    assert tuple(point) == ("Meja NIB", STAF_A, 0)

    header = ["nip", "tahun", "rhk", "jenis", "indikator", "aspek", "target", "satuan"]
    targets = csv_file(tmp_path / "target.csv", [
        [STAF_A, "2026", "Layanan KTP-el tepat waktu", "utama", "Waktu penyelesaian", "waktu",
         "2", "hari", "turun", "terakhir"]], [*header, "arah", "agregasi"])
    await import_staff_table(core(org), "targets", read_table(targets, "targets"))
    new_target = csv_file(tmp_path / "target2.csv", [
        [STAF_A, "2026", "Layanan KTP-el tepat waktu", "utama", "Waktu penyelesaian", "waktu",
         "2,5", "hari"]], header)
    await import_staff_table(core(org), "targets", read_table(new_target, "targets"))
    stored = await read(org, lambda r: r.db.fetchone(
        "SELECT target, arah, agregasi FROM indicators WHERE indikator = 'Waktu penyelesaian'"))
    assert tuple(stored) == (2.5, "turun", "terakhir")
    cleared = csv_file(tmp_path / "target3.csv", [
        [STAF_A, "2026", "Layanan KTP-el tepat waktu", "utama", "Waktu penyelesaian", "waktu",
         "2,5", "hari", "", ""]], [*header, "arah", "agregasi"])
    await import_staff_table(core(org), "targets", read_table(cleared, "targets"))
    stored = await read(org, lambda r: r.db.fetchone(
        "SELECT arah, agregasi FROM indicators WHERE indikator = 'Waktu penyelesaian'"))
    assert tuple(stored) == ("turun", None)  # arah has no "none"; agregasi back to inferred


async def test_errors_name_file_row_and_column_and_nothing_is_written(
    org: Store, tmp_path: Path
) -> None:
    book = xlsx_file(tmp_path / "rekap.xlsx", {"Data": [
        ["Rekap SKM 2025"], [],
        HEADER,
        ["03/03/2025", "PTSP-PBG-M2", *(4 for _ in UNSUR_KEYS), "L", "30", "S1", "PNS", ""],
        ["03/03/2025", "PTSP-PBG-M2", *(5 for _ in UNSUR_KEYS), "L", "30", "S1", "PNS", ""],
    ]})
    with pytest.raises(ImportFailed) as failed:
        await skm(org, book)
    first = failed.value.problems[0]
    assert str(first).startswith("rekap.xlsx: baris 5, kolom 'persyaratan': jawaban '5'")
    assert await paper(org) == []


# --- part 2: the targets file's agregasi ----------------------------------------------------


async def test_the_targets_file_sets_each_indicators_agregasi(
    org: Store, tmp_path: Path
) -> None:
    ids = await load_staff(org)
    header = ["nip", "tahun", "rhk", "jenis", "indikator", "aspek", "target", "satuan", "arah",
              "Agregasi"]
    rows = [
        [STAF_A, "2026", "Sarana", "utama", "Progres renovasi loket", "kuantitas", "80", "%",
         "naik", "Latest"],
        [STAF_A, "2026", "Sarana", "utama", "Kepuasan pemohon", "kualitas", "90", "indeks",
         "naik", ""],
        [STAF_A, "2026", "Sarana", "utama", "Rata-rata antrean", "waktu", "30", "menit",
         "turun", "Rata rata"],
        [STAF_A, "2026", "Sarana", "utama", "Berkas dipindai", "kuantitas", "500", "berkas",
         "naik", "sum"],
    ]
    await import_staff_table(core(org), "targets",
                             read_table(csv_file(tmp_path / "target.csv", rows, header),
                                        "targets"))
    indicators = {i.indikator: i for i in await read(
        org, lambda r: r.indicators_of(ids[STAF_A], 2026))}
    assert {name: indicators[name].agregasi.value for name in (r[4] for r in rows)} == {
        "Progres renovasi loket": "terakhir",  # "%" alone would be rata-rata
        "Kepuasan pemohon": "rata-rata",  # inferred from its satuan
        "Rata-rata antrean": "rata-rata",
        "Berkas dipindai": "jumlah",
    }
    bad = [[*rows[0][:9], "median"]]
    with pytest.raises(ImportFailed) as failed:
        await import_staff_table(core(org), "targets",
                                 read_table(csv_file(tmp_path / "bad.csv", bad, header),
                                            "targets"))
    [problem] = failed.value.problems
    assert (problem.row, problem.column) == (2, "agregasi")
    assert "jumlah, rata-rata atau terakhir" in problem.message


# --- a progress bar on a long import --------------------------------------------------------


def test_a_progress_bar_appears_only_on_an_import_that_takes_long() -> None:
    from rich.console import Console

    from bot.admin.common import ImportProgress

    now = [0.0]
    screen = Console(file=io.StringIO(), force_terminal=True, width=100)
    progress = ImportProgress(screen, clock=lambda: now[0])
    reading = progress.stage("Membaca")
    reading(5_000, 100_000)
    now[0] = 1.0
    reading(10_000, 100_000)
    assert screen.file.getvalue() == "", "a short import shows no bar"  # type: ignore[attr-defined]
    now[0] = ImportProgress.DELAY_S + 0.1
    reading(20_000, 100_000)
    progress.stage("Menyimpan")(2_500, 100_000)
    progress.close()
    shown = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "Membaca" in shown and "20000/100000" in shown
    assert "Menyimpan" in shown and "2500/100000" in shown


# --- the command ----------------------------------------------------------------------------


def test_the_command_tells_what_it_did_with_the_file(tmp_path: Path) -> None:
    """``kinerja import skm``: the reader's notices on stderr, "N baru, M sudah ada" on
    stdout, ``--sheet`` for another sheet; the same workbook again adds nothing."""
    from tests.bot.admin.test_cli import kinerja

    assert kinerja(tmp_path, "demo").returncode == 0
    row = ["03/03/2025", "PTSP-PBG-M2", *(4 for _ in UNSUR_KEYS), "P", "35", "SMA", "PNS",
           "", "Ani"]
    xlsx_file(tmp_path / "rekap.xlsx", {
        "Petunjuk": [["Satu baris per kuesioner"]],
        "Rekap": [["REKAP SKM DPMPTSP"], [], [*HEADER, "Petugas"], row, row],
        "Lama": [[*HEADER], row],
    })
    first = kinerja(tmp_path, "import", "skm", "rekap.xlsx")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "Survei kertas dari rekap.xlsx: 2 baru, 0 sudah ada.\n"
    notices = " ".join(first.stderr.split())
    assert "rekap.xlsx: data dibaca dari lembar 'Rekap'" in notices
    assert "baris 1–2 dilewati" in notices
    assert "kolom tidak dikenal diabaikan: Petugas" in notices
    again = kinerja(tmp_path, "import", "skm", "rekap.xlsx", "--sheet", "lama")
    assert again.stdout == "Survei kertas dari rekap.xlsx: 0 baru, 1 sudah ada.\n"
    missing = kinerja(tmp_path, "import", "skm", "rekap.xlsx", "--sheet", "Data")
    assert missing.returncode == 1
    assert "lembar 'Data' tidak ada; lembar di berkas ini: Petunjuk, Rekap, Lama" in " ".join(
        missing.stderr.split())


async def test_a_semicolon_csv_with_a_title_row(org: Store, tmp_path: Path) -> None:
    """Excel in an Indonesian locale saves CSV with ``;``; a title with a comma above the
    table must not make the comma look like the delimiter."""
    path = tmp_path / "rekap.csv"
    path.write_text("REKAP SKM DPMPTSP, TRIWULAN I 2025\n\n"
                    + ";".join(HEADER) + "\n"
                    + ";".join(["03/03/2025", "PTSP-PBG-M2", *"444444444", "P", "35", "S1",
                                "PNS", "Bagus, cepat"]) + "\n", encoding="utf-8")
    table = read_table(path, "skm")
    assert table.header_row == 3
    assert "1 baru" in await import_table(core(org), "skm", table)
    [row] = await paper(org)
    assert row[10:] == ("Perempuan", "26–35", "D4/S1", "PNS", "Bagus, cepat")
