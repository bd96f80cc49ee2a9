"""The engine's turn as a unit of work: effects after the commit, versioned sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from bot.conversation.engine import Engine
from bot.conversation.flow import (
    AfterCommit,
    Answer,
    Command,
    Context,
    EngineConfig,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Prompt,
    Step,
)
from bot.conversation.flows.citizen.menu import MenuFlow
from bot.conversation.messages import Reply
from bot.conversation.ports.sessions import SessionRecord
from bot.conversation.registry import FlowRegistry
from bot.storage import Store
from tests.conftest import Chat, Clock, read, write


class MetaPorts(Protocol):
    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...


class Note(Command[MetaPorts]):
    """/catat: writes a row in the turn, then an effect reads it back after the commit."""

    name = "note"
    commands = ("catat",)

    def __init__(self, seen: list[str | None], gate: asyncio.Event | None = None) -> None:
        self.seen = seen
        self.gate = gate

    async def run(self, ctx: Context[MetaPorts], arg: Any) -> Outcome:
        await ctx.store.set_meta("note", str(arg))

        async def read_back(env: AfterCommit[MetaPorts]) -> Sequence[Reply]:
            async with env.store.reading() as reading:  # committed data only
                self.seen.append(await reading.get_meta("note"))
            return [Reply(env.t("language_set"))]

        async def slow(env: AfterCommit[MetaPorts]) -> None:
            assert self.gate is not None
            await self.gate.wait()
            async with env.store.unit() as uow:
                await uow.set_meta("background", "done")

        ctx.after_commit(read_back)
        if self.gate is not None:
            ctx.after_commit(slow, background=True)
        return Finish(("tersimpan",))


class Broken(Command[MetaPorts]):
    """/rusak: the turn stores a row; its effect fails."""

    name = "broken"
    commands = ("rusak",)

    async def run(self, ctx: Context[MetaPorts], arg: Any) -> Outcome:
        await ctx.store.set_meta("broken", "stored")

        async def fail(env: AfterCommit[MetaPorts]) -> None:
            raise OSError("disk full")

        ctx.after_commit(fail)
        return Finish(("ok",))


class Ask(Step[MetaPorts]):
    name = "ask"

    async def prompt(self, ctx: Context[MetaPorts]) -> Prompt:
        return Prompt("Pilih", (Option("a", "A"), Option("b", "B")))

    async def answer(self, ctx: Context[MetaPorts], answer: Answer) -> Outcome:
        return Finish((f"pilih {answer.value}",))


class Quiz(Flow[MetaPorts]):
    name = "quiz"
    title_key = "flow.survey"
    commands = ("kuis",)
    version = 2

    def steps(self) -> tuple[Step[MetaPorts], ...]:
        return (Ask(),)

    async def begin(self, ctx: Context[MetaPorts], arg: Any) -> Outcome:
        return Goto(Ask)


def engine_with(store: Store, clock: Clock, *flows: Flow[Any]) -> Engine:
    registry = FlowRegistry([MenuFlow(), *flows], home="menu", payload="menu")
    return Engine(store, EngineConfig(secret_key=b"k"), registry, clock=clock)


async def test_an_effect_runs_after_the_commit_and_its_replies_follow(
    store: Store, clock: Clock
) -> None:
    seen: list[str | None] = []
    chat = Chat(engine_with(store, clock, Note(seen)), "1")
    replies = await chat.send("/catat halo")
    assert seen == ["halo"], "the effect saw the turn's committed write"
    assert replies[0].text == "tersimpan"
    assert "Bahasa diganti" in replies[1].text


async def test_a_failing_effect_apologises_and_keeps_the_turn(
    store: Store, clock: Clock
) -> None:
    chat = Chat(engine_with(store, clock, Broken()), "2")
    replies = await chat.send("/rusak")
    assert replies[0].text == "ok"
    assert "Maaf, terjadi kesalahan" in replies[-1].text
    assert await read(store, lambda r: r.get_meta("broken")) == "stored"


async def test_a_background_effect_does_not_hold_the_reply(store: Store, clock: Clock) -> None:
    gate = asyncio.Event()
    engine = engine_with(store, clock, Note([], gate))
    replies = await Chat(engine, "3").send("/catat x")
    assert replies[0].text == "tersimpan"  # answered while the background work still waits
    assert await read(store, lambda r: r.get_meta("background")) is None
    gate.set()
    await engine.drain()
    assert await read(store, lambda r: r.get_meta("background")) == "done"


async def test_a_session_saved_by_an_older_flow_version_restarts_with_a_notice(
    store: Store, clock: Clock
) -> None:
    engine = engine_with(store, clock, Quiz())
    old = SessionRecord("test", "4", "quiz", "q1", seq=3, data={"old": True},
                        updated_at=clock.now, flow_version=1)
    await write(store, lambda u: u.save_session(old))
    chat = Chat(engine, "4")
    await chat.send("1")
    assert "baru diperbarui" in chat.text
    assert chat.labels  # the menu, not a crash on the unknown step "q1"
    await chat.send("/kuis")
    saved = await read(store, lambda r: r.load_session("test", "4"))
    assert saved is not None and (saved.flow, saved.flow_version) == ("quiz", 2)
    await chat.send("2")
    assert chat.text == "pilih b"
