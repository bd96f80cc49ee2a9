"""Employees and supervisors through the engine, on a real SQLite store.

Linking (/daftar, menu, /keluar, expiry, reuse, brute force), /lapor with
every re-ask, /status against kinerja.skp, /tinjau with its authorization
and the outbox pushes, /nilai with the citizens' evidence and revisions.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.compose import build_engine
from bot.conversation.engine import Engine
from bot.conversation.evidence import EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.conversation.messages import Inbound, InboundKind, Media, Reply
from bot.conversation.ports.reports import NewReport
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from bot.storage.employees import TargetRow
from bot.storage.organisation import PointRow
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, UNSUR_KEYS
from kinerja.periods import period_of
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, invite, linked, load_staff
from tests.conftest import Chat, Clock, read, write


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    return await load_staff(org)


async def outbox(store: Store, kind: str | None = None) -> list[dict[str, object]]:
    rows = await read(store, lambda r: r.items())
    return [r for r in rows if kind is None or r["kind"] == kind]


async def reports(store: Store) -> list[dict[str, object]]:
    rows = await read(store, lambda r: r.db.fetchall("SELECT * FROM progress_reports ORDER BY id"))
    return [dict(r) for r in rows]


async def send_media(chat: Chat, kind: str, ref: str = "file-1",
                     mime: str | None = "image/jpeg") -> list[Reply]:
    inbound = Inbound(chat.channel, chat.chat_id, InboundKind.MEDIA,
                      media=Media(kind, ref, mime_type=mime), message_id=chat._id(None))
    chat.last = await chat.engine.handle(inbound)
    return chat.last


# --- linking -------------------------------------------------------------------


async def test_daftar_links_the_chat_and_keluar_unlinks(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    chat = Chat(engine, "201")
    await invite(org, STAF_A, "ABCD2345", clock.now)
    await chat.send("/daftar abcd-2345")  # case and dash do not matter
    assert "Andi Pratama" in chat.text and "/lapor" in chat.text
    assert (await read(org, lambda r: r.employee_by_chat("test", "201"))).nip == STAF_A
    codes = await read(org, lambda r: r.db.fetchall("SELECT * FROM activation_codes"))
    assert "ABCD2345" not in str([dict(r) for r in codes]), "only the hash is stored"

    await chat.send("/keluar")
    assert "tidak lagi terhubung" in chat.text
    assert await read(org, lambda r: r.employee_by_chat("test", "201")) is None
    await chat.send("/keluar")
    assert "memang tidak terhubung" in chat.text

    await chat.send("/daftar ABCD2345")  # a used code cannot be used again
    assert "Sisa percobaan: 4" in chat.text
    assert "kode aktivasi 8 karakter" in chat.last[-1].text, "asks for the code again"


async def test_menu_entry_asks_for_the_code(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    chat = Chat(engine, "202")
    await invite(org, STAF_B, "WXYZ6789", clock.now)
    await chat.send("/menu")
    await chat.tap("Saya pegawai")
    assert "kode aktivasi 8 karakter" in chat.text
    await chat.send("SALAH123")
    assert "Sisa percobaan: 4" in chat.text
    assert "kode aktivasi 8 karakter" in chat.last[-1].text, "the same question again"
    await chat.send("WXYZ6789")
    assert "Dewi Lestari" in chat.text
    await chat.send("/menu")
    await chat.tap("Saya pegawai")
    assert "sudah terhubung dengan akun Dewi Lestari" in chat.text


async def test_code_expires_after_seven_days(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await invite(org, STAF_A, "ABCD2345", clock.now)
    clock.advance(days=7, minutes=1)
    chat = Chat(engine, "203")
    await chat.send("/daftar ABCD2345")
    assert "kedaluwarsa" in chat.text
    assert await read(org, lambda r: r.employee_by_chat("test", "203")) is None


async def test_sixth_wrong_try_within_an_hour_is_blocked(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await invite(org, STAF_A, "ABCD2345", clock.now)
    chat = Chat(engine, "204")
    for left in (4, 3, 2, 1):
        await chat.send(f"/daftar WRONG{left}AA")
        assert f"Sisa percobaan: {left}" in chat.text
    await chat.send("/daftar WRONG0AA")
    assert "Terlalu banyak kode salah" in chat.text
    await chat.send("/daftar ABCD2345")  # 6th try: refused even with the right code
    assert "Terlalu banyak kode salah" in chat.text
    assert await read(org, lambda r: r.employee_by_chat("test", "204")) is None
    other = Chat(engine, "205")  # the limit is per chat
    await other.send("/daftar NOPE2345")
    assert "Sisa percobaan: 4" in other.text
    clock.advance(hours=1, minutes=1)
    await chat.send("/daftar ABCD2345")
    assert "Berhasil" in chat.text


async def test_new_invite_revokes_old_code_and_the_link_once_used(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    old = Chat(engine, "206")
    await linked(old, org, STAF_A, "ABCD2345", clock.now)
    await invite(org, STAF_A, "EFGH2345", clock.now)
    assert await read(org, lambda r: r.employee_by_chat("test", "206")) is not None, (
        "a new invite logs nobody out (issue 12): the link goes when the new code is used")
    await invite(org, STAF_A, "JKMN2345", clock.now)
    new = Chat(engine, "207")
    await new.send("/daftar EFGH2345")
    assert "Sisa percobaan" in new.text, "the earlier open code was revoked"
    await new.send("/daftar JKMN2345")
    assert "Berhasil" in new.text
    assert [c.chat_id for c in await read(org, lambda r: r.chats_of(ids[STAF_A]))] == ["207"]


@pytest.mark.parametrize("command", ["/lapor", "/status", "/tinjau", "/nilai"])
async def test_unlinked_chat_is_told_how_to_link(
    engine: Engine, org: Store, ids: dict[str, int], command: str
) -> None:
    chat = Chat(engine, "299")
    await chat.send(command)
    assert "/daftar KODE" in chat.text
    assert await reports(org) == []


# --- /lapor --------------------------------------------------------------------


async def test_lapor_happy_path_stores_pending_and_pushes_to_atasan_once(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "301")
    boss = Chat(engine, "302")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)

    await staff.send("/lapor")
    assert staff.labels == [
        "Dokumen KTP-el diverifikasi (12 dokumen)", "Waktu penyelesaian (3 hari)"]
    await staff.tap(1)
    assert "dalam dokumen" in staff.text
    await staff.send("2,5")
    assert "Jelaskan singkat" in staff.text
    await staff.send("Verifikasi berkas KTP-el kecamatan Sukamaju")
    await send_media(staff, "photo", "tg-file-77", "image/jpeg")
    assert "Tanggal kegiatan" in staff.text
    await staff.send("kemarin")
    assert "Realisasi: 2,5 dokumen" in staff.question.text
    assert "Bukti: foto" in staff.question.text
    assert "Tanggal: 15/11/2026" in staff.question.text
    assert await reports(org) == [], "nothing is stored before Kirim"
    await staff.tap("Kirim")
    assert "menunggu persetujuan atasan" in staff.text

    (row,) = await reports(org)
    assert row["amount"] == 2.5 and row["status"] == "pending"
    assert row["work_date"] == "2026-11-15"
    assert (row["evidence_kind"], row["evidence_ref"], row["evidence_mime"]) == (
        "photo", "tg-file-77", "image/jpeg")
    assert row["evidence_path"] is None, "no fetcher: only the reference is kept"
    assert row["employee_id"] == ids[STAF_A]

    (push,) = await outbox(org, "approval")
    assert push["chat_id"] == "302"
    assert push["dedup_key"] == f"report:{row['id']}:test"
    assert "Andi Pratama" in str(push["payload"]) and "/tinjau" in str(push["payload"])
    again = await write(org, lambda u: u.enqueue("test", "302", Reply("x"), at=clock.now,
                                                 kind="approval",
                                                 dedup_key=f"report:{row['id']}:test"))
    assert again is None
    assert len(await outbox(org, "approval")) == 1


async def test_lapor_reasks_every_bad_answer(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "303")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await staff.send("/lapor")
    await staff.send("1")
    for bad, reason in [("banyak", "ketik angka saja"), ("-1", "tidak boleh negatif")]:
        await staff.send(bad)
        assert reason in staff.text
        assert "Berapa realisasi" in staff.last[-1].text
    await staff.send("200")  # > 10 × 12
    assert "lebih dari 10 kali" in staff.question.text
    await staff.tap("Tidak, ketik ulang")
    assert "Berapa realisasi" in staff.text
    await staff.send("200")
    await staff.tap("Ya, benar")
    assert "Jelaskan singkat" in staff.text
    await staff.send("x" * 501)
    assert "501 karakter" in staff.text
    await staff.send("Verifikasi")
    await staff.send("foto menyusul")
    assert "kirim foto atau dokumen" in staff.text
    await send_media(staff, "voice", "v-1", "audio/ogg")
    assert "Bukti harus berupa foto atau dokumen" in staff.text
    await staff.tap("Lewati")
    for bad, reason in [
        ("besok lusa", "Tanggal tidak dikenali"),
        ("17/11/2026", "tidak boleh di masa depan"),
        ("31/12/2025", "harus dalam tahun 2026"),
    ]:
        await staff.send(bad)
        assert reason in staff.text
        assert "Tanggal kegiatan?" in staff.last[-1].text
    await staff.send("01/11/2026")
    assert "Bukti: tanpa bukti" in staff.question.text
    assert "Realisasi: 200 dokumen" in staff.question.text
    await staff.tap("Batal")
    assert "Tidak ada yang disimpan" in staff.text
    assert await reports(org) == []
    assert await outbox(org) == []


async def test_lapor_downloads_evidence_after_the_report_is_stored(
    org: Store, ids: dict[str, int], clock: Clock, config: EngineConfig, tmp_path: Path
) -> None:
    class Fetcher:
        async def fetch(self, channel: str, file_ref: str) -> bytes:
            return f"{channel}:{file_ref}".encode()

    keeper = EvidenceKeeper(Fetcher(), tmp_path / "bukti", clock=clock)
    engine = build_engine(org, config, clock=clock, evidence=keeper)
    staff = Chat(engine, "304")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await staff.send("/lapor")
    await staff.send("1")
    await staff.send("1")
    await staff.send("Rekap")
    await send_media(staff, "document", "doc-9", "application/pdf")
    assert "Tanggal kegiatan" in staff.text, staff.text
    await staff.tap("Hari ini")
    await staff.tap("Kirim")
    assert "tersimpan" in staff.text
    await engine.drain()  # the download runs after the turn, in the background
    (row,) = await reports(org)
    digest = hashlib.sha256(b"test:doc-9").hexdigest()
    assert row["evidence_status"] == "stored"
    assert row["evidence_sha256"] == digest
    saved = tmp_path / "bukti" / f"{digest}.pdf"
    assert row["evidence_path"] == str(saved)
    assert saved.read_bytes() == b"test:doc-9"
    report = await read(org, lambda r: r.report_by_id(int(row["id"])))
    assert report is not None and report.evidence_status == "stored"


# --- /status -------------------------------------------------------------------


async def test_status_numbers_match_kinerja_skp(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "305")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    indicators = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    docs = next(i for i in indicators if i.satuan == "dokumen")
    async with org.unit() as uow:
        for amount, decide in [(4, "approve"), (3, "approve"), (2, None), (5, "reject")]:
            report_id = await uow.submit_report(NewReport(
                docs.id, ids[STAF_A], amount, "kerja", date(2026, 11, 1), "test", clock.now))
            if decide:
                assert await uow.decide_report(report_id, ids[KABID], decide, "ok", clock.now)
    await staff.send("/status")
    # 2026-11-16 09:00 WIB: 319 days + 9 h of 365 → elapsed 0.875 exactly;
    # dokumen add up (jumlah): pro-rated target 12 × 0.875 = 10.5; approved 7 (the rejected
    # 5 does not count); capaian 7 / 10.5 = 66.7 % → tertinggal (< 75 %).
    elapsed = period_of("year", clock.now, engine.config.timezone).elapsed_fraction(
        clock.now, engine.config.timezone)
    assert elapsed == pytest.approx(0.875)
    approved = [skp.ReportedAmount(4, date(2026, 11, 1), 1),
                skp.ReportedAmount(3, date(2026, 11, 1), 2)]
    progress = skp.progress(12, "naik", skp.Agregasi.JUMLAH, approved, elapsed)
    assert progress.target_to_date == pytest.approx(10.5)
    assert progress.capaian_to_date == pytest.approx(200 / 3)
    text = staff.text
    assert "(87,5% tahun berjalan)" in text
    assert "Disetujui 7 dokumen, menunggu 2 dokumen" in text
    assert "Target s.d. hari ini 10,5 dari 12 dokumen — capaian 66,7% (tertinggal)" in text
    # Days per case on a turun indicator are a level (rata-rata): nothing reported is no
    # data ("–", not 0 and not "–%"), the target is whole.
    assert "Disetujui –, menunggu –" in text
    assert "3 dari 3 hari — capaian – (belum ada data)" in text


async def test_status_levels_are_averaged_and_never_pro_rated(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    async with org.unit() as uow:
        await uow.upsert_targets([TargetRow(STAF_B, 2026, "Penerbitan KK", "utama",
                                            "KK terbit tepat waktu", "kualitas", 95, "%")])
    staff = Chat(engine, "306", channel="test")
    await linked(staff, org, STAF_B, "ABCD2345", clock.now)
    [level] = [i for i in await read(org, lambda r: r.indicators_of(ids[STAF_B], 2026))
               if i.satuan == "%"]
    async with org.unit() as uow:
        for amount, day, decide in [(100, 3, True), (95, 9, True), (60, 10, False)]:
            report_id = await uow.submit_report(NewReport(
                level.id, ids[STAF_B], amount, "kerja", date(2026, 11, day), "test", clock.now))
            if decide:
                assert await uow.decide_report(report_id, ids[KABID], "approve", None,
                                               clock.now)
    await staff.send("/status", language="en")
    text = staff.text
    # the mean of the approved levels (97.5 %) against the whole 95 % target: on track in
    # November as in January; the pending 60 % is shown beside it, not counted
    assert "Approved 97.5 %, pending 60 %" in text
    assert "Target to date 95 of 95 % — achievement 102.6% (on track)" in text
    assert "(87.5% of the year elapsed)" in text


# --- /tinjau -------------------------------------------------------------------


async def _report(store: Store, ids: dict[str, int], nip: str, amount: float,
                  now: datetime) -> int:
    (indicator, *_) = await read(store, lambda r: r.indicators_of(ids[nip], 2026))
    async with store.unit() as uow:
        return await uow.submit_report(NewReport(
            indicator.id, ids[nip], amount, f"kegiatan {amount}", date(2026, 11, 10), "test",
            now))


async def test_tinjau_approve_reject_comment_and_tell_the_employee(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "401")
    boss = Chat(engine, "402")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    first = await _report(org, ids, STAF_A, 3, clock.now)
    second = await _report(org, ids, STAF_B, 10, clock.now)
    third = await _report(org, ids, STAF_A, 1, clock.now)

    await boss.send("/tinjau")
    assert "Laporan 1 dari 3 — Andi Pratama" in boss.question.text
    assert boss.labels == ["Setujui", "Tolak", "Komentar", "Lewati"]
    await boss.tap("Komentar")
    await boss.send("")
    assert "tidak boleh kosong" in boss.text
    await boss.send("Lampirkan daftar pemohon ya")
    assert "Komentar untuk Andi Pratama terkirim" in boss.text
    assert "Laporan 1 dari 3" in boss.question.text, "a comment keeps the report open"
    await boss.tap("Setujui")
    assert "Laporan 2 dari 3 — Dewi Lestari" in boss.question.text
    await boss.tap("Lewati")
    await boss.tap("Tolak")
    assert "alasan penolakan" in boss.text
    await boss.send("Tanggal tidak sesuai")
    assert "ditolak" in boss.text and "Selesai" in boss.text

    status = {r["id"]: r["status"] for r in await reports(org)}
    assert status == {first: "approved", second: "pending", third: "rejected"}
    async with org.reading() as r:
        decisions = [(d["action"], d["by_employee_id"], d["text"])
                     for d in await r.decisions_of(first) + await r.decisions_of(third)]
    assert decisions == [
        ("comment", ids[KABID], "Lampirkan daftar pemohon ya"),
        ("approve", ids[KABID], None),
        ("reject", ids[KABID], "Tanggal tidak sesuai"),
    ]
    feedback = [str(r["payload"]) for r in await outbox(org, "feedback")]
    assert all(r["chat_id"] == "401" for r in await outbox(org, "feedback"))
    assert len(feedback) == 3
    assert "Lampirkan daftar pemohon ya" in feedback[0]
    assert "disetujui oleh Siti Rahmawati" in feedback[1]
    assert "ditolak" in feedback[2] and "Tanggal tidak sesuai" in feedback[2]

    await boss.send("/tinjau")  # the skipped one is still waiting
    assert "Laporan 1 dari 1 — Dewi Lestari" in boss.question.text


async def test_only_the_direct_atasan_decides(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    kadis = Chat(engine, "501")
    colleague = Chat(engine, "502")
    await linked(kadis, org, KADIS, "ABCD2345", clock.now)
    await linked(colleague, org, STAF_B, "EFGH2345", clock.now)
    report_id = await _report(org, ids, STAF_A, 3, clock.now)

    await kadis.send("/tinjau")  # the atasan's atasan sees nothing
    assert "Tidak ada laporan bawahan" in kadis.text
    await colleague.send("/tinjau")
    assert "Tidak ada laporan bawahan" in colleague.text
    async with org.unit() as uow:
        for who in (KADIS, STAF_B, STAF_A):
            assert not await uow.decide_report(report_id, ids[who], "approve", None, clock.now)
        assert not await uow.decide_report(report_id, ids[KADIS], "comment", "x", clock.now)
    assert (await read(org, lambda r: r.report_by_id(report_id))).status == "pending"
    assert await read(org, lambda r: r.decisions_of(report_id)) == []


async def test_a_report_decided_meanwhile_is_not_decided_twice(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    boss = Chat(engine, "601")
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    report_id = await _report(org, ids, STAF_A, 3, clock.now)
    await boss.send("/tinjau")
    async with org.unit() as uow:
        assert await uow.decide_report(report_id, ids[KABID], "reject", "dobel", clock.now)
    await boss.tap("Setujui")
    assert "sudah tidak menunggu keputusan" in boss.text
    assert (await read(org, lambda r: r.report_by_id(report_id))).status == "rejected"


# --- /nilai --------------------------------------------------------------------


async def test_nilai_shows_citizens_evidence_and_keeps_history(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    async with org.unit() as uow:
        await uow.upsert_points([PointRow("DUK-KTP-L1", "DUK-KTP", "Loket 1 KTP-el", STAF_A)])
        point = await uow.point_by_code("DUK-KTP-L1")
        assert point is not None
        answers = [(4, 3), (3, 3), (4, 4)]  # (perilaku, kompetensi)
        await uow.insert_responses([
            NewResponse(point.id, clock.now - timedelta(days=3), "test",
                        {**dict.fromkeys(UNSUR_KEYS, 3), "perilaku": p, "kompetensi": k},
                        {}, None)
            for p, k in answers
        ] + [NewResponse(point.id, datetime(2026, 9, 1, tzinfo=UTC), "test",  # last quarter
                         dict.fromkeys(UNSUR_KEYS, 1), {}, None)])
    boss = Chat(engine, "701")
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await boss.send("/nilai")
    assert "triwulan 2026-Q4" in boss.question.text
    assert boss.labels == ["Andi Pratama — Verifikator KTP-el", "Dewi Lestari — Operator KK"]
    await boss.tap(1)
    assert "1/7 Berorientasi Pelayanan — Andi Pratama" in boss.question.text
    assert "perilaku 3,67, kompetensi 3,33 dari 4 (n = 3)" in boss.question.text
    assert boss.labels == ["Di bawah ekspektasi", "Sesuai ekspektasi", "Di atas ekspektasi"]
    await boss.tap("Di atas ekspektasi")
    for _ in BERAKHLAK_KEYS[1:]:
        await boss.tap("Sesuai ekspektasi")
    assert "Penilaian perilaku Andi Pratama triwulan 2026-Q4 tersimpan" in boss.text
    assert await read(org, lambda r: r.behaviour_of("2026-Q4", ids[STAF_A])) == {
        "berorientasi_pelayanan": "di_atas", **dict.fromkeys(BERAKHLAK_KEYS[1:], "sesuai")}

    await boss.send("/nilai")  # revise: the latest wins, the history stays
    await boss.tap(1)
    assert "Penilaian sebelumnya: Di atas ekspektasi" in boss.question.text
    for _ in BERAKHLAK_KEYS:
        await boss.tap("Di bawah ekspektasi")
    async with org.reading() as r:
        assert set((await r.behaviour_of("2026-Q4", ids[STAF_A])).values()) == {"di_bawah"}
        rows = await r.db.fetchall("SELECT rater_id FROM behaviour_ratings")
    assert len(rows) == 14 and {r["rater_id"] for r in rows} == {ids[KABID]}

    other = Chat(engine, "702")  # the officer without citizens' ratings, via Dewi
    await linked(other, org, KADIS, "ABCD2345", clock.now)
    await other.send("/nilai")
    assert other.labels == ["Siti Rahmawati, S.Sos. — Kepala Bidang"]
    await other.tap(1)
    assert "Belum ada penilaian warga" in other.question.text


async def test_nilai_without_subordinates(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "703")
    await linked(staff, org, STAF_B, "ABCD2345", clock.now)
    await staff.send("/nilai")
    assert "tidak memiliki bawahan langsung" in staff.text


async def _lapor(staff: Chat, amount: str = "2") -> None:
    await staff.send("/lapor")
    await staff.send("1")
    await staff.send(amount)
    await staff.send("Verifikasi berkas")
    await staff.tap("Lewati")
    await staff.tap("Hari ini")
    await staff.tap("Kirim")


async def test_the_approval_request_buttons_decide_from_the_push(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "901")
    boss = Chat(engine, "902")
    other_boss = Chat(engine, "903")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await linked(other_boss, org, STAF_B, "JKMN2345", clock.now)
    await _lapor(staff)
    [push] = await outbox(org, "approval")
    request = Reply.from_json(json.loads(str(push["payload"])))
    assert [c.label for c in request.choices] == ["Setujui", "Tolak", "Komentar"]
    assert all(len(c.id.encode()) <= 64 for c in request.choices)

    # Someone who is not the atasan presses the button they could never have got.
    await other_boss.tap("Setujui", reply=request)
    assert "tidak berwenang" in other_boss.text
    assert (await reports(org))[0]["status"] == "pending"

    # The atasan is in the middle of something else and taps "Tolak" on the push.
    await boss.send("/menu")
    await boss.tap("Tolak", reply=request)
    assert "Dibatalkan" not in boss.text  # the menu was left: nothing unsaved was dropped
    await boss.send("Lampirkan berita acara")
    [row] = await reports(org)
    assert row["status"] == "rejected"
    told = [r for r in await outbox(org, "feedback") if r["chat_id"] == "901"]
    assert len(told) == 1 and "Lampirkan berita acara" in str(told[0]["payload"])

    # The same push pressed again after the decision changes nothing.
    await boss.tap("Setujui", reply=request)
    assert "tidak berwenang" in boss.text or "sudah tidak menunggu" in boss.text
    assert (await reports(org))[0]["status"] == "rejected"


async def test_approve_button_decides_at_once(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff = Chat(engine, "911")
    boss = Chat(engine, "912")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await _lapor(staff)
    [push] = await outbox(org, "approval")
    request = Reply.from_json(json.loads(str(push["payload"])))
    await boss.tap("Setujui", reply=request)
    assert "disetujui" in boss.text
    assert (await reports(org))[0]["status"] == "approved"
