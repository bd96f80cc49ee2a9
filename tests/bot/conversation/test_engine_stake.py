"""The engine's part of issue 14 with toy flows (the engine knows no flow by name): what a
flow says is at stake decides whether a payload asks, and whether "Dibatalkan" is said."""

from __future__ import annotations

from typing import Any

from bot.conversation.engine import Engine
from bot.conversation.flow import (
    Answer,
    Context,
    EngineConfig,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Prompt,
    Retry,
    Step,
)
from bot.conversation.registry import FlowRegistry
from bot.storage import Store
from tests.bot.conversation.flows.script import said, text_of
from tests.conftest import Chat, Clock, read


class Tally(Step[object]):
    """Counts taps; "done" finishes."""

    name = "tally"

    async def prompt(self, ctx: Context[object]) -> Prompt:
        return Prompt(f"n={ctx.data.get('n', 0)}", (Option("more", "More"), Option("done", "Done")))

    async def answer(self, ctx: Context[object], answer: Answer) -> Outcome:
        if answer.value == "done":
            return Finish((f"total {ctx.data.get('n', 0)}",))
        ctx.data["n"] = ctx.data.get("n", 0) + 1
        return Goto(Tally)


class Counter(Flow[object]):
    """Holds unsaved taps once there is one."""

    name = "counter"
    title_key = "flow.report"
    commands = ("hitung",)

    def steps(self) -> tuple[Step[object], ...]:
        return (Tally(),)

    async def begin(self, ctx: Context[object], arg: Any) -> Outcome:
        return Goto(Tally)

    def at_stake(self, ctx: Context[object]) -> str | None:
        return f"{ctx.data['n']} taps" if ctx.data.get("n") else None


class Lobby(Counter):
    """The same steps, but nothing is ever at stake (the default)."""

    name = "lobby"
    commands = ("lobi",)

    def at_stake(self, ctx: Context[object]) -> str | None:
        return None


class Door(Flow[object]):
    """The payload's flow: "ok-…" payloads open it, anything else is refused."""

    name = "door"
    title_key = "flow.survey"

    def steps(self) -> tuple[Step[object], ...]:
        return (Tally(),)

    async def begin(self, ctx: Context[object], arg: Any) -> Outcome:
        if not str(arg).startswith("ok-"):
            return Finish(("refused",))
        return Goto(Tally, (f"door {arg}",))

    async def preview(self, ctx: Context[object], arg: Any) -> str | Retry:
        return f"door {arg}" if str(arg).startswith("ok-") else Retry("refused")


def engine(store: Store, clock: Clock) -> Engine:
    registry: FlowRegistry[Any] = FlowRegistry([Lobby(), Counter(), Door()], home="lobby",
                                               payload="door")
    return Engine(store, EngineConfig(secret_key=b"k"), registry, clock=clock)


async def test_nothing_at_stake_means_the_payload_starts_at_once(
    store: Store, clock: Clock
) -> None:
    chat = Chat(engine(store, clock))
    await chat.send("/lobi")
    await chat.send("1")
    await chat.send("/start ok-1")
    assert chat.text.startswith("door ok-1") and not said(chat, "cancelled")
    await chat.send("/hitung")  # no answers in the door yet: nothing to cancel either
    assert not said(chat, "cancelled")


async def test_at_stake_asks_naming_both_and_continue_keeps_the_place(
    store: Store, clock: Clock
) -> None:
    chat = Chat(engine(store, clock))
    await chat.send("/hitung")
    await chat.send("1")
    await chat.send("1")
    await chat.send("/start ok-2")
    assert chat.question.text == text_of("restart_prompt_new", flow="laporan kinerja (2 taps)",
                                         new="door ok-2")
    await chat.tap("Lanjutkan")
    assert chat.question.text == "n=2"
    await chat.send("/start nope")  # starts nothing: said, the counter stays
    assert chat.text.startswith("refused") and chat.question.text == "n=2"
    await chat.send("/start ok-3")
    await chat.tap("Mulai yang baru")
    assert chat.text.startswith("door ok-3")
    session = await read(store, lambda r: r.load_session("test", "100"))
    assert session is not None and session.flow == "door"


async def test_cancelled_only_for_dropped_work(store: Store, clock: Clock) -> None:
    chat = Chat(engine(store, clock))
    await chat.send("/hitung")
    await chat.send("/lobi")
    assert not said(chat, "cancelled")
    await chat.send("/hitung")
    await chat.send("1")
    await chat.send("/lobi")
    assert said(chat, "cancelled")
    await chat.send("/batal")
    assert said(chat, "closed") and not said(chat, "cancelled")
    await chat.send("/batal")
    assert said(chat, "nothing_to_cancel")
