"""Alerts to the unit head: five bad responses in ten minutes through the chat become one
push after the hour, with counts per unsur and nothing that points to a citizen."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.conversation.engine import Engine
from bot.jobs.alerts import queue_alerts
from bot.storage import Store
from tests.bot.conversation.flows.citizen.test_survey import answer_all
from tests.bot.staff_fixtures import KADIS, linked, load_staff
from tests.conftest import Chat, Clock, payload, read, write

TZ = ZoneInfo("Asia/Jakarta")
BAD = [4, 3, 1, 2, 4, 3, 4, 2, 3]  # waktu at 1
SARAN = ["Antrean terlalu panjang sekali", "", "Ada pungli di loket 2", "", "Loket lambat"]


async def _five_bad(engine: Engine, clock: Clock) -> None:
    for i in range(5):
        chat = Chat(engine, chat_id=f"77{i}")
        await chat.send(f"/start {payload()}")
        answers = list(BAD)
        if i == 3:
            answers[6] = 1  # perilaku at 1 too
        await answer_all(chat, answers, saran=SARAN[i] or "-")
        await chat.tap("Kirim")
        assert "Terima kasih" in chat.text
        clock.advance(minutes=2)


async def _pushes(store: Store) -> list[dict[str, object]]:
    return [r for r in await read(store, lambda r: r.items()) if r["kind"] == "alert"]


async def test_five_bad_responses_in_ten_minutes_make_one_push(
    org: Store, engine: Engine, clock: Clock
) -> None:
    await load_staff(org)
    head = Chat(engine, "603")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    clock.now = datetime(2026, 11, 16, 2, 40, tzinfo=UTC)  # 09.40 WIB
    await _five_bad(engine, clock)  # until 09.50

    assert await queue_alerts(org, datetime(2026, 11, 16, 2, 59, tzinfo=UTC), TZ) == 0
    assert await queue_alerts(org, datetime(2026, 11, 16, 3, 1, tzinfo=UTC), TZ) == 1
    assert await queue_alerts(org, datetime(2026, 11, 16, 3, 5, tzinfo=UTC), TZ) == 0
    (push,) = await _pushes(org)
    assert push["chat_id"] == "603"
    text = json.loads(str(push["payload"]))["text"]
    assert text == (
        "🔔 Dinas Kependudukan dan Pencatatan Sipil, 16/11/2026 pukul 09.00–10.00: "
        "5 responden memberi nilai 1 (terburuk) pada: Waktu Penyelesaian (5), Perilaku "
        "Pelaksana (1). 1 saran berisi keluhan serius (mis. pungli, petugas kasar). "
        "Lihat /saran dan /tindaklanjut."
    )
    for private in ("pungli di loket", "Antrean", "09.4", "770", "774"):
        assert private not in text
    assert await read(org, lambda r: r.pending_alerts("9999")) == []


async def test_alerts_turned_off_for_the_unit_send_nothing(
    org: Store, engine: Engine, clock: Clock
) -> None:
    await load_staff(org)
    head = Chat(engine, "603")
    await linked(head, org, KADIS, "JKMN2345", clock.now)
    unit = (await read(org, lambda r: r.employees_by_nip([KADIS])))[0].unit_id
    await write(org, lambda u: u.set_alert_settings(unit, bad_responses=False))
    await _five_bad(engine, clock)
    assert await queue_alerts(org, datetime(2026, 11, 16, 5, 0, tzinfo=UTC), TZ) == 0
    assert await _pushes(org) == []
    assert await read(org, lambda r: r.pending_alerts("9999")) == []
