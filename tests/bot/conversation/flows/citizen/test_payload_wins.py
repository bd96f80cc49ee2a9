"""Issue 14 parts 1, 2, 7 and 8 for citizens: a valid payload always wins over a flow with
nothing at stake, "Dibatalkan" only when something unsaved was dropped, the menu's language
kept, and leniency where people are ("3.", a typed age, a long saran, pasted links)."""

from __future__ import annotations

import pandas as pd
import pytest

from bot.conversation.engine import Engine
from bot.storage import Store
from tests.bot.conversation.flows.script import said, text_of
from tests.conftest import Chat, payload, read

WORKED = [4, 3, 3, 2, 4, 3, 4, 2, 3]
LANGS = pytest.mark.parametrize("lang", ["id", "en"])


async def stored(store: Store) -> pd.DataFrame:
    rows = await read(store, lambda r: r.db.fetchall("SELECT * FROM survey_responses ORDER BY id"))
    return pd.DataFrame([dict(r) for r in rows])


async def start(chat: Chat, lang: str, text: str) -> None:
    """Send ``text`` in ``lang`` (English chats say so once with /bahasa en)."""
    if lang == "en" and chat.last == []:
        await chat.send("/bahasa en")
    await chat.send(text)


def question_counter(lang: str, i: int) -> str:
    return text_of("question_counter", lang, i=i)


# --- part 1: a valid payload always wins -----------------------------------------------------


@LANGS
async def test_menu_then_qr_scan_starts_the_survey_at_once(engine: Engine, lang: str) -> None:
    chat = Chat(engine)
    await start(chat, lang, "/menu")
    await chat.send(f"/start {payload('DUK-KTP-L2')}")
    assert question_counter(lang, 1) in chat.question.text
    assert "Loket 2 KTP-el" in chat.text
    assert not said(chat, "cancelled", lang), "the menu held nothing to lose"
    assert not said(chat, "restart_prompt", lang)


@LANGS
async def test_deep_in_the_menu_a_qr_scan_or_skm_text_still_wins(
    engine: Engine, lang: str
) -> None:
    chat = Chat(engine)
    await start(chat, lang, "/menu")
    await chat.send("1")
    await chat.send("1")  # a unit chosen: the menu is two steps in
    await chat.send(f"SKM {payload()}")  # WhatsApp's pre-filled text
    assert question_counter(lang, 1) in chat.question.text
    assert "Loket 1 KTP-el" in chat.text


@LANGS
async def test_a_finished_survey_is_no_obstacle_and_a_fresh_one_has_nothing_at_stake(
    engine: Engine, lang: str
) -> None:
    chat = Chat(engine)
    await start(chat, lang, f"/start {payload()}")
    # Not a single answer yet: another point's QR code simply starts that one.
    await chat.send(f"/start {payload('DUK-KTP-L2')}")
    assert question_counter(lang, 1) in chat.question.text and "Loket 2 KTP-el" in chat.text
    assert not said(chat, "cancelled", lang) and not said(chat, "restart_prompt_new", lang)


@LANGS
async def test_unfinished_survey_then_another_qr_names_both_and_continues(
    engine: Engine, lang: str
) -> None:
    chat = Chat(engine)
    await start(chat, lang, f"/start {payload('DUK-KTP-L2')}")
    for value in (4, 3, 3, 2):
        await chat.send(str(value))
    await chat.send(f"/start {payload('PKM-UMUM-P1')}")
    question = chat.question.text
    assert said(chat, "restart_prompt_new", lang)
    assert "Loket 2 KTP-el" in question and "4" in question and "9" in question
    assert "Ruang Periksa Umum" in question, "the new one is named too"
    assert chat.labels == [text_of("restart_continue", lang), text_of("restart_new", lang)]
    await chat.send("1")  # continue, by number
    assert question_counter(lang, 5) in chat.question.text

    await chat.send(f"/start {payload('PKM-UMUM-P1')}")
    await chat.tap(text_of("restart_new", lang))
    assert question_counter(lang, 1) in chat.question.text
    assert "Ruang Periksa Umum" in chat.text


