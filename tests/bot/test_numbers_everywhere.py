"""One employee's numbers agree on every path that shows them (docs/skp.md: "Every place that
shows a realisasi or capaian … uses this one rule").

Rina has three indicators of 2026, each with two approved reports:

- a jumlah one: 12 + 8 berkas → realisasi 20 berkas (of 40: capaian 50 % of the year);
- a rata-rata one: 95 % and 100 % → 97,5 % (of 95 %: 102,6 %);
- a turun hari one: 2,5 and 3 hari → 2,75 hari (of 3: 109,1 %);
- a terakhir one, chosen in the targets file (its satuan "%" alone would make it rata-rata):
  40 % and then 65 % progres → 65 % (of 80 %: 81,3 %).

Each path also says how the indicator adds up (its agregasi), and the weekly /ringkasan
compares a level target whole: only the jumlah target becomes a week's share.

The realisasi must read the same in /status, /skor (Indonesian and English), /nilai,
/nilaidiri, /ringkasan (text and its XLSX) and ``kinerja report kinerja`` as JSON, CSV and
XLSX; so must the capaian of the two level indicators, which are compared whole in any
period. The jumlah capaian depends on the period (a year to date, a week), so only the paths
that rate the SKP year (/skor, /nilai, /nilaidiri) are compared on it.

Everything runs once, on a real SQLite file: the reports are approved through /tinjau, the
chat paths through the engine, the CLI in-process.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import bot.admin.cli
from bot.admin.demo import UNITS
from bot.app.compose import build_engine
from bot.conversation.flow import EngineConfig
from bot.conversation.ports.reports import NewReport
from bot.storage import Store
from bot.storage.employees import EmployeeRow, TargetRow
from kinerja.render.labels import column_label
from tests.bot.staff_fixtures import EMPLOYEES, KABID, linked
from tests.conftest import SECRET, Chat, Clock, read

RINA = "199404042018032007"
RINA_OPTION = "Rina Wulandari — Verifikator Izin"
WEEK = "2026-W47"  # the week of the clock (16–22 Nov 2026): the /ringkasan week
BERKAS, LENGKAP, WAKTU = "Berkas diverifikasi", "Kelengkapan berkas", "Waktu penyelesaian izin"
PROGRES = "Progres pembangunan loket"
TARGETS = [
    TargetRow(RINA, 2026, "Perizinan", "utama", BERKAS, "kuantitas", 40, "berkas", "naik"),
    TargetRow(RINA, 2026, "Perizinan", "utama", LENGKAP, "kualitas", 95, "%", "naik"),
    TargetRow(RINA, 2026, "Perizinan", "utama", WAKTU, "waktu", 3, "hari", "turun"),
    TargetRow(RINA, 2026, "Sarana", "tambahan", PROGRES, "kuantitas", 80, "%", "naik",
              "terakhir"),
]
AMOUNTS = {BERKAS: (12, 8), LENGKAP: (95, 100), WAKTU: (2.5, 3), PROGRES: (40, 65)}
AGREGASI = {BERKAS: "jumlah", LENGKAP: "rata-rata", WAKTU: "rata-rata", PROGRES: "terakhir"}
#: the rule's numbers: realisasi, and capaian against the whole target (percent)
REALISASI = {BERKAS: 20.0, LENGKAP: 97.5, WAKTU: 2.75, PROGRES: 65.0}
LEVEL_CAPAIAN = {LENGKAP: 97.5 / 95 * 100, WAKTU: 3 / 2.75 * 100, PROGRES: 65 / 80 * 100}
#: … as a person reads them (kinerja.numbers: the one format)
REALISASI_SHOWN = {"id": {BERKAS: "20", LENGKAP: "97,5", WAKTU: "2,75", PROGRES: "65"},
                   "en": {BERKAS: "20", LENGKAP: "97.5", WAKTU: "2.75", PROGRES: "65"}}
LEVEL_CAPAIAN_SHOWN = {"id": {LENGKAP: "102,6%", WAKTU: "109,1%", PROGRES: "81,3%"},
                       "en": {LENGKAP: "102.6%", WAKTU: "109.1%", PROGRES: "81.3%"}}
#: how each path words the agregasi (chat catalogs; report labels)
AGREGASI_SHOWN = {"jumlah": "jumlah semua laporan", "rata-rata": "rata-rata laporan",
                  "terakhir": "laporan terakhir"}
AGREGASI_SHOWN_EN = {"jumlah": "sum of all reports", "rata-rata": "mean of the reports",
                     "terakhir": "latest report"}
YEAR_CAPAIAN_SHOWN = {lang: {BERKAS: "50%", **shown} for lang, shown in
                      LEVEL_CAPAIAN_SHOWN.items()}


@dataclass
class Seen:
    """What each path showed: chat texts, and tables (indikator → column → value)."""

    texts: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)


def xlsx_table(content: bytes, language: str = "id") -> dict[str, dict[str, object]]:
    """The first sheet of a workbook as indikator → header → value, read back with openpyxl."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    table = [dict(zip(headers, row, strict=True)) for row in rows[1:]]
    key = column_label("indikator", language)
    return {
        str(row[key]): {name: row[column_label(name, language)]
                        for name in ("realisasi", "capaian", "agregasi", "target_to_date")
                        if column_label(name, language) in row}
        for row in table
    }


