"""Issue 14 parts 1, 3 and 6 for staff: the introduction pages by number, label or button;
what is offered follows the role; an unfinished /lapor beside a QR scan; /lapor's "Ubah";
/riwayat and a rejected report corrected, sent as a new version and approved; an atasan
deciding proposals from a list."""

from __future__ import annotations

import json

import pytest

from bot.conversation.engine import Engine
from bot.conversation.messages import Inbound, InboundKind, Media, Reply
from bot.storage import Store
from tests.bot.conversation.flows.script import said, text_of
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, linked, load_staff
from tests.conftest import Chat, Clock, payload, read

LANGS = pytest.mark.parametrize("lang", ["id", "en"])


@pytest.fixture
async def ids(org: Store) -> dict[str, int]:
    return await load_staff(org)


async def reports(store: Store) -> list[dict[str, object]]:
    rows = await read(store, lambda r: r.db.fetchall("SELECT * FROM progress_reports ORDER BY id"))
    return [dict(r) for r in rows]


async def pushes(store: Store, chat_id: str, kind: str | None = None) -> list[Reply]:
    rows = await read(store, lambda r: r.items())
    return [Reply.from_json(json.loads(str(r["payload"]))) for r in rows
            if r["chat_id"] == chat_id and (kind is None or r["kind"] == kind)]


async def english(chat: Chat) -> None:
    await chat.send("/bahasa en")


async def lapor_to_confirm(chat: Chat, lang: str, amount: str = "2") -> None:
    await chat.send("/lapor")
    await chat.send("1")
    await chat.send(amount)
    await chat.send("Verifikasi berkas")
    await chat.tap(text_of("skip_short", lang))
    await chat.tap(text_of("today", lang))
    assert said(chat, "report_review", lang)


# --- part 3: pages and roles ----------------------------------------------------------------


