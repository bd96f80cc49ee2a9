"""Issue 14, the push side: every push in its recipient's language; a push to someone with
no linked chat waits and goes out when they link (the sender told so honestly).

Through the engine on real SQLite; the outbox rows are read as the sender would claim them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.conversation.engine import Engine
from bot.conversation.messages import Reply
from bot.jobs.selfassess import queue_selfassess_reminders
from bot.jobs.weekly import ScheduleConfig, plan_reminders, plan_summaries
from bot.storage import OutboxItem, Store
from kinerja.periods import JAKARTA, period_of
from tests.bot.staff_fixtures import KABID, STAF_A, invite, linked, load_staff
from tests.conftest import Chat, Clock, read, write


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    return await load_staff(org)


async def claimed(store: Store, chat_id: str) -> list[OutboxItem]:
    """The rows due for ``chat_id``, as a sender claims them (files and language with them)."""
    items = await write(store, lambda u: u.claim_due(Clock().now.replace(year=2100)))
    return [item for item in items if item.chat_id == chat_id]


async def lapor(chat: Chat) -> None:
    await chat.send("/lapor")
    await chat.tap(1)
    await chat.send("3")
    await chat.send("Verifikasi berkas")
    await chat.tap(1)  # Lewati: no evidence
    await chat.send("kemarin")
    await chat.tap(1)  # Kirim


async def propose(chat: Chat) -> None:
    await chat.send("/usul")
    await chat.tap("Ubah target")
    await chat.tap("Dokumen KTP-el diverifikasi (12 dokumen)")
    await chat.send("20")
    await chat.send("Antrean naik")
    await chat.tap("Kirim")


async def test_usul_before_the_atasan_links_waits_and_is_delivered_after_daftar(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, boss = Chat(engine, "601"), Chat(engine, "602")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await propose(andi)
    assert andi.text == ("Atasan Anda belum terhubung; usulan tersimpan dan akan dikirim saat "
                         "beliau mendaftar.")
    assert await read(org, lambda r: r.items()) == [], "nobody to push to yet"
    assert await read(org, lambda r: r.waiting_count(ids[KABID])) == 1

    await boss.send("/bahasa en")  # chosen before linking: the waiting push is in English
    await invite(org, KABID, "EFGH2345", clock.now)
    await boss.send("/daftar EFGH2345")
    assert "This chat is now linked" in boss.text
    (push,) = await claimed(org, "602")
    assert push.language == "en" and push.kind == "approval"
    assert "Andi Pratama" in push.reply.text and "12 → 20 dokumen" in push.reply.text
    assert [c.label for c in push.reply.choices] == ["Accept", "Change target", "Decline"]
    assert await read(org, lambda r: r.waiting_count(ids[KABID])) == 0

    await boss.tap("Accept", reply=push.reply)  # the released buttons work
    assert "accepted" in boss.text
    (told,) = await claimed(org, "601")
    assert told.language == "id" and "menerima usulan Anda" in told.reply.text


async def test_usul_to_a_linked_atasan_still_says_sent(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, boss = Chat(engine, "611"), Chat(engine, "612")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await propose(andi)
    assert "menunggu keputusan atasan" in andi.text
    assert len(await claimed(org, "612")) == 1


async def test_pushes_go_out_in_each_recipients_language(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, boss = Chat(engine, "621"), Chat(engine, "622")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await boss.send("/bahasa en")
    await lapor(andi)  # Andi writes in Indonesian …
    assert "menunggu persetujuan atasan" in andi.text
    (request,) = await claimed(org, "622")  # … his atasan reads English
    assert request.language == "en"
    assert request.reply.text.startswith("📥 New report from Andi Pratama")
    assert [c.label for c in request.reply.choices] == ["Approve", "Reject", "Comment"]

    await boss.tap("Approve", reply=request.reply)
    assert "approved" in boss.text
    (decision,) = await claimed(org, "621")  # and the decision is in Andi's Indonesian
    assert decision.language == "id" and "disetujui" in decision.reply.text


async def test_the_weekly_summary_in_each_recipients_language_with_its_files(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    boss = Chat(engine, "641")
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await boss.send("/bahasa en")
    week = period_of("week", clock.now, JAKARTA).previous()
    async with org.reading() as r:
        (push,) = await plan_summaries(r, week, clock.now, ScheduleConfig(tz=JAKARTA))
    assert push.language == "en" and push.reply.text.startswith("📊 Weekly summary")
    assert "Andi Pratama" in push.reply.text
    names = [a.file_name for a in push.reply.attachments]
    assert names == [f"ringkasan-tim-{week.label}.xlsx", f"ringkasan-tim-{week.label}.png"]


async def test_selfassess_reminders_in_the_recipients_language(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi = Chat(engine, "651")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await andi.send("/bahasa en")
    late = datetime(2026, 12, 26, 3, 0, tzinfo=UTC)  # the last days of 2026-Q4
    assert await queue_selfassess_reminders(org, late, JAKARTA) == 1
    (reminder,) = await claimed(org, "651")
    assert reminder.language == "en" and "/nilaidiri" in reminder.reply.text
    assert "hari" not in reminder.reply.text


async def test_reminders_in_each_recipients_language(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, boss = Chat(engine, "631"), Chat(engine, "632")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await andi.send("/bahasa en")
    week = period_of("week", clock.now, JAKARTA)
    async with org.reading() as r:
        pushes = {p.chat_id: p for p in await plan_reminders(r, week, ScheduleConfig(tz=JAKARTA))}
    assert pushes["631"].language == "en" and pushes["632"].language == "id"
    assert pushes["631"].reply.text != pushes["632"].reply.text
    assert isinstance(pushes["631"].reply, Reply)
