"""/menu: what a person can do, and the way to a survey without a QR code.

Root → (survey) unit → service → point (skipped when the service has one
point) → the survey flow. Other flows add their root entries through
``MenuFlow(extra=...)`` (e.g. "Saya pegawai" → registration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.conversation.flow import (
    Answer,
    Context,
    Finish,
    Flow,
    Goto,
    HelpProvider,
    Option,
    Outcome,
    Prompt,
    Step,
    Switch,
)
from bot.conversation.flows.citizen.survey import SurveyFlow
from bot.conversation.ports.organisation import OrganisationReader

Ctx = Context[OrganisationReader]


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """An extra root entry: shows ``label_key`` and starts ``flow``."""

    value: str
    label_key: str
    flow: str


class Root(Step[OrganisationReader]):
    """Survey, the extra entries, help, language.

    Help is the one /bantuan gives (``help``: per role; ``None``: the citizen's help);
    the language chosen here is kept for the chat, as /bahasa keeps it.
    """

    name = "root"

    def __init__(self, extra: Sequence[MenuEntry], help: HelpProvider | None = None) -> None:
        self.extra = tuple(extra)
        self.help = help

    async def prompt(self, ctx: Ctx) -> Prompt:
        options = [Option("survey", ctx.t("menu_survey"))]
        options += [Option(e.value, ctx.t(e.label_key)) for e in self.extra]
        options += [
            Option("help", ctx.t("menu_help")),
            Option("language", ctx.t("menu_language")),
        ]
        return Prompt(ctx.t("menu_prompt"), tuple(options))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        value = answer.value or ""
        if value == "survey":
            if not await ctx.store.units_with_points():
                return Finish((ctx.t("no_units"),))
            return Goto(ChooseUnit)
        if value == "help":
            custom = await self.help(ctx) if self.help is not None else None
            return Finish((custom or ctx.t("help"),))
        if value == "language":
            ctx.choose_language("en" if ctx.language == "id" else "id")
            return Goto(Root, (ctx.t("language_set"),))
        for entry in self.extra:
            if entry.value == value:
                return Switch(entry.flow)
        return Goto(Root)


class ChooseUnit(Step[OrganisationReader]):
    """Units that have an active service point, by name."""

    name = "unit"

    async def prompt(self, ctx: Ctx) -> Prompt:
        units = await ctx.store.units_with_points()
        return Prompt(ctx.t("choose_unit"), tuple(Option(str(u.id), u.name) for u in units))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        units = await ctx.store.units_with_points()
        unit = next((u for u in units if str(u.id) == answer.value), None)
        if unit is None:
            return Goto(ChooseUnit)
        ctx.data.update(unit_id=unit.id, unit_name=unit.name)
        return Goto(ChooseService)


class ChooseService(Step[OrganisationReader]):
    """The unit's services that have a point; a service with one point starts its survey."""

    name = "service"

    async def prompt(self, ctx: Ctx) -> Prompt:
        services = await ctx.store.services_with_points(int(ctx.data["unit_id"]))
        return Prompt(
            ctx.t("choose_service", unit=ctx.data["unit_name"]),
            tuple(Option(str(s.id), s.name) for s in services),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        services = await ctx.store.services_with_points(int(ctx.data["unit_id"]))
        service = next((s for s in services if str(s.id) == answer.value), None)
        if service is None:
            return Goto(ChooseService)
        ctx.data.update(service_id=service.id, service_name=service.name)
        points = await ctx.store.points_of_service(service.id)
        if len(points) == 1:
            return Switch(SurveyFlow, points[0].id)
        return Goto(ChoosePoint)


class ChoosePoint(Step[OrganisationReader]):
    """The service's points (counters)."""

    name = "point"

    async def prompt(self, ctx: Ctx) -> Prompt:
        points = await ctx.store.points_of_service(int(ctx.data["service_id"]))
        return Prompt(
            ctx.t("choose_point", service=ctx.data["service_name"]),
            tuple(Option(str(p.id), p.name) for p in points),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        return Switch(SurveyFlow, int(answer.value or 0))


class MenuFlow(Flow[OrganisationReader]):
    name = "menu"
    title_key = "flow.menu"

    def __init__(
        self, extra: Sequence[MenuEntry] = (), help: HelpProvider | None = None
    ) -> None:
        self.extra = tuple(extra)
        self.help = help

    def steps(self) -> tuple[Step[OrganisationReader], ...]:
        return (Root(self.extra, self.help), ChooseUnit(), ChooseService(), ChoosePoint())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        return Goto(Root)
