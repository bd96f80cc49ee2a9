"""``kinerja report kinerja`` and ``kinerja send-summaries`` on the demo data, as real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.admin.demo import demo_staff
from tests.bot.admin.test_cli import kinerja


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    result = kinerja(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_report_kinerja_json_xlsx_png(demo_db: Path) -> None:
    employees, _ = demo_staff()
    # a week before the demo's sample reports (the last few weeks before today): none
    result = kinerja(demo_db, "report", "kinerja", "--format", "json", "--period", "2025-W47")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == "2025-W47" and report["kind"] == "team"
    assert {row["nama"] for row in report["rows"]} == {e.nama for e in employees}
    assert all(row["reports"] == 0 for row in report["rows"])

    result = kinerja(demo_db, "report", "kinerja", "--unit", "DPMPTSP", "--format", "xlsx",
                     "--output", "k.xlsx")
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(demo_db / "k.xlsx").worksheets[0]
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {e.nama for e in employees if e.unit == "DPMPTSP"}

    result = kinerja(demo_db, "report", "kinerja", "--format", "png", "--output", "k.png")
    assert result.returncode == 0, result.stderr
    assert (demo_db / "k.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    result = kinerja(demo_db, "report", "kinerja", "--format", "png")
    assert result.returncode == 1 and "--output" in result.stderr


def test_report_kinerja_for_one_employee_and_errors(demo_db: Path) -> None:
    employees, _ = demo_staff()
    head = next(e for e in employees if e.unit == "DPMPTSP" and e.atasan is None)
    staff = next(e for e in employees if e.unit == "DPMPTSP" and e.atasan not in (None, head.nip))
    result = kinerja(demo_db, "report", "kinerja", "--nip", head.nip, "--format", "json")
    rows = json.loads(result.stdout)["rows"]
    assert {r["nama"] for r in rows} == {e.nama for e in employees if e.atasan == head.nip}
    result = kinerja(demo_db, "report", "kinerja", "--nip", staff.nip, "--format", "json")
    own = json.loads(result.stdout)
    assert own["kind"] == "employee" and len(own["rows"]) == 3
    assert "Berkas layanan diselesaikan" in kinerja(demo_db, "report", "kinerja", "--nip",
                                                    staff.nip).stdout
    assert kinerja(demo_db, "report", "kinerja", "--nip", "1" * 18).returncode == 1
    assert kinerja(demo_db, "report", "kinerja", "--period", "2026-W99").returncode == 1


def test_send_summaries_dry_run_then_nobody_linked(demo_db: Path) -> None:
    result = kinerja(demo_db, "send-summaries", "--period", "2026-W46", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "9 ringkasan 2026-W46" in result.stdout and "(belum terhubung)" in result.stdout
    result = kinerja(demo_db, "send-summaries", "--period", "2026-W46")
    assert result.returncode == 0, result.stderr
    assert "0 ringkasan 2026-W46 diantrekan" in result.stdout
