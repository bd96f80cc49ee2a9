"""The unit head's dashboard pages: the unit's saran (paged, newest first) with the chat's
marks and links, the RTL editor (the chat's writes; the person responsible told through the
outbox as the chat tells them), and the report downloads of ``kinerja report skm``."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

from bot.conversation import texts
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A
from tests.bot.web import test_dashboard
from tests.bot.web.test_dashboard import Office, session_for
from tests.conftest import read

UNIT = "/dasbor/unit/DISDUKCAPIL"
office = test_dashboard.office  # the same office: staff, chats, the app


async def add_saran(store: Store, count: int, *, point: str = "DUK-KTP-L1") -> None:
    """``count`` responses with a saran ("Saran nomor i"), one day apart from 1 October 2026
    (the highest number the newest; storage keeps only the day and sesi)."""
    async with store.reading() as r:
        point_id = next(p.id for p in await r.all_points() if p.code == point)
    start = datetime(2026, 10, 1, 2, tzinfo=UTC)
    async with store.unit() as uow:
        await uow.insert_responses([
            NewResponse(point_id, start + timedelta(days=i), "telegram",
                        dict.fromkeys(UNSUR_KEYS, 3), {}, f"Saran nomor {i} untuk {point}")
            for i in range(count)])


async def saran_ids(store: Store) -> dict[str, int]:
    async with store.reading() as r:
        unit = next(u for u in await r.units() if u["code"] == "DISDUKCAPIL")
        found = await r.unit_saran(int(unit["id"]), datetime(2026, 1, 1, tzinfo=UTC),
                                   datetime(2027, 1, 1, tzinfo=UTC), UTC)
    return {e.text: e.response_id for e in found}


async def test_the_head_reads_pages_of_saran_and_marks_them(office: Office) -> None:
    await add_saran(office.store, 25)
    await add_saran(office.store, 1, point="PKM-UMUM-P1")  # another unit's
    ids = await saran_ids(office.store)
    async with office.client() as client:
        csrf = await session_for(office, "head", client)
        home = await client.get("/dasbor")
        assert 'href="/dasbor/unit"' in home.text
        chooser = await client.get("/dasbor/unit")
        assert chooser.status_code == 303 and chooser.headers["location"] == UNIT
        first = (await client.get(UNIT + "?periode=2026-Q4")).text
        assert "Saran masyarakat (25)" in first and "halaman 1 dari 2" in first
        shown = re.findall(r"Saran nomor (\d+) untuk", first)
        assert shown == [str(i) for i in range(24, 4, -1)]  # newest first, 20 a page
        assert "PKM-UMUM-P1" not in first
        second = (await client.get(UNIT + "?periode=2026-Q4&hal=2")).text
        assert re.findall(r"Saran nomor (\d+) untuk", second) == ["4", "3", "2", "1", "0"]
        # publish one: the public page quotes it at once; no CSRF, nothing marked
        target = ids["Saran nomor 7 untuk DUK-KTP-L1"]
        refused = await client.post(f"{UNIT}/saran/{target}", data={"mark": "dipublikasikan"})
        assert refused.status_code == 403
        assert "Saran nomor 7" not in (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
        done = await client.post(f"{UNIT}/saran/{target}", data={
            "csrf": csrf, "mark": "dipublikasikan", "periode": "2026-Q4", "hal": "1"})
        assert done.status_code == 303
        assert done.headers["location"] == f"{UNIT}?periode=2026-Q4&hal=1&ok=saran"
        after = (await client.get(done.headers["location"])).text
        assert "Tanda saran disimpan." in after and "Tanda: dipublikasikan" in after
        public = (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
        assert "Saran nomor 7 untuk DUK-KTP-L1" in public
        assert "Saran nomor 8 untuk DUK-KTP-L1" not in public
        # a saran of another unit cannot be marked from this unit's page
        other = ids.get("Saran nomor 0 untuk PKM-UMUM-P1")
        assert other is None  # (not even listed among DISDUKCAPIL's)
        # another unit's page is refused to this head
        assert (await client.get("/dasbor/unit/PKM-SUKAMAJU")).status_code == 403
    async with office.store.reading() as r:
        entry = await r.saran_by_id(target, UTC)
    assert entry is not None and entry.mark == "dipublikasikan"


async def test_the_head_keeps_the_rtl_and_links_a_saran(office: Office) -> None:
    await add_saran(office.store, 2)
    ids = await saran_ids(office.store)
    async with office.client() as client:
        csrf = await session_for(office, "head", client)
        bad = await client.post(f"{UNIT}/rtl", data={
            "csrf": csrf, "periode": "2026-Q4", "unsur": "waktu", "action": "Tambah loket",
            "person": str(office.ids[STAF_A]), "date": "2026-11-01"})
        assert bad.status_code == 422 and "Tanggal target tidak boleh sebelum hari ini" in bad.text
        done = await client.post(f"{UNIT}/rtl", data={
            "csrf": csrf, "periode": "2026-Q4", "unsur": "waktu", "action": "Tambah loket",
            "person": str(office.ids[STAF_A]), "date": "2026-12-15"})
        assert done.status_code == 303
        page = (await client.get(done.headers["location"])).text
        assert "RTL disimpan." in page and "Tambah loket" in page
        assert "Penanggung jawab: Andi Pratama · target 15/12/2026 · rencana · 0%" in page
        async with office.store.reading() as r:
            unit = next(u for u in await r.units() if u["code"] == "DISDUKCAPIL")
            (item,) = await r.rtl_items(int(unit["id"]), today=office.clock().date())
        assert (item.period, item.unsur, item.responsible_id) == (
            "2026-Q4", "waktu", office.ids[STAF_A])
        # the person responsible is told as the chat tells them
        pushes = [json.loads(i["payload"]) for i in await read(office.store, lambda r: r.items())
                  if i["chat_id"] == "300" and i["kind"] == "rtl"]
        assert [p["text"] for p in pushes] == [texts.text(
            "id", "rtl_assigned", unit=item.unit_name, unsur="Waktu Penyelesaian",
            action="Tambah loket", date="15/12/2026", period="2026-Q4")]
        # update: progress, the status the progress suggests, a note (in the history)
        updated = await client.post(f"{UNIT}/rtl/{item.id}", data={
            "csrf": csrf, "progress": "60", "status": "", "note": "Loket 4 dibuka"})
        assert updated.status_code == 303
        wrong = await client.post(f"{UNIT}/rtl/{item.id}", data={
            "csrf": csrf, "progress": "160", "status": ""})
        assert wrong.status_code == 422 and "0 sampai 100" in wrong.text
        # link a saran to it (ditindaklanjuti)
        saran = ids["Saran nomor 1 untuk DUK-KTP-L1"]
        linked = await client.post(f"{UNIT}/saran/{saran}", data={
            "csrf": csrf, "mark": "ditindaklanjuti", "rtl": str(item.id)})
        assert linked.status_code == 303
    async with office.store.reading() as r:
        after = await r.rtl_item(item.id, today=office.clock().date())
        history = await r.rtl_history(item.id)
        entry = await r.saran_by_id(saran, UTC)
    assert after is not None and (after.progress, after.status, after.saran) == (
        60, "berjalan", 1)
    assert history[-1].note == "Loket 4 dibuka" and "Bambang" in history[-1].by_name
    assert entry is not None and (entry.mark, entry.rtl_id) == ("ditindaklanjuti", item.id)


async def test_the_head_downloads_the_reports(office: Office) -> None:
    async with office.client() as client:
        await session_for(office, "head", client)
        page = (await client.get(UNIT + "?periode=2026-Q4")).text
        assert "laporan.xlsx?periode=2026-Q4" in page and "laporan.pdf?periode=2026-Q4" in page
        xlsx = await client.get(f"{UNIT}/laporan.xlsx?periode=2026-Q4")
        assert xlsx.status_code == 200
        assert 'filename="skm-DISDUKCAPIL-2026-Q4.xlsx"' in xlsx.headers["content-disposition"]
        assert zipfile.ZipFile(io.BytesIO(xlsx.content)).namelist()
        docx = await client.get(f"{UNIT}/laporan.docx?periode=2026-Q4")
        assert docx.status_code == 200 and docx.content[:2] == b"PK"
        pdf = await client.get(f"{UNIT}/laporan.pdf?periode=2026-Q4")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert (await client.get(f"{UNIT}/laporan.csv")).status_code == 404
        assert (await client.get("/dasbor/unit/PKM-SUKAMAJU/laporan.pdf")).status_code == 403


async def test_an_atasan_who_heads_no_unit_is_refused(office: Office) -> None:
    async with office.client() as client:
        csrf = await session_for(office, "atasan", client)
        assert KABID  # Siti Rahmawati has an atasan in her own unit: not its head
        assert 'href="/dasbor/unit"' not in (await client.get("/dasbor")).text
        assert (await client.get(UNIT)).status_code == 403
        refused = await client.post(f"{UNIT}/rtl", data={"csrf": csrf, "unsur": "waktu"})
        assert refused.status_code == 403
    assert KADIS


async def test_an_atasan_sees_a_team_members_skor_as_the_chat_shows_it(office: Office) -> None:
    import html

    async with office.store.unit() as uow:  # an approved report: a capaian to explain
        assert await uow.decide_report(office.report_id, office.ids[KABID], "approve", None,
                                       office.clock(), False)
    chat = office.chats[KABID]
    await chat.send("/skor")
    await chat.tap("Andi Pratama — Verifikator KTP-el")
    in_chat = [r.text for r in chat.last]
    assert any("Andi Pratama" in text for text in in_chat)
    async with office.client() as client:
        await session_for(office, "atasan", client)
        team = (await client.get("/dasbor/tim")).text
        assert f'href="/dasbor/tim/{office.ids[STAF_A]}"' in team
        page = await client.get(f"/dasbor/tim/{office.ids[STAF_A]}")
        assert page.status_code == 200
        messages = page.text.split('class="messages"')[1].split("</div>")[0]
        shown = re.findall(r"<p>(.*?)</p>", messages, re.S)
        assert [html.unescape(p) for p in shown] == in_chat
        # someone they do not review: refused (the chat's may_review)
        assert (await client.get(f"/dasbor/tim/{office.ids[KADIS]}")).status_code == 403
        assert (await client.get("/dasbor/tim/99999")).status_code == 403