async def test_an_unknown_payload_leaves_the_unfinished_survey_alone(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("4")
    await chat.send("/start DUK-KTP-L1-000000000000")
    assert said(chat, "unknown_code")
    assert question_counter("id", 2) in chat.question.text
    await chat.send("3")
    assert question_counter("id", 3) in chat.question.text


async def test_a_second_scan_while_asked_keeps_the_survey_and_offers_the_latest(
    engine: Engine,
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send("4")
    await chat.send(f"/start {payload('DUK-KTP-L2')}")
    await chat.send(f"/start {payload('PKM-UMUM-P1')}")
    assert "Ruang Periksa Umum" in chat.question.text and "Loket 1 KTP-el" in chat.question.text
    await chat.tap("Lanjutkan")
    assert question_counter("id", 2) in chat.question.text


@LANGS
async def test_cancelled_only_when_answers_were_dropped(engine: Engine, lang: str) -> None:
    chat = Chat(engine)
    await start(chat, lang, "/menu")
    await chat.send("/daftar")
    assert not said(chat, "cancelled", lang)
    await chat.send("/daftar")  # a retry: the code question held nothing
    assert not said(chat, "cancelled", lang)
    await chat.send("/batal")
    assert not said(chat, "cancelled", lang) and said(chat, "closed", lang)

    await chat.send(f"/start {payload()}")
    await chat.send("4")
    await chat.send("/menu")
    assert said(chat, "cancelled", lang)


# --- part 2: the language chosen in the menu is kept --------------------------------------


async def test_menu_language_survives_the_next_menu(engine: Engine, org: Store) -> None:
    chat = Chat(engine)
    await chat.send("/menu")
    await chat.tap("Ganti bahasa / Change language")
    assert said(chat, "language_set", "en")
    await chat.send("/menu")
    assert said(chat, "menu_prompt", "en")
    session = await read(org, lambda r: r.load_session("test", "100"))
    assert session is not None and session.language == "en"
    await chat.send(f"/start {payload()}")
    assert question_counter("en", 1) in chat.question.text


@pytest.mark.parametrize("code", ["xx", "fr", "english please"])
async def test_unknown_language_code_is_refused_with_the_list(engine: Engine, code: str) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send(f"/bahasa {code}")
    assert said(chat, "language_unknown") and "id, en" in chat.text
    assert question_counter("id", 1) in chat.question.text, "still Indonesian, same question"
    await chat.send("/bahasa en")
    assert said(chat, "language_set", "en")
    await chat.send("/bahasa zz")
    assert said(chat, "language_unknown", "en")


# --- part 7: lenient where people are -------------------------------------------------------


@pytest.mark.parametrize("typed", ["3.", "3)", "(3)", " 3 ", "３"])
async def test_numbers_with_a_dot_or_bracket_choose(engine: Engine, typed: str) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send(typed)
    assert question_counter("id", 2) in chat.question.text


@pytest.mark.parametrize("typed", ["4.5", "3a", "²²", "٣", "12345678901"])
async def test_what_is_not_an_option_number_is_asked_again(engine: Engine, typed: str) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    await chat.send(typed)
    assert said(chat, "choose_number", n=4)
    assert question_counter("id", 1) in chat.question.text


async def _to_the_age(chat: Chat) -> None:
    await chat.send(f"/start {payload()}")
    for value in WORKED:
        await chat.send(str(value))
    await chat.send("1")  # jenis kelamin


@LANGS
async def test_an_age_typed_as_a_number_is_put_in_its_group_and_shown(
    engine: Engine, org: Store, lang: str
) -> None:
    chat = Chat(engine)
    if lang == "en":
        await chat.send("/bahasa en")
    await _to_the_age(chat)
    await chat.send("34")
    await chat.send("3")  # pendidikan
    await chat.send("4")  # pekerjaan
    await chat.send("Ramah")
    assert text_of("age_from_typed", lang, group="26–35", age=34) in chat.question.text
    await chat.send("1")  # send
    row = (await stored(org)).iloc[0]
    assert row["usia"] == "26–35"
    kept = {k: v for k, v in row.to_dict().items() if k != "id"}  # the id is random digits
    assert "34" not in " ".join(str(v) for v in kept.values()), "only the group"


@pytest.mark.parametrize(("typed", "group"), [
    ("19", "19–25"), ("56 tahun", "≥56"), ("18", "≤18"), ("3", "26–35"),  # 3: the option
])
async def test_ages_at_the_bounds_and_option_numbers(
    engine: Engine, org: Store, typed: str, group: str
) -> None:
    chat = Chat(engine)
    await _to_the_age(chat)
    await chat.send(typed)
    assert "Pendidikan" in chat.question.text
    for answer in ("3", "4"):
        await chat.send(answer)
    await chat.tap("Lewati")
    await chat.tap("Kirim")
    assert (await stored(org)).iloc[0]["usia"] == group


@pytest.mark.parametrize("typed", ["150", "8", "tiga puluh", "34,5", "-34"])
async def test_an_impossible_age_is_asked_again(engine: Engine, typed: str) -> None:
    chat = Chat(engine)
    await _to_the_age(chat)
    await chat.send(typed)
    assert said(chat, "age_invalid", n=7)
    assert said(chat, "p.usia_typed")


@LANGS
async def test_a_long_saran_is_offered_cut_at_the_limit(
    engine: Engine, org: Store, lang: str
) -> None:
    chat = Chat(engine)
    if lang == "en":
        await chat.send("/bahasa en")
    await chat.send(f"/start {payload()}")
    for value in [*WORKED, 1, 1, 1, 1]:
        await chat.send(str(value))
    long = ("Antrean panjang sekali. " * 60)[:1439]
    await chat.send(long)
    number = "1.439" if lang == "id" else "1,439"
    assert number in chat.text
    cut = long[:1000].rstrip()
    assert cut in [r.text for r in chat.last], "the cut text is shown as it would be kept"
    await chat.tap(text_of("saran_use_cut", lang))
    assert cut in chat.question.text  # the review
    await chat.send("1")
    assert (await stored(org)).iloc[0]["saran"] == cut


async def test_at_the_cut_offer_a_shorter_saran_can_simply_be_typed(
    engine: Engine, org: Store
) -> None:
    chat = Chat(engine)
    await chat.send(f"/start {payload()}")
    for value in [*WORKED, 1, 1, 1, 1]:
        await chat.send(str(value))
    await chat.send("x" * 1200)
    await chat.send("Lebih singkat")
    await chat.tap("Kirim")
    assert (await stored(org)).iloc[0]["saran"] == "Lebih singkat"


@pytest.mark.parametrize("pasted", [
    "/start https://t.me/PemdaBot?start={p}",
    "/start t.me/PemdaBot?start={p}",
    "/start https://wa.me/6281100000000?text=SKM%20{p}",
    "t.me/PemdaBot?start={p}",
    "wa.me/6281100000000?text=SKM%20{p}",
])
async def test_pasted_links_are_read_for_their_payload(engine: Engine, pasted: str) -> None:
    chat = Chat(engine)
    await chat.send("/menu")
    await chat.send(pasted.format(p=payload()))
    assert question_counter("id", 1) in chat.question.text


# --- part 8: the edit list is numbered once -------------------------------------------------


@LANGS
async def test_edit_list_labels_carry_no_number_of_their_own(engine: Engine, lang: str) -> None:
    chat = Chat(engine)
    if lang == "en":
        await chat.send("/bahasa en")
    await chat.send(f"/start {payload()}")
    for value in [*WORKED, 1, 1, 1, 1]:
        await chat.send(str(value))
    await chat.tap(text_of("skip_short", lang))
    await chat.tap(text_of("review_edit", lang))
    assert not any(label[0].isdigit() for label in chat.labels), chat.labels
    await chat.send("8")
    assert question_counter(lang, 8) in chat.question.text
