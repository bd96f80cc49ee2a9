"""Issue #7 through the engine on a real SQLite store: /skor explains the predikat with
kinerja.skp's own numbers, /nilaidiri beside /nilai, /usul with its decisions, the
introduction after the first /daftar, /bantuan per role, and who may see or do what."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.app.compose import build_engine
from bot.conversation.engine import Engine
from bot.conversation.flow import EngineConfig
from bot.conversation.flows.staff.score import explain
from bot.conversation.messages import Reply
from bot.conversation.ports.reports import NewReport
from bot.conversation.registry import FlowRegistry
from bot.jobs.selfassess import queue_selfassess_reminders
from bot.storage import Store
from bot.storage.employees import TargetRow
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, Predikat, Rating
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, linked, load_staff
from tests.conftest import SECRET, Chat, Clock, read

PERIOD = "2026-Q4"
NOTE = "Saya lembur tiap Sabtu untuk antrean KTP-el"
ANDI = "Andi Pratama — Verifikator KTP-el"


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    staff = await load_staff(org)
    async with org.unit() as uow:
        await uow.upsert_targets([TargetRow(STAF_A, 2026, "Sosialisasi", "tambahan",
                                            "Sosialisasi KTP-el", "kuantitas", 4, "kegiatan")])
    return staff


async def pushes(store: Store, chat_id: str) -> list[Reply]:
    rows = await read(store, lambda r: r.items())
    return [Reply.from_json(json.loads(str(r["payload"]))) for r in rows
            if r["chat_id"] == chat_id]


async def approved(store: Store, ids: dict[str, int], indicator_id: int, amount: float,
                   clock: Clock) -> None:
    async with store.unit() as uow:
        report = await uow.submit_report(NewReport(indicator_id, ids[STAF_A], amount, "x",
                                                     date(2026, 11, 10), "test", clock.now))
        assert await uow.decide_report(report, ids[KABID], "approve", None, clock.now)


async def scored_case(store: Store, ids: dict[str, int], clock: Clock) -> list[int]:
    """The hand-computed case.

    Indicators of Andi (2026): verified 13,5 of 12 dokumen (naik, utama) → 112,5 % → di atas
    (suggestion); 2 days against 3 (turun, utama) → 150 % → suggestion di atas, overridden
    di bawah by the Kabid; sosialisasi 5 of 4 (naik, tambahan) → 125 % → di atas. Two of three
    di atas but a utama is di bawah → hasil kerja Sesuai. BerAKHLAK 4 di atas, 3 sesuai →
    perilaku Di atas. Matrix (Sesuai, Di atas) → Baik.
    """
    async with store.reading() as r:
        indicators = [i.id for i in await r.indicators_of(ids[STAF_A], 2026)]
        by_name = {i.indikator: i.id for i in await r.indicators_of(ids[STAF_A], 2026)}
    await approved(store, ids, by_name["Dokumen KTP-el diverifikasi"], 13.5, clock)
    await approved(store, ids, by_name["Waktu penyelesaian"], 2, clock)
    await approved(store, ids, by_name["Sosialisasi KTP-el"], 5, clock)
    async with store.unit() as uow:
        await uow.rate_indicators(PERIOD, ids[KABID],
                                    {by_name["Waktu penyelesaian"]: "di_bawah"}, clock.now)
        await uow.rate_behaviour(PERIOD, ids[STAF_A], ids[KABID], {
            k: ("di_atas" if n < 4 else "sesuai") for n, k in enumerate(BERAKHLAK_KEYS)
        }, clock.now)
    return indicators


async def self_assess(chat: Chat, indicator_ratings: list[str], value_ratings: list[str],
                      note: str | None) -> None:
    await chat.send("/nilaidiri")
    assert "Penilaian diri triwulan 2026-Q4" in chat.text
    for label in indicator_ratings + value_ratings:
        await chat.tap(label)
    assert "Catatan singkat" in chat.text
    if note is None:
        await chat.tap("Lewati")
    else:
        await chat.send(note)
    assert "tersimpan" in chat.text


# --- /skor ---------------------------------------------------------------------------------


async def test_explanation_numbers_equal_kinerja_skp_on_a_hand_computed_case(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    await scored_case(org, ids, clock)
    async with org.reading() as r:
        employee = await r.employee_by_id(ids[STAF_A])
        assert employee is not None
        ex = await explain(r, employee, PERIOD, 2026)
    by_name = {s.indicator.indikator: s for s in ex.indicators}
    # hand-computed
    assert by_name["Dokumen KTP-el diverifikasi"].capaian == pytest.approx(112.5)
    assert by_name["Waktu penyelesaian"].capaian == pytest.approx(150.0)
    assert by_name["Sosialisasi KTP-el"].capaian == pytest.approx(125.0)
    assert [s.rating for s in ex.indicators] == [Rating.DI_ATAS, Rating.DI_BAWAH, Rating.DI_ATAS]
    assert ex.hasil is Rating.SESUAI and ex.utama_blocked
    assert ex.perilaku is Rating.DI_ATAS and ex.predikat is Predikat.BAIK
    # and kinerja.skp's own functions agree
    for s in ex.indicators:
        assert s.capaian == skp.capaian(s.indicator.target, s.realisasi, s.indicator.arah)
        assert s.suggestion == skp.suggest_rating(s.capaian)
    assert ex.hasil == skp.hasil_kerja([(s.rating, s.indicator.jenis == "utama")
                                        for s in ex.indicators if s.rating])
    assert ex.perilaku == skp.perilaku(ex.values)
    assert ex.predikat == skp.PREDIKAT_MATRIX[(Rating.SESUAI, Rating.DI_ATAS)]

    chat = Chat(engine, "401")
    await linked(chat, org, STAF_A, "ABCD2345", clock.now)
    await chat.send("/skor")
    assert len(chat.last) >= 5, "split into readable messages"
    text = chat.text
    for number in ("112,5%", "150%", "125%", "13,5 dokumen", "2 hari"):
        assert number in text, number
    assert text.count("saran sistem") == 2
    assert "penilaian Siti Rahmawati, S.Sos., 16/11/2026" in text
    assert "2 di atas, 0 sesuai, 1 di bawah ekspektasi dari 3 indikator" in text
    assert "ada indikator utama di bawah ekspektasi" in text
    assert "Hasil kerja: Sesuai ekspektasi" in text
    assert "Perilaku: Di atas ekspektasi" in text
    assert "baris hasil kerja Sesuai ekspektasi × kolom perilaku Di atas ekspektasi" in text
    assert "Predikat: Baik" in text


async def test_skor_pick_list_holds_only_people_below(
    org: Store, ids: dict[str, int], clock: Clock
) -> None:
    for second_level in (False, True):
        engine = build_engine(org, EngineConfig(secret_key=SECRET,
                                                review_by_second_level=second_level),
                              clock=clock)
        kadis = Chat(engine, f"41{int(second_level)}")
        await linked(kadis, org, KADIS, "KDSB2345" if second_level else "KDSC2345", clock.now)
        await kadis.send("/skor")
        expected = ["Saya sendiri", "Siti Rahmawati, S.Sos. — Kepala Bidang"]
        if second_level:
            expected[1:1] = [ANDI]
            expected.append("Dewi Lestari — Operator KK")
        assert sorted(kadis.labels) == sorted(expected)
    colleague = Chat(engine, "412")
    await linked(colleague, org, STAF_B, "DEWX2345", clock.now)
    await colleague.send("/skor")
    assert "Skor Dewi Lestari" in colleague.text and "Andi" not in colleague.text


# --- /nilaidiri beside /nilai, and who reads the note ---------------------------------------


async def test_self_assessment_beside_the_atasan_rating_and_the_note_only_for_the_atasan(
    org: Store, ids: dict[str, int], clock: Clock
) -> None:
    engine = build_engine(org, EngineConfig(secret_key=SECRET, review_by_second_level=True),
                          clock=clock)
    await scored_case(org, ids, clock)
    andi = Chat(engine, "421")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    # indicators: Sesuai, Di atas (atasan: di bawah → two apart), Sesuai;
    # values: Di bawah for Berorientasi Pelayanan (atasan: di atas → two apart), then Sesuai.
    await self_assess(andi, ["Sesuai", "Di atas", "Sesuai"], ["Di bawah"] + ["Sesuai"] * 6,
                      NOTE)
    own = await read(org, lambda r: r.self_assessment_of(PERIOD, ids[STAF_A]))
    assert own is not None and own.note == NOTE
    assert own.ratings["v:berorientasi_pelayanan"] == "di_bawah"
    assert len(own.ratings) == 10

    boss = Chat(engine, "422")
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await boss.send("/nilai")
    await boss.tap(ANDI)
    assert "sudah menilai diri sendiri" in boss.text
    assert NOTE in boss.text, "the direct atasan reads the note"
    assert "Penilaian diri pegawai: Di bawah ekspektasi" in boss.question.text
    for _ in BERAKHLAK_KEYS:
        await boss.tap("Di atas ekspektasi")
    await boss.tap("Ubah per indikator")
    assert "Penilaian diri pegawai: Sesuai ekspektasi" in boss.question.text
    await boss.tap("Pakai saran")
    assert "Penilaian diri pegawai: Di atas ekspektasi" in boss.question.text
    await boss.tap("Di bawah")
    await boss.tap("Pakai saran")
    assert "tersimpan" in boss.text

    await boss.send("/skor")
    await boss.tap(ANDI)
    assert NOTE in boss.text
    assert boss.text.count("beda dua tingkat") == 2
    # The team summary names the gap (a conversation worth having), never the note.
    await boss.send("/ringkasan")
    assert "berbeda dua tingkat" in boss.text
    assert "• Andi Pratama: 2 butir" in boss.text
    assert NOTE not in boss.text
    from bot.jobs.weekly import ScheduleConfig, plan_summaries
    from kinerja.periods import JAKARTA, period_of

    week = period_of("week", clock.now, JAKARTA)
    async with org.reading() as r:
        pushes = await plan_summaries(r, week, clock.now, ScheduleConfig(tz=JAKARTA))
    [weekly] = [p for p in pushes if p.nip == KABID]
    assert "• Andi Pratama: 2 butir" in weekly.reply.text and NOTE not in weekly.reply.text

    kadis = Chat(engine, "423")  # the atasan's atasan may rate, but not read the note
    await linked(kadis, org, KADIS, "KDSA2345", clock.now)
    await kadis.send("/nilai")
    await kadis.tap(ANDI)
    assert "sudah menilai diri sendiri" in kadis.text and NOTE not in kadis.text
    await kadis.send("/skor")
    await kadis.tap(ANDI)
    assert "Skor Andi Pratama" in kadis.text and NOTE not in kadis.text

    await andi.send("/skor")
    assert NOTE not in andi.text and "beda dua tingkat" in andi.text
    assert "\n  penilaian diri: " in andi.text, "indented under its indicator (issue 14)"
    dewi = Chat(engine, "424")
    await linked(dewi, org, STAF_B, "DEWX2345", clock.now)
    await dewi.send("/skor")
    assert NOTE not in dewi.text and "Andi" not in dewi.text
    outbox = str(await read(org, lambda r: r.items()))
    assert NOTE not in outbox, "the note is never pushed anywhere"


async def test_self_assessment_history_kept_latest_wins_and_closed_period_refuses(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi = Chat(engine, "431")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await self_assess(andi, ["Sesuai"] * 3, ["Sesuai"] * 7, None)
    await andi.send("/nilaidiri")
    for _ in range(10):
        await andi.tap("Di atas")
    await andi.send("x" * 301)
    assert "301 karakter" in andi.text
    await andi.tap("Lewati")
    rows = await read(org, lambda r: r.db.fetchall("SELECT * FROM self_assessments"))
    assert len(rows) == 2
    own = await read(org, lambda r: r.self_assessment_of(PERIOD, ids[STAF_A]))
    assert own is not None and set(own.ratings.values()) == {"di_atas"} and own.note is None
    async with org.unit() as uow:
        await uow.close_period(PERIOD, None, clock.now)
    await andi.send("/nilaidiri")
    assert "sudah ditutup" in andi.text
    assert len(await read(org, lambda r: r.db.fetchall("SELECT * FROM self_assessments"))) == 2


async def test_reminder_in_the_last_week_once_per_employee_and_period(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, config: EngineConfig
) -> None:
    andi, dewi = Chat(engine, "441"), Chat(engine, "442")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(dewi, org, STAF_B, "DEWX2345", clock.now)
    tz = config.timezone
    assert await queue_selfassess_reminders(org, clock.now, tz) == 0, "mid-quarter: nothing"
    await self_assess(dewi, ["Sesuai"], ["Sesuai"] * 7, None)
    late = datetime(2026, 12, 26, 3, 0, tzinfo=UTC)
    assert await queue_selfassess_reminders(org, late, tz) == 1
    assert await queue_selfassess_reminders(org, late, tz) == 0, "deduplicated"
    (reminder,) = [r for r in await read(org, lambda r: r.items()) if r["kind"] == "reminder"]
    assert reminder["chat_id"] == "441"
    assert reminder["dedup_key"] == f"selfassess:{ids[STAF_A]}:{PERIOD}:test"
    assert "/nilaidiri" in str(reminder["payload"]) and "6 hari" in str(reminder["payload"])


# --- /usul -----------------------------------------------------------------------------------


async def propose_new(chat: Chat) -> None:
    await chat.send("/usul")
    await chat.tap("Indikator baru")
    await chat.send("Layanan jemput bola")
    await chat.send("Perekaman KTP-el di desa")
    await chat.tap("utama")
    await chat.tap("kuantitas")
    await chat.send("kegiatan")
    await chat.tap(1)  # naik
    await chat.send("-1")
    assert "tidak boleh negatif" in chat.text
    await chat.send("6")
    await chat.tap("Lewati")
    assert "Perekaman KTP-el di desa (utama, kuantitas)" in chat.question.text
    await chat.tap("Kirim")
    assert "menunggu keputusan atasan" in chat.text


async def test_proposing_a_new_indicator_and_the_atasan_accepts(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, boss = Chat(engine, "501"), Chat(engine, "502")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    before = len(await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026)))
    await propose_new(andi)
    assert len(await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))) == before, (
        "not before a decision")
    (push,) = await pushes(org, "502")
    assert "Usulan SKP dari Andi Pratama" in push.text
    assert [c.label for c in push.choices] == ["Terima", "Ubah target", "Tolak"]
    await boss.tap("Terima", reply=push)
    assert "diterima" in boss.text
    new = [i for i in await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
           if i.indikator == "Perekaman KTP-el di desa"]
    assert len(new) == 1 and new[0].target == 6 and new[0].jenis == "utama"
    (history,) = await read(org, lambda r: r.target_history(new[0].id))
    assert (history["old_target"], history["new_target"], history["by_employee_id"]) == (
        None, 6, ids[KABID])
    (proposal,) = await read(org, lambda r: r.db.fetchall("SELECT * FROM proposals"))
    assert proposal["status"] == "accepted" and proposal["decided_at"]
    assert [e["action"] for e in await read(org, lambda r: r.proposal_events(proposal["id"]))] == [
        "propose", "accept"]
    assert any("menerima usulan Anda" in r.text for r in await pushes(org, "501"))
    await boss.tap("Terima", reply=push)  # once decided, the button does nothing more
    assert "sudah diputuskan" in boss.text
    assert len(await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))) == before + 1


async def test_changing_a_target_edited_by_the_atasan_and_agreed(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, boss = Chat(engine, "511"), Chat(engine, "512")
    dewi, kadis = Chat(engine, "513"), Chat(engine, "514")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await linked(dewi, org, STAF_B, "DEWX2345", clock.now)
    await linked(kadis, org, KADIS, "KDSA2345", clock.now)
    await andi.send("/usul")
    await andi.tap("Ubah target")
    await andi.tap("Dokumen KTP-el diverifikasi (12 dokumen)")
    await andi.send("20")
    await andi.send("Antrean naik sejak pindah gedung")
    assert "12 → 20 dokumen" in andi.question.text
    await andi.tap("Kirim")
    (push,) = await pushes(org, "512")

    await kadis.tap("Terima", reply=push)  # the atasan's atasan does not decide
    assert "tidak berwenang" in kadis.text
    await andi.tap("Terima", reply=push)  # nor the employee
    assert "tidak berwenang" in andi.text

    await boss.tap("Ubah target", reply=push)
    await boss.send("banyak")
    assert "angka" in boss.text
    await boss.send("16")
    assert "dikirim kepada Andi Pratama" in boss.text
    counter = (await pushes(org, "511"))[-1]
    assert "Target dari atasan: 16 dokumen" in counter.text
    assert [c.label for c in counter.choices] == ["Setuju", "Tidak setuju"]
    await dewi.tap("Setuju", reply=counter)  # a colleague cannot agree for Andi
    assert "tidak berwenang" in dewi.text

    await andi.tap("Tidak setuju", reply=counter)
    again = (await pushes(org, "512"))[-1]
    assert "tidak setuju dengan target 16" in again.text
    await boss.tap("Ubah target", reply=again)
    await boss.send("18")
    counter = (await pushes(org, "511"))[-1]
    await andi.tap("Setuju", reply=counter)
    assert "target 18 dokumen berlaku" in andi.text
    indicator = next(i for i in await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
                     if i.indikator == "Dokumen KTP-el diverifikasi")
    assert indicator.target == 18
    (history,) = await read(org, lambda r: r.target_history(indicator.id))
    assert (history["old_target"], history["new_target"], history["reason"]) == (
        12, 18, "Antrean naik sejak pindah gedung")
    (proposal,) = await read(org, lambda r: r.db.fetchall("SELECT * FROM proposals"))
    assert [(e["action"], e["by_employee_id"], e["target"])
            for e in await read(org, lambda r: r.proposal_events(proposal["id"]))] == [
        ("propose", ids[STAF_A], 20), ("counter", ids[KABID], 16),
        ("disagree", ids[STAF_A], None), ("counter", ids[KABID], 18),
        ("agree", ids[STAF_A], None)]
    assert any("setuju dengan target 18" in r.text for r in await pushes(org, "512"))
    await andi.tap("Setuju", reply=counter)  # already applied: nothing happens twice
    assert "sudah diputuskan" in andi.text
    assert len(await read(org, lambda r: r.target_history(indicator.id))) == 1
    # The change stays visible where the score is explained.
    await andi.send("/skor")
    assert "Target diubah 12 → 18 oleh Andi Pratama" in andi.text
    assert "Antrean naik sejak pindah gedung" in andi.text


async def test_declining_tells_the_employee_and_nobody_proposes_for_another(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    dewi, boss = Chat(engine, "521"), Chat(engine, "522")
    await linked(dewi, org, STAF_B, "DEWX2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await dewi.send(f"/usul {STAF_A}")  # an argument never makes it someone else's proposal
    await dewi.tap("Ubah target")
    assert dewi.labels == ["KK diterbitkan (100 dokumen)"], "only her own indicators"
    await dewi.tap(1)
    await dewi.send("80")
    await dewi.send("Blanko terbatas")
    await dewi.tap("Kirim")
    (proposal,) = await read(org, lambda r: r.db.fetchall("SELECT * FROM proposals"))
    assert proposal["employee_id"] == ids[STAF_B]
    (push,) = await pushes(org, "522")
    await boss.tap("Tolak", reply=push)
    await boss.send("Target sudah disepakati di awal tahun")
    assert "ditolak" in boss.text
    told = (await pushes(org, "521"))[-1]
    assert "menolak usulan Anda" in told.text
    assert "Alasan: Target sudah disepakati di awal tahun" in told.text
    (row,) = await read(org, lambda r: r.db.fetchall("SELECT * FROM proposals"))
    assert row["status"] == "declined"
    assert (await read(org, lambda r: r.indicators_of(ids[STAF_B], 2026)))[0].target == 100
    # storage refuses steps by anyone but the right person, whatever a flow would do
    async with org.unit() as uow:
        assert await uow.act_on_proposal(row["id"], ids[KABID], "accept", clock.now) is None
        assert await uow.act_on_proposal(row["id"], ids[STAF_B], "agree", clock.now) is None


# --- introduction and /bantuan -------------------------------------------------------------


async def test_intro_shown_once_and_skippable(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    chat = Chat(engine, "601")
    await linked(chat, org, STAF_A, "ABCD2345", clock.now)
    assert "Perkenalan singkat (1/4)" in chat.text
    assert chat.labels == ["Lanjut", "Lewati"]
    first = chat.question
    await chat.tap("Lanjut")
    assert "(2/4)" in chat.text
    await chat.tap("Lanjut")
    assert "(3/4)" in chat.text and "hanya oleh atasan langsung" in chat.text
    await chat.tap("Lewati")
    assert "Perkenalan dilewati" in chat.text
    await chat.send("/status")  # nothing is left hanging
    assert "Capaian Andi Pratama" in chat.text

    again = Chat(engine, "602")  # linking again (a new code, another chat): no introduction
    await linked(again, org, STAF_A, "EFGH2345", clock.now)
    assert "Perkenalan" not in again.text and "/lapor" in again.text
    citizen = Chat(engine, "603")  # another chat presses the first page's button
    await citizen.tap("Lanjut", reply=first)
    assert "(2/4)" not in citizen.text and citizen.last[0].refuses_choice


@pytest.mark.parametrize(("nip", "expected", "absent"), [
    (None, "Cara memakai layanan ini", "/lapor"),
    (STAF_A, "Bantuan pegawai", "/tinjau"),
    (KABID, "Bantuan atasan", "Cara memakai"),
])
async def test_bantuan_per_role(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock,
    nip: str | None, expected: str, absent: str,
) -> None:
    chat = Chat(engine, "700")
    if nip:
        await linked(chat, org, nip, "HEMP2345", clock.now)
    await chat.send("/bantuan")
    assert expected in chat.text and absent not in chat.text
    if nip == KABID:
        for command in ("/tinjau", "/nilai", "/skor", "/ringkasan"):
            assert command in chat.text


async def test_engine_help_provider_is_optional_and_consulted(
    org: Store, config: EngineConfig, clock: Clock
) -> None:
    flows = build_engine(org, config).registry.flows.values()
    plain = Engine(org, config, FlowRegistry(flows, home="menu", payload="survey"), clock=clock)
    chat = Chat(plain, "710")
    await chat.send("/bantuan")
    assert "Cara memakai layanan ini" in chat.text

    async def provider(ctx: object) -> str | None:
        return "khusus"

    custom = Engine(
        org, config,
        FlowRegistry(flows, home="menu", payload="survey", help_provider=provider),
        clock=clock,
    )
    chat = Chat(custom, "711")
    await chat.send("/bantuan")
    assert chat.text == "khusus"


async def test_reported_amounts_are_approved_and_pending_reports_in_work_order(
    org: Store, ids: dict[str, int], clock: Clock
) -> None:
    """What kinerja.skp.progress adds up: approved (and, apart, pending) reports by work date
    then report id (what agregasi terakhir goes by), per indicator of that year; rejected
    reports never appear."""
    docs, waktu, _ = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    async with org.unit() as uow:
        made = {}
        for key, indicator, amount, day, action in [
            ("late", docs, 5, date(2026, 11, 12), "approve"),
            ("early", docs, 3, date(2026, 11, 2), "approve"),
            ("same_day", docs, 4, date(2026, 11, 12), "approve"),
            ("rejected", docs, 9, date(2026, 11, 3), "reject"),
            ("pending", docs, 7, date(2026, 11, 4), None),
            ("waktu", waktu, 2.5, date(2026, 11, 5), "approve"),
        ]:
            made[key] = await uow.submit_report(NewReport(
                indicator.id, ids[STAF_A], amount, "x", day, "test", clock.now))
            if action:
                assert await uow.decide_report(made[key], ids[KABID], action, "ok", clock.now)
    found = await read(org, lambda r: r.reported_amounts(ids[STAF_A], 2026))
    amounts = {key: value.approved for key, value in found.items()}
    assert amounts == {
        docs.id: [skp.ReportedAmount(3, date(2026, 11, 2), made["early"]),
                  skp.ReportedAmount(5, date(2026, 11, 12), made["late"]),
                  skp.ReportedAmount(4, date(2026, 11, 12), made["same_day"])],
        waktu.id: [skp.ReportedAmount(2.5, date(2026, 11, 5), made["waktu"])],
    }
    assert found[docs.id].pending == [skp.ReportedAmount(7, date(2026, 11, 4), made["pending"])]
    assert await read(org, lambda r: r.reported_amounts(ids[STAF_A], 2025)) == {}
    assert await read(org, lambda r: r.reported_amounts(ids[STAF_B], 2026)) == {}
    assert skp.realisasi(amounts[docs.id], "terakhir") == 4, "the latest: same day, later id"
