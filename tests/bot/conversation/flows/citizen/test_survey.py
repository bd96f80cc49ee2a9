"""The citizen survey, as a person would go through it, on a real SQLite store."""

from __future__ import annotations

import pandas as pd
import pytest

from bot.conversation.engine import Engine
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.conftest import Chat, Clock, payload, read

WORKED = [4, 3, 3, 2, 4, 3, 4, 2, 3]  # skm.md's first respondent


async def stored(store: Store) -> pd.DataFrame:
    rows = await read(store, lambda r: r.db.fetchall("SELECT * FROM survey_responses ORDER BY id"))
    return pd.DataFrame([dict(r) for r in rows])


async def answer_all(chat: Chat, answers: list[int] = WORKED,
                     profile: tuple[str, ...] = ("1", "3", "3", "4"),
                     saran: str = "Antrean terlalu panjang") -> None:
    for value in answers:
        await chat.send(str(value))
    for value in profile:
        await chat.send(value)
    await chat.send(saran)


async def test_complete_survey_by_payload_is_stored_once_and_anonymously(
    engine: Engine, org: Store
) -> None:
    chat = Chat(engine, chat_id="555123")
    await chat.send(f"/start {payload()}")
    assert "Dinas Kependudukan dan Pencatatan Sipil" in chat.text
    assert "Perekaman dan Pencetakan KTP-el" in chat.text
    assert "Anonim" in chat.text
    assert "Pertanyaan 1 dari 9" in chat.question.text
    assert chat.labels == ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]

    await answer_all(chat)
    assert "Kirim penilaian ini?" in chat.question.text
    assert "Persyaratan: Sangat sesuai" in chat.question.text
    assert "Antrean terlalu panjang" in chat.question.text
    assert len(await stored(org)) == 0, "nothing is stored before send"

    await chat.tap("Kirim")
    assert "Terima kasih" in chat.text
    rows = await stored(org)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert [row[f"u_{k}"] for k in UNSUR_KEYS] == WORKED
    assert row["jenis_kelamin"] == "Laki-laki"
    assert row["usia"] == "26–35"
    assert row["pendidikan"] == "SMA/SMK"
    assert row["pekerjaan"] == "Swasta"
    assert row["saran"] == "Antrean terlalu panjang"
    assert row["channel"] == "test"
    # No identity of the respondent anywhere in the response row.
    assert "555123" not in " ".join(str(v) for v in row.to_dict().values())
    assert not {"chat_id", "user_id", "phone", "name"} & set(rows.columns)


