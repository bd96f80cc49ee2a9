"""Staff and service points without a spreadsheet (``kinerja staff …``, ``kinerja points …``),
as an admin runs them, with the chat where it matters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from bot.admin.demo import demo_staff
from tests.bot.admin.test_cli import kinerja, links

NEW = "199001012020121001"


def _chat(folder: Path, user: str, *lines: str) -> str:
    result = kinerja(folder, "chat", "--user", user, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _staff(folder: Path, *args: str) -> list[dict[str, object]]:
    result = kinerja(folder, "staff", "list", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_staff_list_says_who_reports_to_whom(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    employees, _ = demo_staff()
    rows = _staff(tmp_path, "--unit", "DPMPTSP")
    assert {r["nip"] for r in rows} == {e.nip for e in employees if e.unit == "DPMPTSP"}
    by_nip = {e.nip: e for e in employees}
    for row in rows:
        assert row["atasan_nip"] == by_nip[str(row["nip"])].atasan
        assert row["channels"] == []
        if by_nip[str(row["nip"])].atasan is None:
            assert row["last_report"] is None  # the demo's heads report nothing
        else:  # the demo's sample reports, in KINERJA_TIMEZONE
            assert str(row["last_report"]).endswith(" WIB")

    (code_row,) = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "invite", str(rows[0]["nip"]), "--format", "csv").stdout)))
    assert "Berhasil" in _chat(tmp_path, "5", f"/daftar {code_row['code']}")
    linked = next(r for r in _staff(tmp_path) if r["nip"] == rows[0]["nip"])
    assert linked["channels"] == ["console"]

    table = list(csv.DictReader(io.StringIO(kinerja(tmp_path, "staff", "list", "--format",
                                                    "csv").stdout)))
    assert len(table) == len(employees)
    assert list(table[0])[:6] == ["nip", "nama", "jabatan", "unit", "atasan_nip", "atasan_nama"]
    text = kinerja(tmp_path, "staff", "list", "--unit", "DPMPTSP").stdout
    assert "chat: console" in text and f"{len(rows)} pegawai." in text
    assert kinerja(tmp_path, "staff", "list", "--unit", "NOPE").returncode == 1


def test_add_edit_and_deactivate_keep_history_and_refuse_links(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    employees, _ = demo_staff()
    head = next(e for e in employees if e.unit == "DPMPTSP" and e.atasan is None)
    added = kinerja(tmp_path, "staff", "add", NEW, "--nama", "Budi Hartono", "--jabatan",
                    "Analis", "--unit", "DPMPTSP", "--atasan", head.nip)
    assert added.returncode == 0, added.stderr
    assert kinerja(tmp_path, "staff", "add", NEW, "--nama", "X", "--jabatan", "Y",
                   "--unit", "DPMPTSP").returncode == 1, "an existing NIP is not added twice"
    for bad, message in ((["--unit", "NOPE"], "tidak dikenal"), (["--atasan", "123"], "18 angka")):
        result = kinerja(tmp_path, "staff", "edit", NEW, *bad)
        assert result.returncode == 1 and message in result.stderr
    cycle = kinerja(tmp_path, "staff", "edit", head.nip, "--atasan", NEW)
    assert cycle.returncode == 1 and "lingkaran" in cycle.stderr
    edited = kinerja(tmp_path, "staff", "edit", NEW, "--jabatan", "Analis Ahli")
    assert "diperbarui: jabatan" in edited.stdout
    (row,) = [r for r in _staff(tmp_path) if r["nip"] == NEW]
    assert (row["nama"], row["jabatan"], row["atasan_nip"]) == ("Budi Hartono", "Analis Ahli",
                                                                head.nip)

    (code_row,) = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "invite", NEW, "--format", "csv").stdout)))
    assert "Berhasil" in _chat(tmp_path, "5", f"/daftar {code_row['code']}")
    (spare,) = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "invite", NEW, "--format", "csv").stdout)))
    gone = kinerja(tmp_path, "staff", "deactivate", NEW)
    assert gone.returncode == 0 and "1 tautan chat diputus" in gone.stdout
    assert "Fitur ini khusus pegawai" in _chat(tmp_path, "5", "/status")
    assert "Berhasil" not in _chat(tmp_path, "6", f"/daftar {spare['code']}")
    refused = kinerja(tmp_path, "invite", NEW)
    assert refused.returncode == 1 and "nonaktif" in refused.stderr
    assert NEW not in {r["nip"] for r in _staff(tmp_path)}
    (kept,) = [r for r in _staff(tmp_path, "--all") if r["nip"] == NEW]
    assert kept["active"] is False, "the employee and their history stay"
    unit_codes = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "invite", "--unit", "DPMPTSP", "--format", "csv").stdout)))
    assert NEW not in {r["nip"] for r in unit_codes}

    assert kinerja(tmp_path, "staff", "activate", NEW).returncode == 0
    (again,) = list(csv.DictReader(io.StringIO(kinerja(
        tmp_path, "invite", NEW, "--format", "csv").stdout)))
    assert "Berhasil" in _chat(tmp_path, "6", f"/daftar {again['code']}")


def test_an_inactive_point_tells_the_citizen_and_gets_no_new_qr(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    payload = next(p["payload"] for p in links(tmp_path) if p["code"] == "PTSP-NIB-M1")
    off = kinerja(tmp_path, "points", "deactivate", "PTSP-NIB-M1")
    assert off.returncode == 0, off.stderr
    out = _chat(tmp_path, "7", f"/start {payload}")
    assert "Meja Layanan NIB" in out and "sudah tidak digunakan lagi" in out
    assert "tidak dikenal" not in out and "Pertanyaan 1" not in out
    assert "NONAKTIF" in kinerja(tmp_path, "link").stdout
    qr = kinerja(tmp_path, "link", "--qr", "qr")
    assert "1 titik nonaktif tanpa QR" in qr.stderr
    assert sorted(p.stem for p in (tmp_path / "qr").glob("*.png")) == sorted(
        str(p["code"]) for p in links(tmp_path) if p["code"] != "PTSP-NIB-M1")

    assert kinerja(tmp_path, "points", "activate", "PTSP-NIB-M1").returncode == 0
    assert "Pertanyaan 1 dari 9" in _chat(tmp_path, "7", f"/start {payload}")
    assert kinerja(tmp_path, "points", "deactivate", "NOPE").returncode == 1


def test_add_a_point(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    added = kinerja(tmp_path, "points", "add", "PTSP-NIB-M3", "--service", "PTSP-NIB",
                    "--name", "Meja 3")
    assert added.returncode == 0, added.stderr
    point = next(p for p in links(tmp_path) if p["code"] == "PTSP-NIB-M3")
    assert "Pertanyaan 1 dari 9" in _chat(tmp_path, "8", f"/start {point['payload']}")
    for args, message in ((["PTSP-NIB-M3", "--service", "PTSP-NIB", "--name", "x"], "sudah ada"),
                          (["BAD CODE", "--service", "PTSP-NIB", "--name", "x"], "huruf"),
                          (["X-1", "--service", "NOPE", "--name", "x"], "tidak dikenal")):
        result = kinerja(tmp_path, "points", "add", *args)
        assert result.returncode == 1 and message in result.stderr
