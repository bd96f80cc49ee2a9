"""``kinerja chat`` piped anything — invalid UTF-8, a lone surrogate's bytes, control
characters — chats on and stores only clean text (issue 13, part 3)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from tests.bot.admin.test_cli import KINERJA, demo_db, links, process_environment

__all__ = ["demo_db"]  # the fixture, used by name


def test_chat_piped_invalid_utf8_and_surrogates_never_fails(demo_db: Path) -> None:
    point = next(p for p in links(demo_db) if p["code"] == "PTSP-NIB-M1")
    lines = [
        f"/start {point['payload']}".encode(),
        b"\xff\xfe",              # invalid UTF-8 at a choice: asked again
        "\ud800".encode("utf-8", "surrogatepass"),  # a lone surrogate's bytes
        b"\x1b[31m\x01",          # control characters only
        *(c.encode() for c in "432434234"), b"2", b"3", b"5", b"4",
        b"Loket \xe9 lambat\x1b\x01 \xed\xa0\x80 ok",  # the saran: Latin-1, ESC, surrogate
        b"1",
    ]
    result = subprocess.run(
        [KINERJA, "chat", "--user", "9"], input=b"\n".join(lines) + b"\n",
        capture_output=True, cwd=demo_db, env=process_environment(demo_db), timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8")  # what was printed is valid UTF-8
    assert "Terima kasih" in out
    db = sqlite3.connect(demo_db / "k.db")
    (saran,) = db.execute("SELECT saran FROM survey_responses WHERE saran LIKE 'Loket%'"
                          ).fetchone()
    db.close()
    assert saran == "Loket \ufffd lambat \ufffd\ufffd\ufffd ok"
    assert json.dumps(saran)  # plain, storable text
