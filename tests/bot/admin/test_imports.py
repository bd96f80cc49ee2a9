"""Imports validate first, then write in short units of work: what that means when a file
spans several of them (batch sizes shrunk to a few rows here)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.admin.imports import apply
from bot.admin.imports.apply import import_table
from bot.admin.imports.parse import ImportFailed, PaperForm, read_table
from bot.admin.staff import import_staff_table
from bot.app.core import Core
from bot.config import Settings
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from bot.storage.organisation import ServiceRow
from bot.storage.surveys import SurveyRepository
from tests.bot.admin.test_staff import EMPLOYEE_HEADER
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B
from tests.conftest import SECRET, read

SKM_HEADER = "tanggal,point,persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku," \
             "pengaduan,sarana"
class Killed(Exception):
    """The process dying in the middle of a unit of work (its transaction never commits)."""


FIVE_FORMS = [f"0{day}/03/2025,PTSP-PBG-M2,4,3,3,2,4,3,4,2,3" for day in range(1, 6)]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rows per unit of work, no pause between them."""
    monkeypatch.setattr(apply, "BATCH_ROWS", dict.fromkeys(apply.BATCH_ROWS, 2))
    monkeypatch.setattr(apply, "PAUSE_S", 0)


def core(store: Store) -> Core:
    return Core(Settings(_env_file=None), store, SECRET)  # type: ignore[call-arg]


def csv_file(tmp_path: Path, name: str, header: str, lines: Sequence[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


async def skm(store: Store, path: Path) -> str:
    return await import_table(core(store), "skm", read_table(path))


async def paper_rows(store: Store) -> int:
    row = await read(store, lambda r: r.db.fetchone(
        "SELECT COUNT(*) FROM survey_responses WHERE channel = 'paper'"))
    return int(row[0])


async def counted_forms(store: Store) -> int:
    """Paper forms counted as imported (``paper_forms``)."""
    row = await read(store, lambda r: r.db.fetchone(
        "SELECT coalesce(SUM(copies), 0) FROM paper_forms"))
    return int(row[0])


async def test_an_import_stopped_between_units_continues_where_it_stopped(
    org: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_file(tmp_path, "kertas.csv", SKM_HEADER, FIVE_FORMS)
    real_insert = SurveyRepository.insert_responses
    calls = 0

    async def crash_on_the_second(self: SurveyRepository,
                                  responses: Sequence[NewResponse]) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Killed
        await real_insert(self, responses)

    with monkeypatch.context() as patch:
        patch.setattr(SurveyRepository, "insert_responses", crash_on_the_second)
        with pytest.raises(Killed):
            await skm(org, path)
    assert await paper_rows(org) == 2
    assert await counted_forms(org) == 2, "the counts commit with their rows, not before"

    message = await skm(org, path)
    assert message == "Survei kertas dari kertas.csv: 3 baru, 2 sudah ada."
    assert await paper_rows(org) == 5
    assert await skm(org, path) == "Survei kertas dari kertas.csv: 0 baru, 5 sudah ada."
    assert await paper_rows(org) == 5 == await counted_forms(org)


async def test_a_point_removed_during_the_import_stops_it_with_what_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation saw the point; another process removed it before the last unit."""
    from bot.admin.demo import write_organisation

    store = await Store.open(tmp_path / "k.db")
    try:
        async with store.unit() as uow:
            await write_organisation(uow)
        # forms are written in the order of their point and day: the removed point's last
        forms = [f.replace("PTSP-PBG-M2", "PTSP-NIB-M1") for f in FIVE_FORMS[:4]]
        forms.append(FIVE_FORMS[4])
        real_parse = apply.parse_skm

        def parse_then_remove(*args: object) -> list[PaperForm]:
            parsed = real_parse(*args)  # type: ignore[arg-type]
            with sqlite3.connect(tmp_path / "k.db") as other:
                other.execute("DELETE FROM service_points WHERE code = 'PTSP-PBG-M2'")
            return parsed

        monkeypatch.setattr(apply, "parse_skm", parse_then_remove)
        with pytest.raises(ImportFailed) as failed:
            await skm(store, csv_file(tmp_path, "kertas.csv", SKM_HEADER, forms))
        assert failed.value.written == 4
        [problem] = failed.value.problems
        assert problem.column == "point"
        assert "titik layanan 'PTSP-PBG-M2' tidak ada lagi" in problem.message
        assert await paper_rows(store) == 4
    finally:
        await store.close()


async def test_a_code_gone_before_the_write_stores_nothing_of_a_small_file(
    org: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply, "parse_services",
                        lambda table, units: [ServiceRow("S-1", "GONE", "Layanan")])
    path = csv_file(tmp_path, "layanan.csv", "code,unit,name", ["S-1,DPMPTSP,Layanan"])
    with pytest.raises(ImportFailed) as failed:
        await import_table(core(org), "services", read_table(path))
    assert failed.value.written == 0
    assert "unit 'GONE' tidak ada lagi" in failed.value.problems[0].message
    assert "S-1" not in await read(org, lambda r: r.codes("services"))


async def test_parents_are_written_before_their_children_across_units(
    org: Store, tmp_path: Path
) -> None:
    units = csv_file(tmp_path, "unit.csv", "code,name,parent", [
        "KEL-A1,Kelurahan A1,KEC-A", "KEL-A2,Kelurahan A2,KEC-A", "KEC-A,Kecamatan A,KOTA",
        "KOTA,Kota,"])
    assert await import_table(core(org), "units", read_table(units)) == (
        "4 unit diimpor dari unit.csv.")
    parents = await read(org, lambda r: r.unit_parents())
    assert {c: parents[c] for c in ("KEL-A1", "KEL-A2", "KEC-A", "KOTA")} == {
        "KEL-A1": "KEC-A", "KEL-A2": "KEC-A", "KEC-A": "KOTA", "KOTA": None}

    staff = csv_file(tmp_path, "pegawai.csv", EMPLOYEE_HEADER, [
        f"{STAF_A},Andi,Staf,DISDUKCAPIL,{KABID},", f"{STAF_B},Dewi,Staf,DISDUKCAPIL,{KABID},",
        f"{KABID},Siti,Kabid,DISDUKCAPIL,{KADIS},", f"{KADIS},Bambang,Kadis,DISDUKCAPIL,,"])
    assert "4 pegawai" in await import_staff_table(core(org), "employees", read_table(staff))
    assert await read(org, lambda r: r.employee_atasan()) == {
        STAF_A: KABID, STAF_B: KABID, KABID: KADIS, KADIS: None}


async def test_the_same_file_imported_twice_at_once_is_counted_once(tmp_path: Path) -> None:
    """Two `kinerja import skm` of one file side by side (two stores on one database)."""
    from bot.admin.demo import write_organisation

    first, second = (await Store.open(tmp_path / "k.db"), await Store.open(tmp_path / "k.db"))
    try:
        async with first.unit() as uow:
            await write_organisation(uow)
        path = csv_file(tmp_path, "kertas.csv", SKM_HEADER, FIVE_FORMS)
        outcomes = await asyncio.gather(skm(first, path), skm(second, path),
                                        return_exceptions=True)
        assert await paper_rows(first) == 5 == await counted_forms(first)
        assert all(isinstance(o, str) for o in outcomes), outcomes
        added = [int(str(o).split(": ")[1].split(" baru")[0]) for o in outcomes]
        assert sum(added) == 5, outcomes
    finally:
        await first.close()
        await second.close()
