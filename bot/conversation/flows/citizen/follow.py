"""/ikuti and /berhenti: a citizen follows a unit's published results, and stops.

Reached from /menu ("Ikuti hasil survei unit") or by typing /ikuti — never offered inside the
survey, so that following cannot be tied to a response. The follow is kept in its own table
(``follows``: the chat, the unit, the language, the date — no finer time, no reference to any
response). Each period ``bot.jobs.follows`` pushes the unit's published IKM, mutu, weakest
unsur and RTL with status in the follower's language; /berhenti ends every follow of the chat.

Steps: ``unit``. ``ctx.data``: nothing kept beyond the choice.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.conversation.flow import (
    Answer,
    Command,
    Context,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Prompt,
    Retry,
    Step,
)
from bot.conversation.ports.organisation import OrganisationReader
from bot.conversation.ports.rtl import FollowStore


class FollowPorts(OrganisationReader, FollowStore, Protocol):
    """The units to follow and the follows."""


Ctx = Context[FollowPorts]


class ChooseUnit(Step[FollowPorts]):
    name = "unit"

    async def prompt(self, ctx: Ctx) -> Prompt:
        units = await ctx.store.units_with_points()
        return Prompt(ctx.t("follow_choose_unit"),
                      tuple(Option(str(u.id), u.name) for u in units))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        unit = next((u for u in await ctx.store.units_with_points()
                     if str(u.id) == answer.value), None)
        if unit is None:
            return Retry(ctx.t("rtl_pick"))
        new = await ctx.store.follow_unit(ctx.channel, ctx.chat_id, unit.id, ctx.language,
                                          ctx.local_now.date())
        return Finish((ctx.t("follow_done" if new else "follow_already", unit=unit.name),))


class FollowFlow(Flow[FollowPorts]):
    """Choose a unit to follow."""

    name = "follow"
    title_key = "flow.follow"
    commands = ("ikuti",)

    def steps(self) -> tuple[Step[FollowPorts], ...]:
        return (ChooseUnit(),)

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        if not await ctx.store.units_with_points():
            return Finish((ctx.t("no_units"),))
        return Goto(ChooseUnit)


class UnfollowFlow(Command[FollowStore]):
    """/berhenti: end every follow of this chat."""

    name = "unfollow"
    commands = ("berhenti",)

    async def run(self, ctx: Context[FollowStore], arg: Any) -> Outcome:
        ended = await ctx.store.unfollow(ctx.channel, ctx.chat_id)
        return Finish((ctx.t("follow_stopped", n=ended) if ended else ctx.t("follow_none"),))
