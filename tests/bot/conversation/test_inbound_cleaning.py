"""Clean input at the door (issue 13, part 3): whatever text or bytes a platform hands over,
the engine never raises and nothing reaches storage unnormalised."""

from __future__ import annotations

import asyncio
import contextlib
import json
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.admin.demo import write_organisation
from bot.app.compose import build_engine
from bot.conversation.engine import Engine
from bot.conversation.flow import EngineConfig
from bot.conversation.messages import (
    TEXT_MAX,
    Inbound,
    InboundKind,
    Media,
    clean_text,
)
from bot.conversation.typed import ascii_int
from bot.storage import Store
from kinerja.numbers import parse_choice
from tests.bot.staff_fixtures import STAF_A, linked, load_staff
from tests.conftest import SECRET, Chat, Clock, payload

NASTY = ["²", "①", "٣", "३", "9" * 5000, "3" * 5, "\x1b[31m", "\x00", "\ud800", "\udcff",
         "a\u0301", "\u202e", "!intro:²", "!proposal:²:accept", "１", "\r\n", "\x85", "\ufeff"]

#: anything a platform or a pipe can hand over: any code point (lone surrogates too),
#: undecodable bytes as a terminal reads them (surrogateescape) or as raw bytes
anything = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, categories=None)),
    st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.binary(),
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY), max_size=4).map("".join),
)


def is_clean(value: str) -> bool:
    """What every text from a person must be once inside: NFC, no control character but tab
    and newline, no lone surrogate."""
    return (
        unicodedata.is_normalized("NFC", value)
        and not any(unicodedata.category(c) == "Cs" for c in value)
        and not any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in value)
    )


# --- the cleaning itself -----------------------------------------------------------------


