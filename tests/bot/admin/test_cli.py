"""The admin CLI as an administrator runs it, on a real SQLite file.

Commands run in this process through Typer's ``CliRunner`` (:func:`kinerja`): the same
command tree, settings from the environment and exit codes, without a new interpreter per
call. What only a real process shows runs as one (:func:`kinerja_process`): ``kinerja
chat`` reading a pipe, ``kinerja run``, an import beside the running bot
(test_import_beside_bot.py) and the start-up imports (test_startup.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.admin.cli import app

KINERJA = str(Path(sys.executable).with_name("kinerja"))


def _environment(tmp_path: Path, env: dict[str, str] | None) -> dict[str, str | None]:
    """The variables of one call: its database and key in ``tmp_path``, no Telegram token
    (``None`` unsets a variable), then ``env``."""
    return {"KINERJA_DB": str(tmp_path / "k.db"), "KINERJA_SECRET_KEY": "cli-test-key",
            "KINERJA_TELEGRAM_TOKEN": None, **(env or {})}


def kinerja(tmp_path: Path, *args: str, stdin: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``kinerja ARGS`` run in ``tmp_path`` (its ``k.db``) in this process; the result has the
    exit status, stdout and stderr a real process would give — an unexpected exception
    becomes status 1 with its traceback on stderr."""
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(app, list(args), input=stdin,
                                    env=_environment(tmp_path, env))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess([KINERJA, *args], result.exit_code, result.stdout,
                                       stderr)