async def chat_paths(path: Path, seen: Seen) -> None:
    store = await Store.open(path)
    try:
        clock = Clock()
        async with store.unit() as uow:
            await uow.upsert_units(UNITS)
            await uow.upsert_employees([*EMPLOYEES, EmployeeRow(
                RINA, "Rina Wulandari", "Verifikator Izin", "DISDUKCAPIL", KABID)])
            await uow.upsert_targets(TARGETS)
        (rina_id,) = [e.id for e in await read(store, lambda r: r.employees_by_nip([RINA]))]
        indicators = {i.indikator: i for i in await read(
            store, lambda r: r.indicators_of(rina_id, 2026))}
        async with store.unit() as uow:
            for name, amounts in AMOUNTS.items():
                for amount in amounts:
                    await uow.submit_report(NewReport(
                        indicators[name].id, rina_id, amount, "pekerjaan", date(2026, 11, 16),
                        "test", clock.now))
        engine = build_engine(store, EngineConfig(secret_key=SECRET), clock=clock)
        boss, rina = Chat(engine, "1"), Chat(engine, "2")
        await linked(boss, store, KABID, "ABCD2345", clock.now)
        await linked(rina, store, RINA, "EFGH2345", clock.now)

        await boss.send("/tinjau")
        for _ in range(2 * len(AMOUNTS)):
            await boss.tap("Setujui")
        assert "tidak ada lagi laporan" in boss.text

        for command in ("/status", "/skor", "/ringkasan"):
            await rina.send(command)
            seen.texts[command] = rina.text
        (workbook,) = [a for reply in rina.last for a in reply.attachments]
        seen.tables["/ringkasan xlsx"] = xlsx_table(workbook.content)
        await rina.send("/bahasa en")
        for command in ("/status", "/skor"):
            await rina.send(command)
            seen.texts[f"{command} (en)"] = rina.text
        await rina.send("/bahasa id")

        await boss.send("/nilai hasil")
        await boss.tap(RINA_OPTION)
        seen.texts["/nilai"] = boss.question.text

        await rina.send("/nilaidiri")
        prompts = []
        for _ in indicators:
            prompts.append(rina.question.text)
            await rina.tap("Sesuai")
        seen.texts["/nilaidiri"] = "\n".join(prompts)
        await rina.send("/batal")
    finally:
        await store.close()