async def test_profile_answers_can_be_skipped_and_suggestion_too(
    engine: Engine, org: Store
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    for value in WORKED:
        await chat.send(str(value))
    for _ in range(4):
        await chat.tap("Lewati (tidak ingin menjawab)")
    await chat.tap("Lewati")
    assert "tidak dijawab" in chat.question.text
    await chat.tap("Kirim")
    row = (await stored(org)).iloc[0]
    assert row[["jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"]].isna().all()


@pytest.mark.parametrize(
    "bad",
    [
        "DUK-KTP-L1-000000000000",  # forged signature
        payload()[:-3],  # truncated
        "DUK-KTP-L1",  # no signature at all
        "../../etc-passwd",
    ],
)
async def test_forged_or_truncated_payload_gets_no_survey(
    engine: Engine, org: Store, bad: str
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {bad}")
    assert "kode layanan tidak dikenal" in chat.text
    assert not any(r.choices for r in chat.last)
    await chat.send("4")  # not an answer to anything: the menu appears
    assert "Pertanyaan" not in chat.text


async def test_validly_signed_code_of_unknown_point_is_refused(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload('NO-SUCH-POINT')}")
    assert "kode layanan tidak dikenal" in chat.text


async def test_survey_from_the_menu(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send("/menu")
    await chat.tap("Isi survei kepuasan layanan")
    assert "Puskesmas Sukamaju" in chat.labels
    await chat.tap("Puskesmas Sukamaju")
    await chat.tap("Poli Umum")  # one point only: straight into the survey
    assert "Ruang Periksa Umum" in chat.text
    await answer_all(chat)
    await chat.tap("Kirim")
    row = (await stored(org)).iloc[0]
    point = await read(org, lambda r: r.point_by_id(int(row["point_id"])))
    assert point is not None and point.code == "PKM-UMUM-P1"


async def test_menu_asks_for_the_point_when_a_service_has_several(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send("/menu")
    await chat.send("1")
    await chat.tap("Dinas Kependudukan dan Pencatatan Sipil")
    await chat.tap("Perekaman dan Pencetakan KTP-el")
    assert chat.labels == ["Loket 1 KTP-el", "Loket 2 KTP-el"]
    await chat.tap("Loket 2 KTP-el")
    assert "Pertanyaan 1 dari 9" in chat.question.text


async def test_stale_button_cannot_answer_the_current_question(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    first_question = chat.question
    await chat.tap(4)
    assert not any(r.refuses_choice for r in chat.last)
    await chat.tap(1, reply=first_question)  # an old button, pressed again
    assert "sudah tidak berlaku" in chat.text
    assert [r.refuses_choice for r in chat.last] == [True, False]  # the notice, the question
    assert "Pertanyaan 2 dari 9" in chat.question.text
    await chat.tap(2)  # the current question takes its own button
    assert "Pertanyaan 3 dari 9" in chat.question.text


@pytest.mark.parametrize("bad", ["5", "0", "-1", "sangat", "4.5", "🙂"])
async def test_out_of_range_and_non_numeric_answers_are_asked_again(
    engine: Engine, org: Store, bad: str
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send(bad)
    assert "ketik angka 1–4" in chat.text
    assert "Pertanyaan 1 dari 9" in chat.question.text
    await answer_all(chat)
    await chat.tap("Kirim")
    assert (await stored(org)).iloc[0]["u_persyaratan"] == 4


async def test_labels_typed_as_text_are_accepted(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("sangat sesuai")
    assert "Pertanyaan 2 dari 9" in chat.question.text


async def test_media_where_text_is_expected_gets_a_clear_answer(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send_media("sticker")
    assert "bukan gambar, berkas, stiker" in chat.text
    assert "Pertanyaan 1 dari 9" in chat.question.text


async def test_duplicate_message_id_is_ignored(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("4", message_id="m-42")
    assert await chat.send("1", message_id="m-42") == []
    await chat.send("3")
    for value in WORKED[2:]:
        await chat.send(str(value))
    for value in ("1", "1", "1", "1"):
        await chat.send(value)
    await chat.tap("Lewati")
    await chat.tap("Kirim")
    row = (await stored(org)).iloc[0]
    assert (row["u_persyaratan"], row["u_prosedur"]) == (4, 3)


async def test_idle_session_expires_and_discards_the_answers(
    engine: Engine, org: Store, clock: Clock
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("4")
    clock.advance(minutes=61)
    await chat.send("3")
    assert "berakhir karena tidak ada aktivitas selama 60 menit" in chat.text
    assert "Pertanyaan" not in chat.text
    session = await read(org, lambda r: r.load_session("test", chat.chat_id))
    assert session is not None and session.flow != "survey"
    assert len(await stored(org)) == 0


async def test_one_response_per_chat_per_point_per_day(
    engine: Engine, org: Store, clock: Clock
) -> None:
    chat = Chat(engine, chat_id="777")
    await chat.send(f"/start {payload()}")
    await answer_all(chat)
    await chat.tap("Kirim")
    await chat.send(f"/start {payload()}")
    assert "sudah mengisi survei untuk layanan ini hari ini" in chat.text
    assert not any(r.choices for r in chat.last)
    # Another point the same day is fine, and so is the same point tomorrow.
    await chat.send(f"/start {payload('DUK-KK-L3')}")
    assert "Pertanyaan 1 dari 9" in chat.question.text
    await chat.send("/batal")
    clock.advance(days=1)
    await chat.send(f"/start {payload()}")
    assert "Pertanyaan 1 dari 9" in chat.question.text
    # The guard holds a keyed hash, never the chat id.
    guard = await read(org, lambda r: r.db.fetchall("SELECT * FROM survey_guard"))
    assert guard and all("777" not in str(tuple(r)) for r in guard)


async def test_two_surveys_opened_in_parallel_by_one_chat_store_only_one(
    engine: Engine, org: Store
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await answer_all(chat)
    review = chat.question
    await chat.tap("Kirim")
    await chat.tap("Kirim", reply=review)  # the old "send" button again
    assert len(await stored(org)) == 1


async def test_change_one_answer_from_the_review(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await answer_all(chat)
    await chat.tap("Ubah satu jawaban")
    await chat.tap("Penanganan Pengaduan, Saran dan Masukan")  # no "8. " before the number
    await chat.send("4")
    assert "Kirim penilaian ini?" in chat.question.text
    assert "Penanganan Pengaduan, Saran dan Masukan: Dikelola dengan baik" in chat.question.text
    await chat.tap("Kirim")
    assert (await stored(org)).iloc[0]["u_pengaduan"] == 4


async def test_cancel_at_review_stores_nothing(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await answer_all(chat)
    await chat.tap("Batal")
    assert "tidak disimpan" in chat.text
    assert len(await stored(org)) == 0


async def test_batal_in_the_middle_stores_nothing(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("4")
    await chat.send("/batal")
    assert "Dibatalkan" in chat.text
    await chat.send("3")
    assert "Pertanyaan" not in chat.text
    assert len(await stored(org)) == 0


async def test_suggestion_longer_than_the_limit_is_asked_again(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    for value in WORKED:
        await chat.send(str(value))
    for value in ("1", "1", "1", "1"):
        await chat.send(value)
    await chat.send("x" * 1001)
    assert "1.001 karakter, melebihi batas 1.000" in chat.text
    assert "x" * 1000 in chat.text, "the cut text is shown"
    await chat.tap("Ketik ulang")
    assert "saran" in chat.question.text.lower()
    await chat.send("y" * 1000)
    await chat.tap("Kirim")
    assert len((await stored(org)).iloc[0]["saran"]) == 1000


async def test_start_again_inside_a_survey_asks_continue_or_restart(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("4")
    await chat.send("3")
    await chat.send(f"/start {payload()}")
    assert chat.labels == ["Lanjutkan", "Mulai yang baru"]
    await chat.tap("Lanjutkan")
    assert "Pertanyaan 3 dari 9" in chat.question.text
    await chat.send(f"/start {payload()}")
    await chat.tap("Mulai yang baru")
    assert "Pertanyaan 1 dari 9" in chat.question.text


async def test_pasted_links_start_the_survey(engine: Engine) -> None:
    for text in (
        f"https://t.me/PemdaBot?start={payload()}",
        f"https://wa.me/6281100000000?text=SKM%20{payload()}",
        f"SKM {payload()}",
    ):
        chat = Chat(engine, chat_id=text[:20])
        await chat.send(text)
        assert "Pertanyaan 1 dari 9" in chat.question.text, text


async def test_english_on_request_and_from_the_platform_hint(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}", language="en-US")
    assert "Question 1 of 9" in chat.question.text
    assert chat.labels == ["Not suitable", "Somewhat unsuitable", "Suitable", "Very suitable"]
    await chat.send("/bahasa id")
    assert "Bahasa Indonesia" in chat.text
    assert "Pertanyaan 1 dari 9" in chat.question.text


async def test_thank_you_shows_the_unit_ikm_once_enough_people_answered(
    engine: Engine, org: Store
) -> None:
    first = Chat(engine, chat_id="early")
    await first.send(f"/start {payload('PTSP-NIB-M1')}")
    await answer_all(first)
    await first.tap("Kirim")
    assert "Indeks Kepuasan" not in first.text  # one response of another unit point: too few
    for person, answers in enumerate([WORKED, [3, 3, 2, 2, 3, 4, 4, 3, 3],
                                      [4, 4, 3, 3, 4, 4, 4, 2, 4]]):
        chat = Chat(engine, chat_id=f"citizen-{person}")
        await chat.send(f"/start {payload()}")
        await answer_all(chat, answers)
        await chat.tap("Kirim")
    # min responses is 3 in the fixture; NRR sums 11,10,8,7,11,11,12,7,10 over 3 people:
    # Σ NRR / 9 × 25 = (87/3) / 9 × 25 = 80.555… → 80.56, mutu B.
    assert "Indeks Kepuasan Masyarakat" in chat.text
    assert "80,56 (mutu B, Baik) dari 3 responden" in chat.text


async def test_help_keeps_the_current_question(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("/bantuan")
    assert "anonim" in chat.text
    assert "Pertanyaan 1 dari 9" in chat.question.text


async def test_unknown_command_is_explained(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send("/terbang")
    assert "/terbang tidak dikenal" in chat.text