@pytest.mark.parametrize(("raw", "clean"), [
    ("a\x1bb\x01c", "abc"),
    ("baris\r\nbaru\rlagi", "baris\nbaru\nlagi"),
    ("tab\tdan\nbaris", "tab\tdan\nbaris"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    (b"bad \xff bytes", "bad \ufffd bytes"),
    ("e\u0301", "\u00e9"),
    (None, ""),
])
def test_clean_text(raw: Any, clean: str) -> None:
    assert clean_text(raw) == clean


@given(anything, st.integers(min_value=1, max_value=5000))
@settings(max_examples=300, deadline=None)
def test_clean_text_is_clean_capped_and_idempotent(raw: str | bytes, limit: int) -> None:
    once = clean_text(raw, limit)
    assert is_clean(once)
    assert len(once) <= limit
    assert clean_text(once, limit) == once


@given(anything)
@settings(deadline=None)
def test_every_field_of_an_inbound_is_cleaned(raw: str | bytes) -> None:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    inbound = Inbound("p", text, InboundKind.CHOICE, text=text * 3, command=text,
                      choice_id=text, message_id=text, language=text,
                      media=Media(text, text, text, text, None, text * 600))
    assert inbound.media is not None
    values = [inbound.chat_id, inbound.text, inbound.command, inbound.choice_id,
              inbound.message_id, inbound.language, inbound.media.kind,
              inbound.media.file_ref, inbound.media.file_name, inbound.media.mime_type,
              inbound.media.caption]
    assert all(isinstance(v, str) and is_clean(v) for v in values)
    assert len(inbound.text) <= TEXT_MAX and len(inbound.choice_id or "") <= 256
    assert len(inbound.media.caption or "") <= 1024
    assert inbound == Inbound(**{f: getattr(inbound, f) for f in Inbound.__slots__})


@pytest.mark.parametrize(("typed", "number"), [
    ("3", 3), (" 3 ", 3), ("3.", 3), ("3)", 3), ("３", 3), ("１２", 12), ("0", 0),
    ("²", 2), ("①", 1), ("٣", None), ("३", None), ("¹²", 12), ("9" * 5000, None), ("12345", None),
    ("3..", None), ("-1", None), ("+1", None), ("", None), ("satu", None),
])
def test_option_numbers_are_ascii_digits_only(typed: str, number: int | None) -> None:
    assert parse_choice(typed) == number


@given(anything)
@settings(deadline=None)
def test_typed_numbers_never_raise(raw: str | bytes) -> None:
    text = clean_text(raw)
    number = parse_choice(text)
    assert number is None or 0 <= number <= 9999
    assert ascii_int(text) is None or text.isascii()


# --- through the engine into storage -----------------------------------------------------


async def stored_texts(store: Store) -> list[str]:
    """Every text value in every table, JSON columns opened up."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
            if value[:1] in "{[":
                with contextlib.suppress(ValueError):
                    walk(json.loads(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    async with store.reading() as r:
        tables = await r.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        for table in tables:
            for row in await r.db.fetchall(f"SELECT * FROM {table['name']}"):
                for value in tuple(row):
                    walk(value)
    return found


async def survey_with(store: Store, engine: Engine, chat_id: str, at: int, how: str,
                      weird: str | bytes) -> None:
    """A survey with ``weird`` sent ``how`` before answer ``at``, and as the saran."""
    chat = Chat(engine, chat_id, "p")
    await chat.send(f"/start {payload()}")
    valid = ["4"] * 9 + ["1"] * 4
    for index, answer in enumerate(valid):
        if index == at:
            if how == "text":
                inbound = Inbound.from_text("p", chat_id, weird)  # type: ignore[arg-type]
            elif how == "choice":
                inbound = Inbound("p", chat_id, InboundKind.CHOICE, choice_id=clean_text(weird))
            elif how == "command":
                inbound = Inbound.from_text("p", chat_id, "/" + clean_text(weird))
            else:
                inbound = Inbound("p", chat_id, InboundKind.MEDIA,
                                  media=Media("photo", clean_text(weird),
                                              caption=clean_text(weird)))
            replies = await engine.handle(inbound)
            assert replies and all(r.text for r in replies)
            assert sum(len(r.text) for r in replies) < 6000  # nothing echoed whole
            if "Ketik /menu" in replies[-1].text or not chat.last:
                return  # the weird input left the survey (/menu, /batal …): fine
        await chat.send(answer)
    await chat.send(clean_text(weird) or "-")  # the saran
    await chat.send("1")  # Kirim (or an answer of whatever question a command led to)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=12),
                          st.sampled_from(["text", "choice", "command", "media"]),
                          anything), min_size=1, max_size=3))
def test_anything_sent_never_raises_and_storage_stays_clean(
    cases: list[tuple[int, str, str | bytes]],
) -> None:
    async def run() -> None:
        store = await Store.open(":memory:")
        try:
            async with store.unit() as uow:
                await write_organisation(uow)
            engine = build_engine(store, EngineConfig(secret_key=SECRET), clock=Clock())
            for n, (at, how, weird) in enumerate(cases):
                await survey_with(store, engine, f"chat-{n}", at, how, weird)
            texts = await stored_texts(store)
            assert all(is_clean(t) for t in texts), [t for t in texts if not is_clean(t)]
        finally:
            await store.close()

    asyncio.run(run())


async def test_a_saran_with_escape_and_control_characters_is_stored_clean(
    engine: Engine, org: Store
) -> None:
    chat = Chat(engine, "77")
    await chat.send(f"/start {payload()}")
    for answer in ["4"] * 9 + ["1"] * 4:
        await chat.send(answer)
    await chat.send("Loket\x1b[31m lambat\x01, petugas\u0000 ramah\r\ntapi antre")
    await chat.send("1")
    async with org.reading() as r:
        row = await r.db.fetchone("SELECT saran FROM survey_responses")
    assert row["saran"] == "Loket[31m lambat, petugas ramah\ntapi antre"


@pytest.mark.parametrize(("typed", "counts"), [
    ("３", True), ("²", True), ("①", True), ("3.", True), ("3)", True),  # NFKC: 3, 2, 1
    ("9" * 5000, False), ("٣", False), ("⁵", False), ("3" * 20, False),
])
async def test_odd_digits_at_a_choice_count_or_get_the_question_again(
    engine: Engine, typed: str, counts: bool
) -> None:
    chat = Chat(engine, "78")
    await chat.send(f"/start {payload()}")
    await chat.send(typed)
    if counts:
        assert "Pertanyaan 2 dari 9" in chat.question.text
    else:
        assert "Pertanyaan 1 dari 9" in chat.question.text
        assert len(chat.text) < 1000


@pytest.mark.parametrize("action", ["!intro:²", "!intro:" + "9" * 5000, "!proposal:²:accept",
                                    "!proposal:" + "1" * 40 + ":accept", "!proposal:①:x"])
async def test_forged_action_buttons_never_crash(engine: Engine, org: Store, clock: Clock,
                                                 action: str) -> None:
    await load_staff(org)
    chat = Chat(engine, "79")
    await linked(chat, org, STAF_A, "ABCD2345", clock())
    replies = await engine.handle(Inbound("test", "79", InboundKind.CHOICE, choice_id=action,
                                          message_id="forged"))
    assert replies and all(r.text for r in replies)


async def test_an_unknown_command_is_echoed_only_in_part(engine: Engine) -> None:
    chat = Chat(engine, "80")
    replies = await chat.send("/" + "x" * 1_000_000)
    assert sum(len(r.text) for r in replies) < 1000
    assert "x" * 25 not in chat.text


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["/lapor", "/usul", "/nilaidiri", "/status", "/skor"]),
       st.lists(st.one_of(anything, st.sampled_from(["1", "2", "3", "Lewati", "hari ini"])),
                min_size=1, max_size=10))
def test_anything_an_employee_sends_never_raises_and_storage_stays_clean(
    command: str, messages: list[str | bytes],
) -> None:
    """The staff flows (report, proposal, self-assessment …) get whatever a person types:
    amounts, descriptions, dates, reasons."""

    async def run() -> None:
        store = await Store.open(":memory:")
        try:
            async with store.unit() as uow:
                await write_organisation(uow)
            await load_staff(store)
            clock = Clock()
            engine = build_engine(store, EngineConfig(secret_key=SECRET), clock=clock)
            chat = Chat(engine, "staff-1", "test")
            await linked(chat, store, STAF_A, "ABCD2345", clock())
            await chat.send(command)
            for n, raw in enumerate(messages):
                inbound = Inbound.from_text("test", "staff-1", raw,  # type: ignore[arg-type]
                                            message_id=f"m{n}")
                replies = await engine.handle(inbound)
                assert replies and all(r.text for r in replies)
                assert sum(len(r.text) for r in replies) < 12_000
            texts = await stored_texts(store)
            assert all(is_clean(t) for t in texts), [t for t in texts if not is_clean(t)]
        finally:
            await store.close()

    asyncio.run(run())
