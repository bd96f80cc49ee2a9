"""/tinjau, /nilai, /skor, /nilaidiri and /usul with its decisions, through the engine on a
real SQLite store, in Indonesian and in English (``/bahasa en``).

For each flow: the main path and what it stores; a button of an earlier question tapped
(refused, the current question asked again, nothing stored); a typed answer that is not
acceptable (a clear reason, then the same question). For proposals, every row of
``kinerja.proposals.TRANSITIONS`` is taken by the person the table names, through the buttons
they were pushed, and every other (status, action, person, button) is refused with nothing
stored. Buttons already sitting in people's chats keep working: their ids are checked
literally.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.conversation.engine import Engine
from bot.conversation.flow import action_choice
from bot.conversation.messages import Inbound, InboundKind, Reply
from bot.conversation.ports.reports import NewReport
from bot.storage import Store
from kinerja.models import BERAKHLAK_KEYS
from kinerja.proposals import TRANSITIONS, ProposalAction, ProposalStatus, Role, Transition
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, linked, load_staff
from tests.conftest import Chat, Clock, read, write

LANGUAGES = ("id", "en")
ANDI = "Andi Pratama — Verifikator KTP-el"
CODES = {STAF_A: "ABCD2345", KABID: "EFGH2345", KADIS: "JKMN2345", STAF_B: "PQRS2345"}
CHATS = {STAF_A: "601", KABID: "602", KADIS: "603", STAF_B: "604"}

#: what each language says, as a person reads it
SAYS: dict[str, dict[str, str]] = {
    "id": {
        "stale": "Tombol itu dari pertanyaan sebelumnya dan sudah tidak berlaku.",
        "pick_3": "Mohon pilih salah satu: ketik angka 1–3 atau tekan tombolnya.",
        "pick_4": "Mohon pilih salah satu: ketik angka 1–4 atau tekan tombolnya.",
        "empty": "Teks tidak boleh kosong.",
        "review_1": "Laporan 1 dari 2 — Andi Pratama",
        "review_2": "Laporan 2 dari 2 — Andi Pratama",
        "evidence_pending": "• Bukti: foto (bukti belum terunduh)",
        "evidence_none": "• Bukti: tanpa bukti",
        "review_buttons": "Setujui|Tolak|Komentar|Lewati",
        "approve": "Setujui", "reject": "Tolak",
        "approved": "Laporan Andi Pratama disetujui.",
        "reason": "Tulis alasan penolakan (maksimal 500 karakter).",
        "rejected": "Laporan Andi Pratama ditolak.",
        "review_done": "Selesai: tidak ada lagi laporan yang menunggu.",
        "told_rejected": "ditolak oleh Siti Rahmawati, S.Sos.. Alasan: Tanggal tidak sesuai",
        "rating_who": "Penilaian perilaku kerja (BerAKHLAK) triwulan 2026-Q4. Pilih pegawai:",
        "value_1": "1/7 Berorientasi Pelayanan — Andi Pratama (2026-Q4)",
        "value_2": "2/7 Akuntabel — Andi Pratama (2026-Q4)",
        "meets_long": "Sesuai ekspektasi",
        "behaviour_saved": "Penilaian perilaku Andi Pratama triwulan 2026-Q4 tersimpan",
        "hk_docs": "• Dokumen KTP-el diverifikasi: target 12 dokumen, realisasi disetujui "
                   "6 dokumen, capaian 50% — saran: Di bawah ekspektasi",
        "hk_waktu": "• Waktu penyelesaian: target 3 hari, realisasi disetujui – hari, "
                    "capaian – — saran: belum ada data",
        "hk_edit": "Ubah per indikator",
        "hk_item_1": "1/2 Dokumen KTP-el diverifikasi — Andi Pratama (2026-Q4)",
        "hk_item_buttons": "Di bawah|Sesuai|Di atas|Pakai saran",
        "meets": "Sesuai", "use_suggestion": "Pakai saran",
        "hk_saved": "Penilaian hasil kerja Andi Pratama triwulan 2026-Q4 tersimpan:\n"
                    "• Dokumen KTP-el diverifikasi: Sesuai ekspektasi\n"
                    "• Waktu penyelesaian: belum ada data",
        "score_who": "Skor siapa yang ingin Anda lihat?",
        "score_header": "📐 Skor Andi Pratama — triwulan 2026-Q4 (SKP 2026)",
        "score_docs": "Target 12 dokumen, realisasi disetujui 6 dokumen, capaian 50%\n"
                      "  → Di bawah ekspektasi (saran sistem dari capaian)",
        "score_waktu": "Target 3 hari, realisasi disetujui – hari, capaian –\n"
                       "  → belum dinilai (belum ada data, tidak dihitung)",
        "score_hasil": "0 di atas, 0 sesuai, 1 di bawah ekspektasi dari 1 indikator",
        "self_intro": "Penilaian diri triwulan 2026-Q4: 9 butir",
        "self_1": "1/9 Dokumen KTP-el diverifikasi\n• Target: 12 dokumen\n"
                  "• Realisasi disetujui: 6 dokumen\n• Capaian: 50%",
        "self_2": "2/9 Waktu penyelesaian\n• Target: 3 hari\n"
                  "• Realisasi disetujui: – hari\n• Capaian: –",
        "self_3": "3/9 Berorientasi Pelayanan",
        "note": "Catatan singkat untuk atasan langsung",
        "too_long": "Teks Anda 301 karakter, melebihi batas 300.",
        "skip": "Lewati",
        "self_saved": "Penilaian diri triwulan 2026-Q4 tersimpan.",
        "usul_kind": "Apa yang ingin Anda usulkan untuk SKP Anda?",
        "new": "Indikator baru", "change": "Ubah target",
        "rhk": "Rencana hasil kerja (RHK) untuk indikator ini? (maksimal 200 karakter)",
        "target_q": "Target setahun, dalam kegiatan?",
        "not_a_number": "Mohon ketik angka saja, mis. 12 atau 2,5.",
        "confirm_new": "• Target: 6 kegiatan, arah naik (makin banyak makin baik)",
        "send": "Kirim",
        "sent": "Usulan terkirim dan menunggu keputusan atasan langsung.",
        "pick_indicator": "Dokumen KTP-el diverifikasi (12 dokumen)",
        "atasan_buttons": "Terima|Ubah target|Tolak",
        "employee_buttons": "Setuju|Tidak setuju",
        "accept": "Terima", "counter": "Ubah target", "decline": "Tolak",
        "agree": "Setuju", "disagree": "Tidak setuju",
        "done_accept": "Usulan Andi Pratama diterima dan sudah menjadi bagian SKP.",
        "done_counter": "Target baru dikirim kepada Andi Pratama untuk disetujui.",
        "done_decline": "Usulan Andi Pratama ditolak; Andi Pratama sudah diberi tahu.",
        "done_agree": "Disepakati: target 16 dokumen berlaku.",
        "done_disagree": "Jawaban Anda dikirim; atasan akan memutuskan lagi.",
        "counter_q": "Ketik target yang Anda usulkan, dalam dokumen.",
        "negative": "Jumlah tidak boleh negatif.",
        "decline_reason": "Tulis alasan penolakan (maksimal 300 karakter).",
        "refused": "Maaf, Anda tidak berwenang atas usulan ini, atau usulan ini sudah "
                   "diputuskan. Tidak ada yang disimpan.",
    },
    "en": {
        "stale": "That button belongs to an earlier question and no longer works.",
        "pick_3": "Please pick one option: type a number 1–3 or tap its button.",
        "pick_4": "Please pick one option: type a number 1–4 or tap its button.",
        "empty": "The text cannot be empty.",
        "review_1": "Report 1 of 2 — Andi Pratama",
        "review_2": "Report 2 of 2 — Andi Pratama",
        "evidence_pending": "• Evidence: photo (evidence not downloaded yet)",
        "evidence_none": "• Evidence: no evidence",
        "review_buttons": "Approve|Reject|Comment|Skip",
        "approve": "Approve", "reject": "Reject",
        "approved": "Report of Andi Pratama approved.",
        "reason": "Write the reason for rejecting (at most 500 characters).",
        "rejected": "Report of Andi Pratama rejected.",
        "review_done": "Done: no more reports waiting.",
        "told_rejected": "was rejected by Siti Rahmawati, S.Sos.. Reason: Tanggal tidak sesuai",
        "rating_who": "Work behaviour rating (BerAKHLAK), quarter 2026-Q4. Choose an employee:",
        "value_1": "1/7 Berorientasi Pelayanan — Andi Pratama (2026-Q4)",
        "value_2": "2/7 Akuntabel — Andi Pratama (2026-Q4)",
        "meets_long": "Meets expectations",
        "behaviour_saved": "Behaviour rating of Andi Pratama for 2026-Q4 saved",
        "hk_docs": "• Dokumen KTP-el diverifikasi: target 12 dokumen, approved 6 dokumen, "
                   "achievement 50% — suggested: Below expectations",
        "hk_waktu": "• Waktu penyelesaian: target 3 hari, approved – hari, achievement – — "
                    "suggested: no data yet",
        "hk_edit": "Change per indicator",
        "hk_item_1": "1/2 Dokumen KTP-el diverifikasi — Andi Pratama (2026-Q4)",
        "hk_item_buttons": "Below|Meets|Above|Use suggestion",
        "meets": "Meets", "use_suggestion": "Use suggestion",
        "hk_saved": "Work result ratings of Andi Pratama for 2026-Q4 saved:\n"
                    "• Dokumen KTP-el diverifikasi: Meets expectations\n"
                    "• Waktu penyelesaian: no data yet",
        "score_who": "Whose score do you want to see?",
        "score_header": "📐 Score of Andi Pratama — quarter 2026-Q4 (SKP 2026)",
        "score_docs": "Target 12 dokumen, approved 6 dokumen, achievement 50%\n"
                      "  → Below expectations (system suggestion from achievement)",
        "score_waktu": "Target 3 hari, approved – hari, achievement –\n"
                       "  → not rated (no data yet, not counted)",
        "score_hasil": "0 above, 0 meeting, 1 below expectations out of 1 rated indicators",
        "self_intro": "Self-assessment for 2026-Q4: 9 items",
        "self_1": "1/9 Dokumen KTP-el diverifikasi\n• Target: 12 dokumen\n"
                  "• Approved so far: 6 dokumen\n• Achievement: 50%",
        "self_2": "2/9 Waktu penyelesaian\n• Target: 3 hari\n"
                  "• Approved so far: – hari\n• Achievement: –",
        "self_3": "3/9 Berorientasi Pelayanan",
        "note": "A short note for your direct supervisor",
        "too_long": "Your text has 301 characters, over the limit of 300.",
        "skip": "Skip",
        "self_saved": "Self-assessment for 2026-Q4 saved.",
        "usul_kind": "What do you want to propose for your SKP?",
        "new": "New indicator", "change": "Change target",
        "rhk": "Planned work result (RHK) for this indicator? (at most 200 characters)",
        "target_q": "Target for the year, in kegiatan?",
        "not_a_number": "Please type a number only, e.g. 12 or 2.5.",
        "confirm_new": "• Target: 6 kegiatan, direction up (more is better)",
        "send": "Send",
        "sent": "Proposal sent; it awaits your direct supervisor's decision.",
        "pick_indicator": "Dokumen KTP-el diverifikasi (12 dokumen)",
        "atasan_buttons": "Accept|Change target|Decline",
        "employee_buttons": "Agree|Disagree",
        "accept": "Accept", "counter": "Change target", "decline": "Decline",
        "agree": "Agree", "disagree": "Disagree",
        "done_accept": "Proposal of Andi Pratama accepted; it is now part of the SKP.",
        "done_counter": "The new target was sent to Andi Pratama for agreement.",
        "done_decline": "Proposal of Andi Pratama declined; Andi Pratama has been told.",
        "done_agree": "Agreed: the target 16 dokumen applies.",
        "done_disagree": "Your answer was sent; your supervisor will decide again.",
        "counter_q": "Type the target you suggest, in dokumen.",
        "negative": "The amount cannot be negative.",
        "decline_reason": "Write the reason for rejecting (at most 300 characters).",
        "refused": "Sorry, you may not act on this proposal, or it has already been decided. "
                   "Nothing was saved.",
    },
}


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    return await load_staff(org)


async def person(engine: Engine, store: Store, nip: str, clock: Clock, lang: str) -> Chat:
    """The chat of ``nip``, linked, speaking ``lang``."""
    chat = Chat(engine, CHATS[nip])
    await linked(chat, store, nip, CODES[nip], clock.now)
    if lang == "en":
        await chat.send("/bahasa en")
    return chat


def asked(chat: Chat) -> str:
    """The last thing the bot said: the question asked (with or without buttons)."""
    return chat.last[-1].text


def labels(reply: Reply) -> str:
    return "|".join(c.label for c in reply.choices)


async def pushes(store: Store, nip: str) -> list[Reply]:
    rows = await read(store, lambda r: r.items())
    return [Reply.from_json(json.loads(str(r["payload"]))) for r in rows
            if r["chat_id"] == CHATS[nip]]


async def press(chat: Chat, choice_id: str) -> list[Reply]:
    """Press a button by its id, as a platform hands it back (a pushed message's button)."""
    inbound = Inbound(chat.channel, chat.chat_id, InboundKind.CHOICE, choice_id=choice_id,
                      message_id=chat._id(None))
    chat.last = await chat.engine.handle(inbound)
    return chat.last


async def report(store: Store, ids: dict[str, int], amount: float, clock: Clock, *,
                 approved: bool = False, indicator: int = 0) -> int:
    """A report of Andi's on his ``indicator``-th indicator (approved by the Kabid)."""
    chosen = (await read(store, lambda r: r.indicators_of(ids[STAF_A], 2026)))[indicator]
    async with store.unit() as uow:
        report_id = await uow.submit_report(NewReport(
            chosen.id, ids[STAF_A], amount, "verifikasi berkas", date(2026, 11, 10), "test",
            clock.now))
        if approved:
            assert await uow.decide_report(report_id, ids[KABID], "approve", None, clock.now)
    return report_id


async def status_of(store: Store, report_id: int) -> str:
    found = await read(store, lambda r: r.report_by_id(report_id))
    assert found is not None
    return found.status


# --- /tinjau ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_tinjau_shows_the_evidence_state_decides_and_refuses_old_buttons(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    says = SAYS[lang]
    await person(engine, org, STAF_A, clock, lang)  # to be told
    boss = await person(engine, org, KABID, clock, lang)
    first = await report(org, ids, 3, clock)
    second = await report(org, ids, 2, clock)
    await write(org, lambda u: u.db.execute(  # a photo whose download is still to come
        "UPDATE progress_reports SET evidence_kind = 'photo', evidence_ref = 'file-1',"
        " evidence_status = 'pending' WHERE id = ?", (first,)))

    await boss.send("/tinjau")
    question = boss.question
    assert says["review_1"] in question.text and says["evidence_pending"] in question.text
    assert labels(question) == says["review_buttons"]
    await boss.send("9")  # not one of the four
    assert boss.last[0].text == says["pick_4"]
    assert boss.question.text == question.text, "the same question again"

    await boss.tap(says["approve"])
    assert says["approved"] in boss.text
    assert says["review_2"] in boss.question.text and says["evidence_none"] in boss.question.text
    await boss.tap(says["reject"], reply=question)  # the first report's button, again
    assert boss.last[0].text == says["stale"]
    assert says["review_2"] in boss.question.text
    assert await read(org, lambda r: r.decisions_of(second)) == [], "nothing stored"

    await boss.tap(says["reject"])
    assert asked(boss) == says["reason"]
    await boss.send("   ")
    assert boss.last[0].text == says["empty"] and asked(boss) == says["reason"]
    await boss.send("Tanggal tidak sesuai")
    assert says["rejected"] in boss.text and says["review_done"] in boss.text

    assert [await status_of(org, i) for i in (first, second)] == ["approved", "rejected"]
    assert [(d["action"], d["by_employee_id"], d["text"])
            for d in await read(org, lambda r: r.decisions_of(second))] == [
        ("reject", ids[KABID], "Tanggal tidak sesuai")]
    told = await pushes(org, STAF_A)
    assert len(told) == 2 and says["told_rejected"] in told[-1].text


async def test_an_approval_request_pushed_earlier_still_decides(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    """Buttons already in the atasan's chat carry ``!review:<id>:<action>``."""
    boss = await person(engine, org, KABID, clock, "id")
    report_id = await report(org, ids, 3, clock)
    await press(boss, f"!review:{report_id}:approve")
    assert "Laporan Andi Pratama disetujui." in boss.text
    assert await status_of(org, report_id) == "approved"
    await press(boss, f"!review:{report_id}:reject")  # decided already
    assert "sudah tidak menunggu keputusan" in boss.text


# --- /nilai ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_nilai_behaviour_then_results_with_the_rules_numbers(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    says = SAYS[lang]
    await report(org, ids, 6, clock, approved=True)
    boss = await person(engine, org, KABID, clock, lang)
    await boss.send("/nilai")
    who = boss.question
    assert who.text == says["rating_who"] and ANDI in labels(who)
    await boss.tap(ANDI)
    first = boss.question
    assert first.text.startswith(says["value_1"])
    await boss.send("lima")
    assert boss.last[0].text == says["pick_3"] and boss.question.text == first.text
    await boss.tap(says["meets_long"])
    assert boss.question.text.startswith(says["value_2"])
    await boss.tap(ANDI, reply=who)  # the pick list, long gone
    assert boss.last[0].text == says["stale"]
    assert boss.question.text.startswith(says["value_2"]), "still at the second value"
    for _ in BERAKHLAK_KEYS[1:]:
        await boss.tap(says["meets_long"])
    assert says["behaviour_saved"] in boss.text
    assert await read(org, lambda r: r.behaviour_of("2026-Q4", ids[STAF_A])) == dict.fromkeys(
        BERAKHLAK_KEYS, "sesuai")

    summary = boss.question.text
    assert says["hk_docs"] in summary and says["hk_waktu"] in summary
    await boss.tap(says["hk_edit"])
    assert boss.question.text.startswith(says["hk_item_1"])
    assert labels(boss.question) == says["hk_item_buttons"]
    await boss.tap(says["meets"])
    await boss.tap(says["use_suggestion"])
    assert says["hk_saved"] in boss.text
    docs, waktu = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    assert await read(org, lambda r: r.indicator_ratings_of("2026-Q4", ids[STAF_A])) == {
        docs.id: "sesuai", waktu.id: None}


# --- /skor -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_skor_for_a_subordinate_with_the_rules_numbers(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    says = SAYS[lang]
    await report(org, ids, 6, clock, approved=True)
    boss = await person(engine, org, KABID, clock, lang)
    await boss.send("/skor")
    who = boss.question
    assert who.text == says["score_who"] and len(who.choices) == 3
    await boss.send("99")
    assert boss.last[0].text == says["pick_3"] and boss.question.text == who.text
    await boss.tap(ANDI)
    text = boss.text
    for part in ("score_header", "score_docs", "score_waktu", "score_hasil"):
        assert says[part] in text, part
    await boss.tap(ANDI, reply=who)  # the question was answered: the button is spent
    assert boss.last[0].text == says["stale"]
    assert says["score_header"] not in boss.text


# --- /nilaidiri ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_nilaidiri_items_with_the_rules_numbers_and_a_note(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    says = SAYS[lang]
    await report(org, ids, 6, clock, approved=True)
    andi = await person(engine, org, STAF_A, clock, lang)
    await andi.send("/nilaidiri")
    assert says["self_intro"] in andi.text
    first = andi.question
    assert first.text == says["self_1"]
    await andi.send("x")
    assert andi.last[0].text == says["pick_3"] and andi.question.text == first.text
    await andi.tap(says["meets"])
    assert andi.question.text == says["self_2"]
    await andi.tap(says["meets"], reply=first)
    assert andi.last[0].text == says["stale"] and andi.question.text == says["self_2"]
    await andi.tap(says["meets"])
    assert andi.question.text == says["self_3"]
    for _ in BERAKHLAK_KEYS:
        await andi.tap(says["meets"])
    assert says["note"] in andi.question.text
    await andi.send("x" * 301)
    assert says["too_long"] in andi.last[0].text and says["note"] in andi.question.text
    await andi.tap(says["skip"])
    assert says["self_saved"] in andi.text
    own = await read(org, lambda r: r.self_assessment_of("2026-Q4", ids[STAF_A]))
    assert own is not None and own.note is None
    assert len(own.ratings) == 9 and set(own.ratings.values()) == {"sesuai"}


# --- /usul -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_usul_a_new_indicator_reasks_bad_answers_and_refuses_old_buttons(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    says = SAYS[lang]
    andi = await person(engine, org, STAF_A, clock, lang)
    await person(engine, org, KABID, clock, lang)
    await andi.send("/usul")
    kind = andi.question
    assert kind.text == says["usul_kind"]
    await andi.tap(says["new"])
    assert asked(andi) == says["rhk"]
    await andi.tap(says["change"], reply=kind)
    assert andi.last[0].text == says["stale"] and asked(andi) == says["rhk"]
    await andi.send("")
    assert andi.last[0].text == says["empty"] and asked(andi) == says["rhk"]
    await andi.send("Layanan jemput bola")
    await andi.send("Perekaman KTP-el di desa")
    await andi.tap("utama")
    await andi.tap("kuantitas")
    await andi.send("kegiatan")
    await andi.tap(1)  # naik
    assert asked(andi).startswith(says["target_q"])
    await andi.send("banyak")
    assert andi.last[0].text == says["not_a_number"]
    assert asked(andi).startswith(says["target_q"])
    await andi.send("6")
    await andi.tap(says["skip"])
    assert says["confirm_new"] in andi.question.text
    await andi.tap(says["send"])
    assert andi.text == says["sent"]
    (proposal,) = await read(org, lambda r: r.db.fetchall("SELECT * FROM proposals"))
    assert (proposal["kind"], proposal["indikator"], proposal["target"], proposal["status"]) == (
        "new", "Perekaman KTP-el di desa", 6, "pending")
    (push,) = await pushes(org, KABID)
    assert labels(push) == says["atasan_buttons"]
    assert [c.id for c in push.choices] == [
        f"!proposal:{proposal['id']}:{a}" for a in ("accept", "counter", "decline")]


# --- the transition table, through the chat ---------------------------------------------------

ATASAN_ACTIONS = {ProposalAction.ACCEPT, ProposalAction.COUNTER, ProposalAction.DECLINE}


async def proposal_in(
    status: ProposalStatus, chats: dict[str, Chat], store: Store, lang: str
) -> int:
    """Andi proposes 12 → 20 dokumen through /usul and the chats bring it to ``status``."""
    says = SAYS[lang]
    andi, boss = chats[STAF_A], chats[KABID]
    await andi.send("/usul")
    await andi.tap(says["change"])
    await andi.tap(says["pick_indicator"])
    await andi.send("20")
    await andi.send("Antrean naik")
    await andi.tap(says["send"])
    (row,) = await read(store, lambda r: r.db.fetchall("SELECT id FROM proposals"))
    proposal_id = int(row["id"])
    if status is ProposalStatus.PENDING:
        return proposal_id
    push = (await pushes(store, KABID))[-1]
    if status is ProposalStatus.COUNTERED:
        await boss.tap(says["counter"], reply=push)
        await boss.send("16")
    elif status is ProposalStatus.ACCEPTED:
        await boss.tap(says["accept"], reply=push)
    else:
        await boss.tap(says["decline"], reply=push)
        await boss.send("Sudah disepakati")
    status_now = await read(store, lambda r: r.proposal_by_id(proposal_id))
    assert status_now is not None and status_now.status == status.value
    return proposal_id


async def everyone(engine: Engine, store: Store, clock: Clock, lang: str) -> dict[str, Chat]:
    return {nip: await person(engine, store, nip, clock, lang)
            for nip in (STAF_A, KABID, KADIS, STAF_B)}


ROLE_NIP = {Role.ATASAN: KABID, Role.EMPLOYEE: STAF_A}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("step", TRANSITIONS, ids=lambda t: f"{t.status}-{t.action}")
async def test_every_allowed_step_taken_through_the_buttons_it_was_pushed_with(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str,
    step: Transition,
) -> None:
    says = SAYS[lang]
    chats = await everyone(engine, org, clock, lang)
    proposal_id = await proposal_in(step.status, chats, org, lang)
    actor = ROLE_NIP[step.role]
    other = KABID if actor == STAF_A else STAF_A
    # the button comes from the last push the actor got with buttons of this proposal
    push = next(p for p in reversed(await pushes(org, actor)) if p.choices)
    events_before = len(await read(org, lambda r: r.proposal_events(proposal_id)))
    chat = chats[actor]
    await chat.tap(says[step.action.value], reply=push)
    if step.needs_target:
        assert asked(chat) == says["counter_q"]
        await chat.send("-3")
        assert chat.last[0].text == says["negative"]
        assert asked(chat) == says["counter_q"], "asked again"
        await chat.send("16")
    if step.needs_reason:
        assert asked(chat) == says["decline_reason"]
        await chat.send("")
        assert chat.last[0].text == says["empty"]
        assert asked(chat) == says["decline_reason"], "asked again"
        await chat.send("Tidak sesuai rencana unit")
    assert says["done_" + step.action.value] in chat.text

    after = await read(org, lambda r: r.proposal_by_id(proposal_id))
    assert after is not None and after.status == step.to.value
    events = await read(org, lambda r: r.proposal_events(proposal_id))
    assert len(events) == events_before + 1
    assert (events[-1]["action"], events[-1]["by_employee_id"]) == (step.action.value,
                                                                     ids[actor])
    indicator = (await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026)))[0]
    expected_target = {"target": 20, "counter_target": 16, None: 12}[step.applies]
    assert indicator.target == expected_target
    history = await read(org, lambda r: r.target_history(indicator.id))
    assert len(history) == (1 if step.applies else 0)
    # the other side is told, with its own buttons when it is their move now
    told = (await pushes(org, other))[-1]
    if step.to is ProposalStatus.COUNTERED:
        assert labels(told) == says["employee_buttons"]
        assert [c.id for c in told.choices] == [
            f"!proposal_reply:{proposal_id}:{a}" for a in ("agree", "disagree")]
    elif step.to is ProposalStatus.PENDING:
        assert labels(told) == says["atasan_buttons"]
    else:
        assert told.choices == ()