def process_environment(tmp_path: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with the variables of :func:`kinerja`, for a real one."""
    environment = {**os.environ}
    for name, value in _environment(tmp_path, env).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def kinerja_process(tmp_path: Path, *args: str, stdin: str | None = None,
                    env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``kinerja ARGS`` as a real process in ``tmp_path`` (same environment as
    :func:`kinerja`)."""
    return subprocess.run(
        [KINERJA, *args], input=stdin, capture_output=True, text=True, cwd=tmp_path,
        env=process_environment(tmp_path, env), timeout=120,
    )


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """``tmp_path`` with a migrated, empty ``k.db`` (``kinerja init``): every command but
    ``init`` and ``demo`` refuses a database file that does not exist."""
    result = kinerja(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    return tmp_path


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    result = kinerja(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    return tmp_path


def links(tmp_path: Path) -> list[dict[str, object]]:
    result = kinerja(tmp_path, "link", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_survey_through_kinerja_chat_piped(demo_db: Path) -> None:
    point = next(p for p in links(demo_db) if p["code"] == "PTSP-NIB-M1")
    before = json.loads(kinerja(demo_db, "report", "skm", "--format", "json",
                                "--unit", "DPMPTSP").stdout)["overall"]["n"]
    script = "\n".join([f"/start {point['payload']}", *"432434234", "2", "3", "5", "4",
                        "Pelayanan cepat", "1"]) + "\n"
    result = kinerja_process(demo_db, "chat", "--user", "7", stdin=script)
    assert result.returncode == 0, result.stderr
    assert "Meja Layanan NIB" in result.stdout
    assert "  1. Tidak sesuai" in result.stdout  # choices are numbered
    assert "Terima kasih" in result.stdout
    report = json.loads(kinerja(demo_db, "report", "skm", "--format", "json",
                                "--unit", "DPMPTSP").stdout)
    assert report["overall"]["n"] == before + 1
    # The same person again the same day is told kindly; another --user is someone else.
    again = kinerja(demo_db, "chat", "--user", "7", stdin=f"/start {point['payload']}\n")
    assert "sudah mengisi survei" in again.stdout
    other = kinerja(demo_db, "chat", "--user", "8", stdin=f"/start {point['payload']}\n")
    assert "Pertanyaan 1 dari 9" in other.stdout


def test_demo_is_idempotent_and_links_list_every_point(demo_db: Path) -> None:
    assert kinerja(demo_db, "demo").returncode == 0
    rows = links(demo_db)
    assert len(rows) == 8
    for row in rows:
        assert {"code", "unit", "service", "payload", "telegram_url"} <= set(row)
        assert len(str(row["payload"])) <= 64
    report = json.loads(kinerja(demo_db, "report", "skm", "--format", "json",
                                "--period", "2026").stdout)
    assert report["overall"]["n"] <= 96  # demo responses were not added twice


def test_link_fills_deep_links_and_writes_qr_codes(demo_db: Path) -> None:
    result = kinerja(demo_db, "link", "--format", "json", "--qr", "qr",
                     env={"KINERJA_TELEGRAM_USERNAME": "PemdaContohBot",
                          "KINERJA_WHATSAPP_NUMBER": "+62 811-0000-0000"})
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    first = rows[0]
    assert first["telegram_url"] == f"https://t.me/PemdaContohBot?start={first['payload']}"
    assert first["whatsapp_url"] == (
        f"https://wa.me/6281100000000?text=SKM%20{first['payload']}"
    )
    pngs = sorted((demo_db / "qr").glob("*.png"))
    assert len(pngs) == 8
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_formats_and_bad_period(demo_db: Path) -> None:
    csv_out = kinerja(demo_db, "report", "skm", "--format", "csv", "--period", "2026-Q4")
    assert csv_out.returncode == 0
    header = csv_out.stdout.splitlines()[0].split(",")
    assert header[:4] == ["period", "unit", "name", "n"]
    text = kinerja(demo_db, "report", "skm", "--period", "2026-11")
    assert "Indeks Kepuasan Masyarakat" in text.stdout
    bad = kinerja(demo_db, "report", "skm", "--period", "2026-Q5")
    assert bad.returncode == 1
    assert "periode tidak dikenal" in bad.stderr
    unknown = kinerja(demo_db, "report", "skm", "--unit", "NOPE")
    assert unknown.returncode == 1 and "tidak dikenal" in unknown.stderr


def test_imports_are_all_or_nothing_and_idempotent(empty_db: Path) -> None:
    (empty_db / "units.csv").write_text(
        "code,name,parent,population\nKEC-A,Kecamatan A,,\nKEL-A1,Kelurahan A1,KEC-A,1200\n",
        encoding="utf-8",
    )
    (empty_db / "services.csv").write_text(
        "code;unit;name\nKTP-A1;KEL-A1;Surat Pengantar KTP\n", encoding="utf-8"
    )
    (empty_db / "employees.csv").write_text(
        "nip,nama,jabatan,unit\n198001012006041001,Budi,Petugas Loket,KEL-A1\n",
        encoding="utf-8",
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "service", "name", "officer_nip"])
    sheet.append(["KEL-A1-M1", "KTP-A1", "Meja 1", "198001012006041001"])
    book.save(empty_db / "points.xlsx")
    for kind, name in (("units", "units.csv"), ("services", "services.csv"),
                       ("employees", "employees.csv"), ("points", "points.xlsx")):
        for _ in range(2):  # twice: idempotent by code
            result = kinerja(empty_db, "import", kind, name)
            assert result.returncode == 0, result.stderr
    assert [r["code"] for r in links(empty_db)] == ["KEL-A1-M1"]

    (empty_db / "bad.csv").write_text(
        "code,service,name,officer_nip\nOK-1,KTP-A1,Meja,\nbad code!,KTP-A1,Meja,\n"
        "X-2,NOPE,Meja,\nX-3,KTP-A1,,12345\n",
        encoding="utf-8",
    )
    result = kinerja(empty_db, "import", "points", "bad.csv")
    assert result.returncode == 1
    err = result.stderr
    assert "bad.csv: baris 3, kolom 'code'" in err
    assert "bad.csv: baris 4, kolom 'service'" in err
    assert "bad.csv: baris 5, kolom 'name': wajib diisi" in err
    assert "bad.csv: baris 5, kolom 'officer_nip'" in err
    assert [r["code"] for r in links(empty_db)] == ["KEL-A1-M1"], "nothing half-imported"


def test_paper_survey_import_is_scored_with_chat_responses(demo_db: Path) -> None:
    rows = ["4,3,3,2,4,3,4,2,3", "3,3,2,2,3,4,4,3,3", "4,4,3,3,4,4,4,2,4",
            "3,2,2,4,3,3,3,1,3", "4,3,3,4,4,4,4,3,4"]
    header = ("tanggal,point,persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku,"
              "pengaduan,sarana,jenis_kelamin,usia,pendidikan,pekerjaan,saran")
    body = "\n".join(f"02/01/2025,PTSP-PBG-M2,{r},perempuan,26–35,D4/S1,Swasta," for r in rows)
    (demo_db / "paper.csv").write_text(header + "\n" + body + "\n", encoding="utf-8")
    result = kinerja(demo_db, "import", "skm", "paper.csv")
    assert result.returncode == 0, result.stderr
    assert "5 baru, 0 sudah ada" in result.stdout
    again = kinerja(demo_db, "import", "skm", "paper.csv")
    assert "0 baru, 5 sudah ada" in again.stdout
    report = json.loads(kinerja(demo_db, "report", "skm", "--format", "json",
                                "--period", "2025-01", "--unit", "DPMPTSP").stdout)
    overall = report["overall"]
    assert overall["n"] == 5
    assert overall["ikm"] == 80.0  # skm.md's worked example
    assert overall["mutu"] == "B"
    assert overall["weakest"] == "pengaduan"


def test_blank_paper_forms_are_no_respondents_but_their_suggestions_count(
    demo_db: Path,
) -> None:
    header = ("tanggal,point,persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku,"
              "pengaduan,sarana,saran")
    (demo_db / "paper.csv").write_text("\n".join([
        header,
        "03/02/2025,PTSP-PBG-M2,4,3,3,2,4,3,4,2,3,Loket kedua",
        "04/02/2025,PTSP-PBG-M2,,,,,,,,,,Formulir kosong tapi ada saran",
        "02/02/2025,PTSP-NIB-M1,3,,2,2,3,4,4,3,3,",
        "05/02/2025,DUK-KTP-L1,4,4,4,4,4,4,4,4,4,Di unit lain",
    ]) + "\n", encoding="utf-8")
    assert kinerja(demo_db, "import", "skm", "paper.csv").returncode == 0
    report = json.loads(kinerja(demo_db, "report", "skm", "--format", "json",
                                "--period", "2025-02", "--unit", "DPMPTSP").stdout)
    assert [u["unit"] for u in report["units"]] == ["DPMPTSP"]
    overall = report["overall"]
    assert overall["n"] == 2  # the blank form is not a respondent
    assert overall["nrr"]["prosedur"] == 3.0  # one answer: blanks are left out
    assert overall["ikm"] is not None
    assert report["suggestions"] == [  # one point: in the order they were given
        {"unit": "DPMPTSP", "saran": "Loket kedua"},
        {"unit": "DPMPTSP", "saran": "Formulir kosong tapi ada saran"},
    ]


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = kinerja(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("import", "report", "chat", "link", "invite", "run"):
        assert command in result.stdout
    assert not (tmp_path / "k.db").exists(), "--help opens nothing"


def test_malformed_paper_import_names_row_and_column(demo_db: Path) -> None:
    (demo_db / "paper.csv").write_text(
        "tanggal,point,persyaratan,prosedur,waktu,biaya,produk,kompetensi,perilaku,pengaduan,"
        "sarana\n31/02/2025,PTSP-PBG-M2,4,4,4,4,4,4,4,4,4\n"
        "01/03/2025,PTSP-PBG-M2,4,5,4,4,4,4,4,4,4\n01/03/2025,PTSP-PBG-M2,4,,4,4,4,4,4,4,4\n",
        encoding="utf-8",
    )
    result = kinerja(demo_db, "import", "skm", "paper.csv")
    assert result.returncode == 1
    assert "baris 2, kolom 'tanggal'" in result.stderr
    assert "baris 3, kolom 'prosedur'" in result.stderr
    assert "baris 4" not in result.stderr  # a blank answer is allowed


def test_missing_column_and_empty_file(empty_db: Path) -> None:
    (empty_db / "units.csv").write_text("kode,nama\nA,B\n", encoding="utf-8")
    result = kinerja(empty_db, "import", "units", "units.csv")
    assert result.returncode == 1
    assert "baris 1, kolom 'code': kolom wajib tidak ada" in result.stderr
    (empty_db / "empty.csv").write_text("", encoding="utf-8")
    assert "kosong" in kinerja(empty_db, "import", "units", "empty.csv").stderr


def test_unit_parent_cycle_is_refused(empty_db: Path) -> None:
    (empty_db / "units.csv").write_text(
        "code,name,parent\nA,Unit A,B\nB,Unit B,A\n", encoding="utf-8"
    )
    result = kinerja(empty_db, "import", "units", "units.csv")
    assert result.returncode == 1
    assert "lingkaran" in result.stderr


def test_newer_database_is_refused_with_a_clear_message(demo_db: Path) -> None:
    import sqlite3

    with sqlite3.connect(demo_db / "k.db") as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', '2030-01-01')")
    result = kinerja(demo_db, "report", "skm")
    assert result.returncode == 1
    assert "lebih baru" in result.stderr
    assert "Traceback" not in result.stderr


def run_web_alone(tmp_path: Path, env: dict[str, str | None] | None = None
                  ) -> tuple[str, subprocess.CompletedProcess[str]]:
    """``kinerja run`` with no chat channel as a real process on a free port: the home
    page once it answers, and the process's result after SIGTERM."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environment = process_environment(tmp_path, {**(env or {}), "KINERJA_WEB_PORT": str(port)})
    process = subprocess.Popen([KINERJA, "run"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment)
    page = ""
    try:
        for _ in range(600):  # the server starts on its own time: wait for it to answer
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    page = r.read().decode()
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    return page, subprocess.CompletedProcess([KINERJA, "run"], process.returncode, stdout,
                                             stderr)


def test_run_without_any_channel_serves_the_web_and_says_how_to_configure(
        empty_db: Path) -> None:
    """Issue 16: with no chat channel ``kinerja run`` serves the web pages alone (it used
    to refuse); it still says how to configure a channel, and stops cleanly on SIGTERM."""
    page, result = run_web_alone(empty_db)
    assert "Indeks Kepuasan Masyarakat" in page
    assert result.returncode == 0
    assert "KINERJA_TELEGRAM_TOKEN" in result.stderr and "kinerja chat" in result.stderr
