"""``kinerja poster``: one A4/A5 poster per active point, QR codes only for configured
channels, a clear refusal without any; and ``kinerja web-login``."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from tests.bot.admin.test_cli import kinerja


def _org(folder: Path) -> None:
    assert kinerja(folder, "init").returncode == 0
    (folder / "units.csv").write_text("code,name\nDUK,Dinas Dukcapil\n", encoding="utf-8")
    (folder / "services.csv").write_text("code,unit,name\nKTP,DUK,KTP-el\n", encoding="utf-8")
    (folder / "points.csv").write_text(
        "code,service,name,active\nL1,KTP,Loket 1,ya\nL2,KTP,Loket 2,tidak\n", encoding="utf-8")
    for kind in ("units", "services", "points"):
        result = kinerja(folder, "import", kind, f"{kind}.csv")
        assert result.returncode == 0, result.stderr


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", content[16:24])


def test_posters_for_active_points_with_the_configured_channels(tmp_path: Path) -> None:
    _org(tmp_path)
    env = {"KINERJA_TELEGRAM_USERNAME": "@skm_kota_bot", "KINERJA_WHATSAPP_NUMBER": "+62 811 000"}
    result = kinerja(tmp_path, "poster", "--output", "out", env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["L1-a4.pdf"]  # L2 inactive
    pdf = (tmp_path / "out" / "L1-a4.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box and (round(float(box[1])), round(float(box[2]))) == (595, 842)  # A4 in points

    result = kinerja(tmp_path, "poster", "--point", "L1", "--format", "png", "--size", "a5",
                     "--output", "out", env=env)
    assert result.returncode == 0, result.stderr
    width, height = png_size((tmp_path / "out" / "L1-a5.png").read_bytes())
    assert (width, height) == (874, 1240)  # A5 at 150 dpi


def test_no_poster_for_an_inactive_point_or_without_a_channel(tmp_path: Path) -> None:
    _org(tmp_path)
    env = {"KINERJA_TELEGRAM_USERNAME": "skm_kota_bot"}
    inactive = kinerja(tmp_path, "poster", "--point", "L2", "--output", "out", env=env)
    assert inactive.returncode == 1 and "tidak aktif" in inactive.stderr
    none = kinerja(tmp_path, "poster", "--output", "out",
                   env={"KINERJA_TELEGRAM_USERNAME": None, "KINERJA_TELEGRAM_TOKEN": None,
                        "KINERJA_WHATSAPP_NUMBER": None})
    assert none.returncode == 1 and "Tidak ada kanal chat" in none.stderr
    assert not (tmp_path / "out").exists()


def test_web_login_prints_a_single_use_link(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "init").returncode == 0
    refused = kinerja(tmp_path, "web-login", env={"KINERJA_PUBLIC_URL": None,
                                                 "KINERJA_WEBHOOK_URL": None})
    assert refused.returncode == 1 and "KINERJA_PUBLIC_URL" in refused.stderr
    result = kinerja(tmp_path, "web-login", env={"KINERJA_PUBLIC_URL": "https://skm.example"})
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"https://skm\.example/masuk/[A-Za-z0-9_-]{43}\n", result.stdout)
    assert "10 menit" in result.stderr
