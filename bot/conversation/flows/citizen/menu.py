"""/menu: what a person can do, and the way to a survey without a QR code.

Root → (survey) unit → service → point (skipped when the service has one
point) → the survey flow. Later flows add their entries through
``MenuFlow(extra=...)``.
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
    Option,
    Outcome,
    Prompt,
    Switch,
)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """An extra root entry: shows ``label_key`` and starts ``flow``."""

    value: str
    label_key: str
    flow: str


class MenuFlow(Flow):
    name = "menu"
    title_key = "flow.menu"

    def __init__(self, extra: Sequence[MenuEntry] = ()) -> None:
        self.extra = tuple(extra)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        return Goto("root")

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        store = ctx.store
        if step == "root":
            options = [Option("survey", ctx.t("menu_survey"))]
            options += [Option(e.value, ctx.t(e.label_key)) for e in self.extra]
            options += [
                Option("help", ctx.t("menu_help")),
                Option("language", ctx.t("menu_language")),
            ]
            return Prompt(ctx.t("menu_prompt"), tuple(options))
        if step == "unit":
            units = await store.units_with_points()
            return Prompt(ctx.t("choose_unit"), tuple(Option(str(u.id), u.name) for u in units))
        if step == "service":
            services = await store.services_with_points(int(ctx.data["unit_id"]))
            return Prompt(
                ctx.t("choose_service", unit=ctx.data["unit_name"]),
                tuple(Option(str(s.id), s.name) for s in services),
            )
        if step == "point":
            points = await store.points_of_service(int(ctx.data["service_id"]))
            return Prompt(
                ctx.t("choose_point", service=ctx.data["service_name"]),
                tuple(Option(str(p.id), p.name) for p in points),
            )
        raise KeyError(step)

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        value = answer.value or ""
        store = ctx.store
        if step == "root":
            if value == "survey":
                if not await store.units_with_points():
                    return Finish((ctx.t("no_units"),))
                return Goto("unit")
            if value == "help":
                return Finish((ctx.t("help"),))
            if value == "language":
                ctx.language = "en" if ctx.language == "id" else "id"
                return Goto("root", (ctx.t("language_set"),))
            for entry in self.extra:
                if entry.value == value:
                    return Switch(entry.flow)
            return Goto("root")
        if step == "unit":
            unit = next((u for u in await store.units_with_points() if str(u.id) == value), None)
            if unit is None:
                return Goto("unit")
            ctx.data.update(unit_id=unit.id, unit_name=unit.name)
            return Goto("service")
        if step == "service":
            services = await store.services_with_points(int(ctx.data["unit_id"]))
            service = next((s for s in services if str(s.id) == value), None)
            if service is None:
                return Goto("service")
            ctx.data.update(service_id=service.id, service_name=service.name)
            points = await store.points_of_service(service.id)
            if len(points) == 1:
                return Switch("survey", points[0].id)
            return Goto("point")
        if step == "point":
            return Switch("survey", int(value))
        raise KeyError(step)