@pytest.mark.parametrize("status", list(ProposalStatus))
async def test_every_other_step_is_refused_and_stores_nothing(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, status: ProposalStatus
) -> None:
    """Every action, on either flow's button, by the atasan, the employee, the atasan's
    atasan and a colleague: only the table's rows are taken, the rest are refused."""
    chats = await everyone(engine, org, clock, "id")
    proposal_id = await proposal_in(status, chats, org, "id")
    allowed = {(t.action, ROLE_NIP[t.role]) for t in TRANSITIONS if t.status is status}
    before = (await read(org, lambda r: r.proposal_events(proposal_id)),
              await read(org, lambda r: r.proposal_by_id(proposal_id)),
              await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026)))
    tried = 0
    for action in ProposalAction:
        owner = ROLE_NIP[Role.ATASAN if action in ATASAN_ACTIONS else Role.EMPLOYEE]
        for flow in ("proposal", "proposal_reply"):
            button = action_choice(flow, f"{proposal_id}:{action.value}", action.value)
            for nip, chat in chats.items():
                right_flow = (flow == "proposal") == (owner == KABID)
                if (action, nip) in allowed and right_flow:
                    continue  # the table's own step: taken in the test above
                await press(chat, button.id)
                assert chat.text == SAYS["id"]["refused"], (action, flow, nip, chat.text)
                tried += 1
    assert tried == 5 * 2 * 4 - len(allowed)
    after = (await read(org, lambda r: r.proposal_events(proposal_id)),
             await read(org, lambda r: r.proposal_by_id(proposal_id)),
             await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026)))
    assert after == before, "nothing stored"


async def test_storage_takes_only_complete_steps(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    """What a step needs (kinerja.proposals: a target ≥ 0 to counter, a reason to decline)
    is checked where it is stored, whatever a flow sends."""
    chats = await everyone(engine, org, clock, "id")
    proposal_id = await proposal_in(ProposalStatus.PENDING, chats, org, "id")
    async with org.unit() as uow:
        for target in (None, -1.0, float("nan"), float("inf")):
            assert await uow.act_on_proposal(proposal_id, ids[KABID], "counter", clock.now,
                                             target=target) is None, target
        for text in (None, "", "   "):
            assert await uow.act_on_proposal(proposal_id, ids[KABID], "decline", clock.now,
                                             text=text) is None, text
        with pytest.raises(ValueError):
            await uow.act_on_proposal(proposal_id, ids[KABID], "approve", clock.now)
    events = await read(org, lambda r: r.proposal_events(proposal_id))
    assert [e["action"] for e in events] == ["propose"]
    async with org.unit() as uow:
        done = await uow.act_on_proposal(proposal_id, ids[KABID], "counter", clock.now,
                                         target=0.0)
    assert done is not None and done.status == "countered" and done.counter_target == 0
