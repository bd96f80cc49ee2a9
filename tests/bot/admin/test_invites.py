"""Invites that don't log people out, and a lockout the admin can lift (``kinerja invite``,
``kinerja unblock``), through the CLI and the console chat as an office would use them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.bot.admin.test_cli import kinerja


def _invite(folder: Path, *args: str) -> list[dict[str, str]]:
    result = kinerja(folder, "invite", *args, "--format", "csv")
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _chat(folder: Path, user: str, *lines: str) -> str:
    result = kinerja(folder, "chat", "--user", user, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _linked(folder: Path) -> int:
    status = json.loads(kinerja(folder, "status", "--format", "json").stdout)
    return int(status["counts"]["employees_linked"])


def test_invite_unit_keeps_every_link(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    first = _invite(tmp_path, "--unit", "DPMPTSP")
    assert len(first) == 9
    andi = first[0]
    assert "Berhasil" in _chat(tmp_path, "5", f"/daftar {andi['code']}")
    assert _linked(tmp_path) == 1

    again = _invite(tmp_path, "--unit", "DPMPTSP")  # what the demo suggests, run twice
    assert len(again) == 8 and andi["nip"] not in {r["nip"] for r in again}
    assert _linked(tmp_path) == 1, "nobody was logged out"
    assert "sudah terhubung dengan akun" in _chat(tmp_path, "5", "/daftar")

    fresh = _invite(tmp_path, andi["nip"])  # a new code for a lost phone: the link stays...
    assert _linked(tmp_path) == 1
    assert "sudah terhubung" in _chat(tmp_path, "5", "/daftar")
    assert "Berhasil" in _chat(tmp_path, "6", f"/daftar {fresh[0]['code']}")  # ...until used
    assert "sudah terhubung" not in _chat(tmp_path, "5", "/daftar")
    assert _linked(tmp_path) == 1

    relinked = _invite(tmp_path, "--unit", "DPMPTSP", "--relink")
    assert len(relinked) == 9
    assert _linked(tmp_path) == 1
    expiry = kinerja(tmp_path, "invite", andi["nip"]).stdout
    assert " WIB" in expiry, "the expiry is shown in KINERJA_TIMEZONE"


def test_invite_unit_when_everyone_is_linked_says_how(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    rows = _invite(tmp_path, "--unit", "DPMPTSP")
    for number, row in enumerate(rows):
        assert "Berhasil" in _chat(tmp_path, str(100 + number), f"/daftar {row['code']}")
    result = kinerja(tmp_path, "invite", "--unit", "DPMPTSP")
    assert result.returncode == 1 and "--relink" in result.stderr


def test_the_admin_lifts_a_lockout(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    (row,) = _invite(tmp_path, _invite(tmp_path, "--unit", "DPMPTSP")[0]["nip"])
    out = _chat(tmp_path, "9", *(f"/daftar WRONG{n}AA" for n in range(5)),
                f"/daftar {row['code']}")
    assert "Terlalu banyak kode salah" in out
    assert "kode baru pun tidak membukanya" in out
    assert "kinerja unblock console:9" in out
    assert "Berhasil" not in out

    listed = kinerja(tmp_path, "unblock")
    assert listed.stdout.startswith("console:9\t5 kode salah")
    assert kinerja(tmp_path, "unblock", "console:8").stdout.startswith("console:8 tidak terkunci")
    lifted = kinerja(tmp_path, "unblock", "console:9")
    assert "Kunci dibuka untuk console:9" in lifted.stdout
    assert "Tidak ada chat yang terkunci" in kinerja(tmp_path, "unblock").stdout
    assert "Berhasil" in _chat(tmp_path, "9", f"/daftar {row['code']}")
    assert kinerja(tmp_path, "unblock", "nonsense").returncode == 1
