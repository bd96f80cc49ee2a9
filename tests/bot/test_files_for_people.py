"""Files and screens written for people show any stored text as text (issue 13, part 3): a
saran with ESC or \\x01 — stored by an older release, a paper import or a hand-made fix —
never breaks a unit head's /ringkasan workbook, and no cell becomes a formula."""

from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook

from bot.admin.skm_report import as_csv, as_text
from bot.channels.console import render
from bot.conversation.engine import Engine
from bot.conversation.messages import Choice, Reply
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from kinerja.render.escape import printable, spreadsheet_text
from kinerja.render.xlsx import frames_to_xlsx
from tests.bot.jobs.test_weekly import ids, link
from tests.bot.staff_fixtures import KADIS
from tests.conftest import Chat, Clock, read

__all__ = ["ids"]  # the fixture, used by name

NASTY = ["Antre\x1b[2J lama\x01", '=HYPERLINK("http://x.invalid","klik")', "@SUM(A1)"]


async def test_ringkasan_of_a_unit_head_survives_any_saran(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    point = await read(org, lambda r: r.point_by_code("DUK-KTP-L1"))
    assert point is not None
    async with org.unit() as uow:  # stored as is (not through a chat, which cleans)
        await uow.insert_responses([
            NewResponse(point.id, clock.now - timedelta(minutes=5), "paper",
                        dict.fromkeys(UNSUR_KEYS, 3), {}, saran) for saran in NASTY])
    await link(org, KADIS, "303", clock.now)
    chat = Chat(engine, "303")
    await chat.send("/ringkasan")
    assert "Responden: 3" in chat.text
    files = {a.file_name: a.content for r in chat.last for a in r.attachments}
    book = load_workbook(io.BytesIO(files["ikm-DISDUKCAPIL-2026-W47.xlsx"]))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    texts = {c.value for c in cells}
    assert "Antre\ufffd[2J lama\ufffd" in texts
    assert '=HYPERLINK("http://x.invalid","klik")' in texts  # shown as the text it is …
    assert all(c.data_type != "f" for c in cells)  # … never a formula


@pytest.mark.parametrize(("raw", "shown"), [
    ("a\x1bb", "a\ufffdb"), ("tab\tline\n", "tab\tline\n"), ("\x85\x7f", "\ufffd\ufffd"),
    ("lone\ud800", "lone\ufffd"),
])
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(("raw", "cell"), [
    ("=1+1", "'=1+1"), ("+62 812 555", "+62 812 555"), ("-2", "-2"), ("-x", "'-x"),
    ("@cmd", "'@cmd"), ("Dinas", "Dinas"), ("x\x01", "x\ufffd"),
])
def test_spreadsheet_text(raw: str, cell: str) -> None:
    assert spreadsheet_text(raw) == cell


def test_a_workbook_holds_any_text() -> None:
    content = frames_to_xlsx({"s": pd.DataFrame({"saran": NASTY, "n": [1, 2, 3]})})
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ["Antre\ufffd[2J lama\ufffd", *NASTY[1:]]


def test_the_skm_report_shows_a_saran_and_writes_names_as_text() -> None:
    entry = {"unit": "=X", "name": "=cmd|' /C calc'!A0", "n": 1, "sample_size": None,
             "sample_status": "populasi belum diisi", "ikm": None, "mutu": None,
             "kinerja": None, "weakest": None, "strongest": None,
             "nrr": dict.fromkeys(UNSUR_KEYS), "by_unsur": {}, "parent": None, "depth": 0,
             "pooled": None, "trend": [], "profiles": {}, "segments": {}}
    report = {"period": "2026-W47", "start": "2026-11-16", "end": "2026-11-22",
              "units": [entry], "overall": {**entry, "name": "Semua"},
              "suggestions": [{"unit": "=X", "saran": "Antre\x1b[2J lama"}]}
    assert "\x1b" not in as_text(report)
    assert "'=cmd|" in as_csv(report) and ",=cmd" not in as_csv(report)


def test_the_console_shows_stored_text_without_obeying_it() -> None:
    shown = render(Reply("Saran: Antre\x1b[2J lama", (Choice("1.a", "Ya\x07"),)))
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Antre\ufffd[2J lama" in shown and "  1. Ya\ufffd" in shown