def cli_paths(path: Path, seen: Seen) -> None:
    runner = CliRunner()
    env = {"KINERJA_DB": str(path)}
    base = ["report", "kinerja", "--nip", RINA, "--period", WEEK, "--format"]
    result = runner.invoke(bot.admin.cli.app, [*base, "json"], env=env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    seen.tables["report kinerja json"] = {
        r["indikator"]: {"realisasi": r["realisasi"], "capaian": r["capaian"],
                         "agregasi": r["agregasi"]} for r in rows}
    result = runner.invoke(bot.admin.cli.app, [*base, "csv"], env=env)
    assert result.exit_code == 0, result.output
    # headers in the catalog's language, numbers rounded to 2 decimals for people (issue 12)
    name, realisasi, capaian = (column_label(c, "id") for c in ("indikator", "realisasi",
                                                                 "capaian"))
    seen.tables["report kinerja csv"] = {
        r[name]: {"realisasi": float(r[realisasi]), "capaian": float(r[capaian]),
                  "agregasi": r[column_label("agregasi", "id")]}
        for r in csv.DictReader(io.StringIO(result.stdout))}
    output = path.with_suffix(".xlsx")
    result = runner.invoke(bot.admin.cli.app, [*base, "xlsx", "--output", str(output)], env=env)
    assert result.exit_code == 0, result.output
    seen.tables["report kinerja xlsx"] = xlsx_table(output.read_bytes())
    result = runner.invoke(bot.admin.cli.app, [*base, "text"], env=env)
    assert result.exit_code == 0, result.output
    seen.texts["report kinerja text"] = result.stdout


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Seen:
    """Every path's output, from one database (the CLI opens it after the chats closed it)."""
    path = tmp_path_factory.mktemp("numbers") / "kinerja.db"
    found = Seen()
    asyncio.run(chat_paths(path, found))
    cli_paths(path, found)
    return found


def section(text: str, indikator: str) -> str:
    """The part of ``text`` about ``indikator``: from its name to the next indicator's."""
    starts = sorted((text.index(name), name) for name in REALISASI if name in text)
    for (start, name), following in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        if name == indikator:
            return text[start:following[0]]
    raise AssertionError(f"{indikator!r} is not shown:\n{text}")


def shows(text: str, number: str) -> bool:
    """Whether ``number`` stands in ``text`` as a number of its own (not inside 12,75)."""
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", text) is not None


def language(path: str) -> str:
    return "en" if "(en)" in path else "id"


TEXT_PATHS = ["/status", "/skor", "/skor (en)", "/nilai", "/nilaidiri", "/ringkasan"]
TABLE_PATHS = ["/ringkasan xlsx", "report kinerja json", "report kinerja csv",
               "report kinerja xlsx"]


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_realisasi_reads_the_same_in_every_chat_text(seen: Seen, path: str) -> None:
    text = seen.texts[path]
    for indikator, expected in REALISASI_SHOWN[language(path)].items():
        assert shows(section(text, indikator), expected), (indikator, expected, text)


@pytest.mark.parametrize("path", TABLE_PATHS)
def test_realisasi_is_the_same_number_in_every_table(seen: Seen, path: str) -> None:
    table = seen.tables[path]
    assert {name: row["realisasi"] for name, row in table.items()} == pytest.approx(REALISASI)


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_capaian_of_level_indicators_reads_the_same_in_every_chat_text(
    seen: Seen, path: str
) -> None:
    text = seen.texts[path]
    for indikator, expected in LEVEL_CAPAIAN_SHOWN[language(path)].items():
        assert shows(section(text, indikator), expected), (indikator, expected, text)


@pytest.mark.parametrize("path", TABLE_PATHS)
def test_capaian_of_level_indicators_is_the_same_number_in_every_table(
    seen: Seen, path: str
) -> None:
    table = seen.tables[path]
    got = {name: row["capaian"] for name, row in table.items() if name in LEVEL_CAPAIAN}
    rounded = 0.005 if path.endswith("csv") else None  # CSV: 2 decimals, for people
    assert got == pytest.approx(LEVEL_CAPAIAN, abs=rounded)


@pytest.mark.parametrize("path", ["/skor", "/skor (en)", "/nilai", "/nilaidiri"])
def test_the_year_is_rated_on_the_same_capaian(seen: Seen, path: str) -> None:
    text = seen.texts[path]
    for indikator, expected in YEAR_CAPAIAN_SHOWN[language(path)].items():
        assert shows(section(text, indikator), expected), (indikator, expected, text)


@pytest.mark.parametrize("path", ["/status", "/skor", "/status (en)", "/skor (en)"])
def test_every_indicator_says_how_it_adds_up(seen: Seen, path: str) -> None:
    words = AGREGASI_SHOWN_EN if language(path) == "en" else AGREGASI_SHOWN
    for indikator, agregasi in AGREGASI.items():
        assert words[agregasi] in section(seen.texts[path], indikator), (indikator, path)


@pytest.mark.parametrize("path", ["/ringkasan", "report kinerja text"])
def test_reports_say_how_each_indicator_adds_up(seen: Seen, path: str) -> None:
    words = {"jumlah": "jumlah laporan", "rata-rata": "rata-rata laporan",
             "terakhir": "laporan terakhir"}
    for indikator, agregasi in AGREGASI.items():
        assert words[agregasi] in section(seen.texts[path], indikator), (indikator, path)


@pytest.mark.parametrize("path", ["report kinerja json", "report kinerja csv",
                                  "report kinerja xlsx", "/ringkasan xlsx"])
def test_every_table_carries_the_agregasi(seen: Seen, path: str) -> None:
    assert {name: row["agregasi"] for name, row in seen.tables[path].items()} == AGREGASI


def test_the_weekly_view_splits_only_a_jumlah_target(seen: Seen) -> None:
    """/ringkasan's week: 40 berkas a year is at most 40 × 7/365 by now (pro-rated to the
    part of the week gone); 95 % (a rata-rata target), 3 hari and 80 % progres (terakhir)
    stay whole, never "0,6 %" a week."""
    to_date = {name: row["target_to_date"] for name, row in seen.tables["/ringkasan xlsx"].items()}
    assert 0 < float(to_date.pop(BERKAS)) <= 40 * 7 / 365  # type: ignore[arg-type]
    assert to_date == pytest.approx({LENGKAP: 95.0, WAKTU: 3.0, PROGRES: 80.0})


@pytest.mark.parametrize("path", [*TEXT_PATHS, "/status (en)", "report kinerja text"])
def test_level_reports_are_never_summed(seen: Seen, path: str) -> None:
    """The wrong numbers of issue 12: 95 % + 100 % shown as 195 %, 2,5 + 3 hari as 5,5."""
    text = seen.texts[path]
    assert not shows(section(text, LENGKAP), "195"), text
    assert not any(shows(section(text, WAKTU), wrong) for wrong in ("5,5", "5.5")), text
    assert not shows(section(text, PROGRES), "105"), text  # 40 % + 65 % progres