@LANGS
async def test_intro_pages_through_by_number_label_and_button(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    chat = Chat(engine, "601")
    if lang == "en":
        await english(chat)
    await linked_any(chat, org, STAF_A, "ABCD2345", clock, lang)
    assert text_of("intro_1", lang, i=1, n=4) in chat.text
    await chat.send("1")  # "1. Lanjut" typed
    assert text_of("intro_2", lang, i=2, n=4) in chat.text
    await chat.send(text_of("intro_next", lang).lower())  # the label typed
    assert text_of("intro_3", lang, i=3, n=4) in chat.text
    await chat.tap(text_of("intro_next", lang))  # the button
    assert text_of("intro_4", lang, i=4, n=4) in chat.text
    assert not chat.last[-1].choices, "the last page asks nothing"
    await chat.send("/lapor")
    assert not said(chat, "cancelled", lang), "nothing was left open to cancel"
    assert said(chat, "report_pick", lang)


async def linked_any(chat: Chat, store: Store, nip: str, code: str, clock: Clock,
                     lang: str) -> None:
    """``linked`` in either language."""
    if lang == "id":
        await linked(chat, store, nip, code, clock.now)
        return
    from tests.bot.staff_fixtures import invite

    await invite(store, nip, code, clock.now)
    await chat.send(f"/daftar {code}")
    assert said(chat, "register_ok", "en"), chat.text


async def test_a_command_mid_introduction_moves_on_silently(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    chat = Chat(engine, "602")
    await linked(chat, org, STAF_A, "ABCD2345", clock.now)
    await chat.send("/status")
    assert not said(chat, "cancelled") and "Capaian Andi Pratama" in chat.text


async def test_old_intro_action_buttons_still_page_for_linked_employees_only(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    chat = Chat(engine, "603")
    await linked(chat, org, STAF_A, "ABCD2345", clock.now)
    await chat.send("/menu")
    old = Inbound("test", "603", InboundKind.CHOICE, choice_id="!intro:2", message_id="old-1")
    chat.last = await engine.handle(old)
    assert text_of("intro_2", i=2, n=4) in chat.text
    stranger = Chat(engine, "604")
    stranger.last = await engine.handle(Inbound("test", "604", InboundKind.CHOICE,
                                                choice_id="!intro:2", message_id="old-2"))
    assert said(stranger, "not_linked") and text_of("intro_2", i=2, n=4) not in stranger.text


@LANGS
async def test_after_daftar_only_what_the_role_allows(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    staff, boss = Chat(engine, "611"), Chat(engine, "612")
    for chat in (staff, boss):
        if lang == "en":
            await english(chat)
    await linked_any(staff, org, STAF_A, "ABCD2345", clock, lang)
    assert said(staff, "staff_commands", lang)
    assert "/tinjau" not in staff.text and "/nilai " not in staff.text
    await linked_any(boss, org, KABID, "EFGH2345", clock, lang)
    assert said(boss, "staff_commands_atasan", lang)
    assert "/tinjau" in boss.text and "/nilai" in boss.text

    await staff.send("/menu")  # the menu's help is the role's help too
    await staff.tap(text_of("menu_help", lang))
    assert said(staff, "help_employee", lang) and "/tinjau" not in staff.text
    await staff.send("/daftar")  # already linked: the role's commands again
    assert "/tinjau" not in staff.text and "/riwayat" in staff.text


# --- part 1 for staff: an unfinished /lapor and a QR scan ------------------------------------


@LANGS
async def test_unfinished_lapor_then_qr_scan_asks_and_continues(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    chat = Chat(engine, "621")
    if lang == "en":
        await english(chat)
    await linked_any(chat, org, STAF_A, "ABCD2345", clock, lang)
    await chat.send("/lapor")
    await chat.send("1")
    assert said(chat, "report_amount", lang)
    await chat.send(f"/start {payload()}")
    assert said(chat, "restart_prompt_new", lang)
    assert "Dokumen KTP-el diverifikasi" in chat.question.text
    assert "Loket 1 KTP-el" in chat.question.text
    await chat.tap(text_of("restart_continue", lang))
    assert said(chat, "report_amount", lang)
    await chat.send("2")
    await chat.send("Verifikasi")
    await chat.send(f"SKM {payload()}")
    await chat.tap(text_of("restart_new", lang))
    assert text_of("question_counter", lang, i=1) in chat.question.text
    assert await reports(org) == []


# --- part 6: /lapor's "Ubah", /riwayat, corrections -----------------------------------------


@LANGS
async def test_lapor_confirmation_offers_ubah(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    chat = Chat(engine, "631")
    if lang == "en":
        await english(chat)
    await linked_any(chat, org, STAF_A, "ABCD2345", clock, lang)
    await lapor_to_confirm(chat, lang)
    assert text_of("report_edit", lang) in chat.labels
    await chat.tap(text_of("report_edit", lang))
    await chat.tap(text_of("report_field.amount", lang))
    await chat.send("3")
    assert said(chat, "report_review", lang), "straight back to the confirmation"
    await chat.tap(text_of("report_edit", lang))
    await chat.tap(text_of("report_field.indicator", lang))
    await chat.tap("Waktu penyelesaian (3 hari)")
    assert said(chat, "report_amount", lang), "another indicator: its amount again"
    await chat.send("2")
    assert said(chat, "report_review", lang) and "Waktu penyelesaian" in chat.question.text
    await chat.tap(text_of("review_send", lang))
    [row] = await reports(org)
    assert (row["amount"], row["description"], row["status"]) == (2, "Verifikasi berkas",
                                                                  "pending")


@LANGS
async def test_rejected_report_corrected_and_approved(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    staff, boss = Chat(engine, "641"), Chat(engine, "642")
    if lang == "en":
        await english(staff)
    await linked_any(staff, org, STAF_A, "ABCD2345", clock, lang)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await staff.send("/lapor")
    await staff.send("1")
    await staff.send("2")
    await staff.send("Verifikasi berkas")
    photo = Inbound("test", "641", InboundKind.MEDIA, media=Media("photo", "file-7"),
                    message_id="photo-1")
    staff.last = await engine.handle(photo)
    await staff.tap(text_of("today", lang))
    await staff.tap(text_of("review_send", lang))

    await boss.send("/tinjau")
    await boss.tap("Tolak")
    await boss.send("Lampirkan berita acara")

    await staff.send("/status")  # /status points to /riwayat
    assert said(staff, "status_rejected", lang, n=1)
    await staff.send("/riwayat")
    assert text_of("report_status.rejected", lang) in staff.text
    assert "Lampirkan berita acara" in staff.text and "Siti Rahmawati" in staff.text
    fix = text_of("history_fix", lang, indikator="Dokumen KTP-el diverifikasi",
                  date=clock.now.strftime("%d/%m/%Y"))
    await staff.tap(fix)
    assert said(staff, "revision_intro", lang, reason="Lampirkan berita acara")
    assert text_of("evidence_kept", lang, evidence=text_of("evidence_photo", lang)) in (
        staff.question.text)
    await staff.tap(text_of("report_edit", lang))
    await staff.tap(text_of("report_field.description", lang))
    await staff.send("Verifikasi berkas, berita acara terlampir")
    await staff.tap(text_of("review_send", lang))

    old, new = await reports(org)
    assert old["status"] == "rejected" and old["description"] == "Verifikasi berkas"
    assert new["revises_id"] == old["id"] and new["status"] == "pending"
    assert new["description"] == "Verifikasi berkas, berita acara terlampir"
    assert (new["evidence_kind"], new["evidence_ref"]) == ("photo", "file-7"), "kept"
    [request] = [p for p in await pushes(org, "642", "approval") if "berita acara" in p.text]
    # (in which language a push is written is the console branch's part of issue 14)
    assert any(text_of("push_revision", language, reason="Lampirkan berita acara")
               in request.text for language in ("id", "en"))

    await boss.tap(1, reply=request)  # approve
    assert [r["status"] for r in await reports(org)] == ["rejected", "approved"]
    await staff.send("/status")
    assert not said(staff, "status_rejected", lang)
    await staff.send("/riwayat")
    assert text_of("report_status.approved", lang) in staff.text
    assert text_of("history_corrected", lang) in staff.text
    assert not staff.last[-1].choices, "nothing left to correct"


async def test_a_report_is_corrected_once_and_only_by_its_author(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    staff, other, boss = Chat(engine, "651"), Chat(engine, "652"), Chat(engine, "653")
    await linked(staff, org, STAF_A, "ABCD2345", clock.now)
    await linked(other, org, STAF_B, "JKMN2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await lapor_to_confirm(staff, "id")
    await staff.tap("Kirim")
    await boss.send("/tinjau")
    await boss.tap("Tolak")
    await boss.send("Salah indikator")
    [rejected] = await reports(org)
    # Dewi cannot open Andi's report for correction, even by the flow's argument.
    revise = Inbound("test", "652", InboundKind.CHOICE,
                     choice_id=f"!report:revise:{rejected['id']}", message_id="x-1")
    other.last = await engine.handle(revise)
    assert said(other, "revision_not_allowed")
    await staff.send("/riwayat")
    first = staff.question
    await staff.tap(1)
    await staff.tap("Kirim")
    await staff.tap(1, reply=first)  # the old list, pressed again
    await staff.send("/riwayat")
    assert not staff.last[-1].choices
    assert len(await reports(org)) == 2


async def test_riwayat_for_no_reports_and_for_an_unlinked_chat(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    chat = Chat(engine, "661")
    await chat.send("/riwayat")
    assert said(chat, "not_linked")
    await linked(chat, org, STAF_B, "ABCD2345", clock.now)
    await chat.send("/riwayat")
    assert said(chat, "history_none", tahun=2026)


# --- part 6: an atasan decides proposals from a list ----------------------------------------


async def propose_target(chat: Chat, target: str = "20") -> None:
    await chat.send("/usul")
    await chat.tap("Ubah target")
    await chat.send("1")
    await chat.send(target)
    await chat.send("Permintaan naik")
    await chat.tap("Kirim")
    assert said(chat, "proposal_sent")


@LANGS
async def test_atasan_lists_waiting_proposals_and_decides_from_the_list(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock, lang: str
) -> None:
    andi, dewi, boss = Chat(engine, "671"), Chat(engine, "672"), Chat(engine, "673")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(dewi, org, STAF_B, "JKMN2345", clock.now)
    if lang == "en":
        await english(boss)
    await linked_any(boss, org, KABID, "EFGH2345", clock, lang)
    await propose_target(andi)
    await propose_target(dewi, "150")

    await boss.send("/usul")  # the Kabid has an atasan too: decide, or propose
    assert said(boss, "proposal_start", lang, n=2)
    await boss.tap(text_of("proposal_start_decide", lang, n=2))
    assert said(boss, "proposal_awaiting", lang, n=2)
    assert [label.split(" — ")[0] for label in boss.labels] == ["Andi Pratama", "Dewi Lestari"]
    await boss.send("2")
    assert "Dewi Lestari" in boss.question.text and "150" in boss.question.text
    assert boss.labels == [text_of(k, lang) for k in (
        "proposal_accept", "proposal_counter", "proposal_decline", "back")]
    await boss.tap(text_of("proposal_accept", lang))
    assert said(boss, "proposal_more_awaiting", lang, n=1)
    indicators = await read(org, lambda r: r.indicators_of(ids[STAF_B], 2026))
    assert indicators[0].target == 150

    await boss.send("/usul")
    await boss.send("1")  # decide
    assert said(boss, "proposal_awaiting", lang, n=1)
    await boss.send("1")
    await boss.tap(text_of("proposal_decline", lang))
    await boss.send("Belum ada dasar")
    assert not said(boss, "proposal_more_awaiting", lang)
    statuses = await read(org, lambda r: r.db.fetchall("SELECT status FROM proposals ORDER BY id"))
    assert [s["status"] for s in statuses] == ["declined", "accepted"]
    await boss.send("/usul")
    assert said(boss, "proposal_kind", lang), "nothing waiting: straight to proposing"


async def test_top_atasan_and_tinjau_open_the_list(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    kabid, kadis = Chat(engine, "681"), Chat(engine, "682")
    await linked(kabid, org, KABID, "ABCD2345", clock.now)
    await linked(kadis, org, KADIS, "EFGH2345", clock.now)
    await kadis.send("/usul")
    assert said(kadis, "proposal_no_atasan")
    await propose_target_of(kabid)
    await kadis.send("/usul")  # no atasan of their own: the list at once
    assert said(kadis, "proposal_awaiting", n=1)
    await kadis.send("/tinjau")  # no reports waiting: the proposals instead
    assert said(kadis, "review_none") and said(kadis, "proposal_awaiting", n=1)
    await kadis.send("1")
    await kadis.tap("Kembali")
    assert said(kadis, "proposal_awaiting", n=1)


async def propose_target_of(kabid: Chat) -> None:
    """The Kabid, who has no indicators, proposes a new one."""
    await kabid.send("/usul")
    await kabid.tap("Indikator baru")
    for text in ("Pembinaan", "Rapat koordinasi", ):
        await kabid.send(text)
    await kabid.tap("utama")
    await kabid.tap("kuantitas")
    await kabid.send("kegiatan")
    await kabid.tap(1)
    await kabid.send("12")
    await kabid.tap("Lewati")
    await kabid.tap("Kirim")
    assert said(kabid, "proposal_sent")


async def test_a_number_means_what_the_list_showed_even_if_one_was_decided_meanwhile(
    engine: Engine, org: Store, ids: dict[str, int], clock: Clock
) -> None:
    andi, dewi, boss = Chat(engine, "691"), Chat(engine, "692"), Chat(engine, "693")
    await linked(andi, org, STAF_A, "ABCD2345", clock.now)
    await linked(dewi, org, STAF_B, "JKMN2345", clock.now)
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await propose_target(andi)
    await propose_target(dewi, "150")
    await boss.send("/usul")
    await boss.tap("Putuskan usulan bawahan (2)")
    first_id = await read(org, lambda r: r.db.fetchone("SELECT min(id) FROM proposals"))
    async with org.unit() as uow:  # decided meanwhile (e.g. from the pushed buttons)
        assert await uow.act_on_proposal(first_id[0], ids[KABID], "accept", clock.now)
    await boss.send("2")  # typed, as shown before the first was decided
    assert "Dewi Lestari" in boss.question.text, "2 is still Dewi's"
    await boss.tap("Kembali")
    assert said(boss, "proposal_awaiting", n=1)
    await boss.send("1")
    await boss.tap("Tolak")
    await boss.send("Tidak realistis")
    assert said(boss, "proposal_done_decline", nama="Dewi Lestari")
