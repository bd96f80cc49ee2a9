"""Issue 14 on the console: with the menu open, a scanned QR code (``/start <payload>``) or
a pasted link starts the survey at once, in Indonesian and English."""

from __future__ import annotations

import io

import pytest

from bot.channels.console import ConsoleChannel
from bot.conversation.engine import Engine
from tests.conftest import payload


@pytest.mark.parametrize(("language", "counter"), [
    ("id", "Pertanyaan 1 dari 9"), ("en", "Question 1 of 9"),
])
@pytest.mark.parametrize("scan", [
    "/start {p}", "https://t.me/PemdaBot?start={p}", "/start https://t.me/PemdaBot?start={p}",
])
async def test_menu_then_scan_starts_the_survey_on_the_console(
    engine: Engine, language: str, counter: str, scan: str
) -> None:
    lines = [f"/bahasa {language}", "/menu", scan.format(p=payload("DUK-KTP-L2")), "4."]
    out = io.StringIO()
    handled = await ConsoleChannel(engine, "7", stdin=io.StringIO("\n".join(lines) + "\n"),
                                   stdout=out).run()
    assert handled == 4
    after_scan = out.getvalue().split("> " + lines[2], 1)[1]
    assert counter in after_scan and "Loket 2 KTP-el" in after_scan
    assert "Dibatalkan" not in after_scan and "Cancelled" not in after_scan
    assert counter.replace("1", "2", 1) in after_scan, "“4.” answered the first question"
