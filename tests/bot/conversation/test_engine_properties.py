"""Property: whatever people send, the engine never raises and never stores a bad answer."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.admin.demo import write_organisation
from bot.app.compose import build_engine
from bot.conversation.flow import EngineConfig
from bot.conversation.messages import Inbound, InboundKind, Media
from bot.storage import Store
from kinerja.models import UNSUR_KEYS
from tests.conftest import SECRET, Clock, payload

texts = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "0", "-1", "9", "Kirim", "Lewati", "Batal",
                     "/start", "/menu", "/batal", "/bantuan", "/bahasa", "/bahasa en",
                     "/lapor", "", "   ", "sangat sesuai"]),
    st.just("/start ").map(lambda s: s + payload()),
    st.just("/start ").map(lambda s: s + payload()[:-2] + "zz"),
    st.text(max_size=40),
)
message = st.one_of(
    st.tuples(st.just("text"), texts, st.sampled_from(["a", "b"])),
    st.tuples(st.just("choice"), st.from_regex(r"[0-9]{1,2}\.[a-z0-9_]{1,8}", fullmatch=True),
              st.sampled_from(["a", "b"])),
    st.tuples(st.just("media"), st.sampled_from(["photo", "sticker", "voice"]),
              st.sampled_from(["a", "b"])),
    st.tuples(st.just("tick"), st.integers(min_value=1, max_value=90), st.just("a")),
)


async def run_script(steps: list[tuple[str, object, str]]) -> int:
    """Play the steps; check every stored answer is 1..4; return how many were stored."""
    store = await Store.open(":memory:")  # a fresh real database per example
    try:
        async with store.unit() as uow:
            await write_organisation(uow)
        clock = Clock()
        engine = build_engine(store, EngineConfig(secret_key=SECRET), clock=clock)
        last_choices: dict[str, list[str]] = {"a": [], "b": []}
        for index, (kind, value, who) in enumerate(steps):
            if kind == "tick":
                clock.advance(minutes=int(value))  # type: ignore[call-overload]
                continue
            if kind == "text":
                inbound = Inbound.from_text("p", who, str(value), message_id=str(index))
            elif kind == "choice":
                # Either a real button of the last question, or garbage.
                ids = last_choices[who]
                choice = ids[int(str(value)[0]) % len(ids)] if ids and index % 2 else value
                inbound = Inbound("p", who, InboundKind.CHOICE, choice_id=str(choice),
                                  message_id=str(index))
            else:
                inbound = Inbound("p", who, InboundKind.MEDIA, media=Media(str(value)),
                                  message_id=str(index))
            replies = await engine.handle(inbound)
            for reply in replies:
                assert reply.text
                assert all(len(c.id.encode()) <= 64 for c in reply.choices)
            questions = [r for r in replies if r.choices]
            if questions:
                last_choices[who] = [c.id for c in questions[-1].choices]
        columns = ", ".join(f"u_{k}" for k in UNSUR_KEYS)
        async with store.reading() as r:
            rows = await r.db.fetchall(f"SELECT {columns} FROM survey_responses")
        for row in rows:
            assert all(v in (1, 2, 3, 4) for v in tuple(row))
        return len(rows)
    finally:
        await store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(message, min_size=1, max_size=40))
def test_random_conversations_never_raise_or_store_bad_answers(
    steps: list[tuple[str, object, str]],
) -> None:
    asyncio.run(run_script(steps))


def test_the_harness_does_store_a_complete_survey() -> None:
    """The same harness stores a response when the steps make one, so the property can fail."""
    steps: list[tuple[str, object, str]] = [("text", f"/start {payload()}", "a")]
    steps += [("text", "3", "a")] * 13 + [("text", "Lewati", "a"), ("text", "Kirim", "a")]
    assert asyncio.run(run_script(steps)) == 1
