"""kill -9 of ``kinerja run`` (a real subprocess) during a load, restarted each time.

Whatever the platform considers delivered (the bot confirmed it: a getUpdates
offset, a webhook's 2xx) is processed; every stored response was acknowledged (the
citizen got the thank-you); no citizen is left stuck or mid-survey. A few kills here;
``bench/crash.py`` runs many.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.crashload import Figures, Load, telegram_crash, whatsapp_crash

LOAD = Load(citizens=6, kills=3, spread=3.0, kill_every=(1.0, 3.0), within=60.0)


def assert_nothing_lost(figures: Figures) -> None:
    detail = f"{figures.line()} (log: {figures.log})"
    assert figures.kills == LOAD.kills, detail  # the kills came during the load
    assert figures.delivered >= LOAD.citizens * 16, detail
    assert figures.lost == 0, detail
    assert figures.stuck == 0, detail
    assert figures.stored == LOAD.citizens, detail
    assert figures.acknowledged == figures.stored, detail
    assert figures.mid_flow == 0 and figures.pending_inbox == 0, detail


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_kill_9_during_a_telegram_load_loses_nothing(tmp_path: Path, webhook: bool) -> None:
    assert_nothing_lost(await telegram_crash(tmp_path, LOAD, webhook=webhook))


async def test_kill_9_during_a_whatsapp_load_loses_nothing(tmp_path: Path) -> None:
    assert_nothing_lost(await whatsapp_crash(tmp_path, LOAD))
