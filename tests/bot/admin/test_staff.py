"""Staff and SKP target imports, and activation codes, on a real SQLite store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.admin.demo import load_demo
from bot.admin.imports.parse import ImportFailed, read_table
from bot.admin.staff import InviteError, create_invites, import_staff_table
from bot.app.core import Core
from bot.config import Settings
from bot.conversation.flows.staff.register import ALPHABET, code_hash
from bot.storage import Store
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B
from tests.conftest import SECRET, read

EMPLOYEE_HEADER = "nip,nama,jabatan,unit,atasan_nip,phone"
GOOD_EMPLOYEES = [
    f"{KADIS},Drs. Bambang Sutrisno,Kepala Dinas,DISDUKCAPIL,,",
    f"{STAF_A},Andi Pratama,Verifikator,DISDUKCAPIL,{KABID},0812",
    f"{KABID},Siti Rahmawati,Kepala Bidang,DISDUKCAPIL,{KADIS},",
]
TARGET_HEADER = "nip,tahun,rhk,jenis,indikator,aspek,target,satuan,arah"
GOOD_TARGETS = [
    f"{STAF_A},2026,Layanan KTP-el,utama,Dokumen diverifikasi,kuantitas,\"2,5\",dokumen,naik",
    f"{STAF_A},2026,Layanan KTP-el,utama,Waktu penyelesaian,waktu,3,hari,turun",
    f"{KABID},2026,Pembinaan,tambahan,Rapat koordinasi,kuantitas,12,kali,",
]


@pytest.fixture
def app(org: Store) -> Core:
    """What the staff commands open: settings, storage and the key (no engine)."""
    return Core(Settings(), org, SECRET)


def write(tmp_path: Path, name: str, header: str, lines: Sequence[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


async def run(app: Core, kind: str, path: Path) -> str:
    return await import_staff_table(app, kind, read_table(path))


async def count(store: Store, table: str) -> int:
    row = await read(store, lambda r: r.db.fetchone(f"SELECT COUNT(*) FROM {table}"))
    return int(row[0])


async def test_good_files_import_and_a_second_run_updates_in_place(
    app: Core, org: Store, tmp_path: Path
) -> None:
    employees = write(tmp_path, "pegawai.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEES)
    assert await run(app, "employees", employees) == "3 pegawai diimpor dari pegawai.csv."
    targets = write(tmp_path, "target.csv", TARGET_HEADER, GOOD_TARGETS)
    assert "3 indikator" in await run(app, "targets", targets)
    async with org.reading() as r:
        assert await r.employee_atasan() == {KADIS: None, KABID: KADIS, STAF_A: KABID}
        (a,) = await r.employees_by_nip([STAF_A])
        indicators = await r.indicators_of(a.id, 2026)
        assert [(i.indikator, i.target, i.arah) for i in indicators] == [
            ("Dokumen diverifikasi", 2.5, "naik"), ("Waktu penyelesaian", 3.0, "turun")]
        (kabid,) = await r.employees_by_nip([KABID])
        assert (await r.indicators_of(kabid.id, 2026))[0].arah == "naik", "arah defaults to naik"

    changed = [line.replace("Verifikator", "Verifikator Ahli") for line in GOOD_EMPLOYEES]
    await run(app, "employees", write(tmp_path, "pegawai.csv", EMPLOYEE_HEADER, changed))
    retarget = [GOOD_TARGETS[0].replace('"2,5"', "4")]
    await run(app, "targets", write(tmp_path, "target.csv", TARGET_HEADER, retarget))
    assert await count(org, "employees") == 3
    assert await count(org, "indicators") == 3
    async with org.reading() as r:
        assert (await r.employees_by_nip([STAF_A]))[0].jabatan == "Verifikator Ahli"
        assert (await r.indicators_of(a.id, 2026))[0].target == 4.0


async def test_xlsx_is_read_too(app: Core, org: Store, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Nama", "Jabatan", "Unit"])
    sheet.append([KADIS, "Drs. Bambang", "Kepala Dinas", "DISDUKCAPIL"])
    workbook.save(tmp_path / "pegawai.xlsx")
    assert "1 pegawai" in await run(app, "employees", tmp_path / "pegawai.xlsx")


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (f"12345,Nama,Staf,DISDUKCAPIL,{KADIS},", "nip", "harus 18 angka"),
        (f"{STAF_B},Nama,Staf,DINAS-X,{KADIS},", "unit", "unit 'DINAS-X' tidak dikenal"),
        (f"{STAF_B},Nama,Staf,DISDUKCAPIL,199999999999999999,", "atasan_nip",
         "atasan '199999999999999999' tidak dikenal"),
        (f"{STAF_B},Nama,Staf,DISDUKCAPIL,{STAF_B},", "atasan_nip", "atasannya sendiri"),
        (f"{STAF_B},,Staf,DISDUKCAPIL,{KADIS},", "nama", "wajib diisi"),
        (f"{KADIS},Dobel,Staf,DISDUKCAPIL,,", "nip", "sudah ada di baris 2"),
    ],
)
async def test_bad_employee_rows_name_file_row_column_and_store_nothing(
    app: Core, org: Store, tmp_path: Path, line: str, column: str, message: str
) -> None:
    path = write(tmp_path, "pegawai.csv", EMPLOYEE_HEADER, [GOOD_EMPLOYEES[0], line])
    with pytest.raises(ImportFailed) as failed:
        await run(app, "employees", path)
    (problem,) = failed.value.problems
    assert (problem.file, problem.row, problem.column) == ("pegawai.csv", 3, column)
    assert message in problem.message
    assert await count(org, "employees") == 0


async def test_an_atasan_cycle_is_refused_also_against_the_database(
    app: Core, org: Store, tmp_path: Path
) -> None:
    cycle = [f"{STAF_A},A,Staf,DISDUKCAPIL,{STAF_B},", f"{STAF_B},B,Staf,DISDUKCAPIL,{STAF_A},"]
    with pytest.raises(ImportFailed) as failed:
        await run(app, "employees", write(tmp_path, "p.csv", EMPLOYEE_HEADER, cycle))
    assert {p.row for p in failed.value.problems} == {2, 3}
    assert all("lingkaran" in p.message for p in failed.value.problems)

    await run(app, "employees", write(tmp_path, "p.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEES))
    turn = [f"{KADIS},Drs. Bambang Sutrisno,Kepala Dinas,DISDUKCAPIL,{STAF_A},"]
    with pytest.raises(ImportFailed, match="lingkaran"):
        await run(app, "employees", write(tmp_path, "p.csv", EMPLOYEE_HEADER, turn))
    assert await read(org, lambda r: r.employee_atasan()) == {
        KADIS: None, KABID: KADIS, STAF_A: KABID}


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (f"{STAF_A},2026,R,pokok,I,kuantitas,1,dok,naik", "jenis", "utama|tambahan"),
        (f"{STAF_A},2026,R,utama,I,mutu,1,dok,naik", "aspek", "kuantitas|kualitas|waktu|biaya"),
        (f"{STAF_A},2026,R,utama,I,kuantitas,1,dok,atas", "arah", "naik|turun"),
        (f"{STAF_A},2026,R,utama,I,kuantitas,sepuluh,dok,naik", "target", "bukan angka"),
        (f"{STAF_A},2026,R,utama,I,kuantitas,-1,dok,naik", "target", "tidak boleh negatif"),
        (f"{STAF_A},20xx,R,utama,I,kuantitas,1,dok,naik", "tahun", "bukan tahun"),
        (f"{STAF_B},2026,R,utama,I,kuantitas,1,dok,naik", "nip", "tidak dikenal"),
        ("1234,2026,R,utama,I,kuantitas,1,dok,naik", "nip", "harus 18 angka"),
        (f"{STAF_A},2026,R,utama,I,kuantitas,1,,naik", "satuan", "wajib diisi"),
    ],
)
async def test_bad_target_rows_store_nothing(
    app: Core, org: Store, tmp_path: Path, line: str, column: str, message: str
) -> None:
    await run(app, "employees", write(tmp_path, "p.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEES))
    path = write(tmp_path, "target.csv", TARGET_HEADER, [GOOD_TARGETS[0], line])
    with pytest.raises(ImportFailed) as failed:
        await run(app, "targets", path)
    (problem,) = failed.value.problems
    assert (problem.file, problem.row, problem.column) == ("target.csv", 3, column)
    assert message in problem.message
    assert await count(org, "indicators") == 0


async def test_missing_columns_are_reported(app: Core, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        await run(app, "targets", write(tmp_path, "t.csv", "nip,tahun", [f"{STAF_A},2026"]))
    assert {p.column for p in failed.value.problems} == {
        "rhk", "jenis", "indikator", "aspek", "target", "satuan"}


async def test_invites_store_only_hashes_and_expire_in_seven_days(
    app: Core, org: Store, tmp_path: Path
) -> None:
    await run(app, "employees", write(tmp_path, "p.csv", EMPLOYEE_HEADER, GOOD_EMPLOYEES))
    now = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
    rows = await create_invites(app, [STAF_A, KABID], None, now)
    assert [r["nip"] for r in rows] == sorted([STAF_A, KABID])
    for row in rows:
        assert len(row["code"]) == 8 and set(row["code"]) <= set(ALPHABET)
    async with org.reading() as r:
        stored = [dict(row) for row in await r.db.fetchall("SELECT * FROM activation_codes")]
    assert {s["code_hash"] for s in stored} == {code_hash(SECRET, r["code"]) for r in rows}
    assert not any(r["code"] in str(stored) for r in rows)
    assert {s["expires_at"] for s in stored} == {(now + timedelta(days=7)).isoformat()}

    unit_rows = await create_invites(app, [], "DISDUKCAPIL", now)
    assert len(unit_rows) == 3
    open_codes = await read(org, lambda r: r.db.fetchall(
        "SELECT COUNT(*) FROM activation_codes WHERE revoked_at IS NULL"))
    assert open_codes[0][0] == 3, "a new invite revokes the earlier code"
    with pytest.raises(InviteError, match="NIP tidak dikenal"):
        await create_invites(app, ["199999999999999999"], None, now)
    with pytest.raises(InviteError, match="unit"):
        await create_invites(app, [], "NOPE", now)


async def test_demo_has_a_staff_with_targets_and_officers(store: Store) -> None:
    now = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
    counts = await load_demo(store, now=now)
    again = await load_demo(store, now=now)
    assert counts["employees"] == again["employees"]
    employees = await read(store, lambda r: r.employees_by_nip())
    assert 25 <= len(employees) <= 40
    assert all(len(e.nip) == 18 and e.nip.isdigit() for e in employees)
    tops = [e for e in employees if e.atasan_id is None]
    assert len(tops) >= 1
    by_id = {e.id: e for e in employees}

    def depth(e: object) -> int:
        level, walk = 1, e
        while walk.atasan_id is not None:  # type: ignore[attr-defined]
            walk, level = by_id[walk.atasan_id], level + 1  # type: ignore[attr-defined]
        return level

    assert max(depth(e) for e in employees) == 3
    async with store.reading() as r:
        for employee in employees:
            assert await r.indicators_of(employee.id, 2026), employee.nama
        officers = [p.officer_nip for p in await r.all_points() if p.officer_nip]
    assert officers and set(officers) <= {e.nip for e in employees}
