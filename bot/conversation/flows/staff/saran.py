"""/saran: the unit head (or an admin chat) reads the citizens' saran and marks them.

The same people as /tindaklanjut (:func:`bot.conversation.flows.staff.rtl.managed_units`).
The saran of the current SKM period at the unit's own points, newest first, ``PAGE`` at a
time: date, sesi (nothing finer is kept), service, point, mark (and linked RTL), theme
(:func:`kinerja.saran.classify`; ⚠️ for a serious complaint) and the text. Each may be
marked baru / ditindaklanjuti / tidak relevan / dipublikasikan; "ditindaklanjuti" then asks
which RTL item of the unit it is linked to (or none). Only "dipublikasikan" saran may be
quoted in anything published.

Steps: ``unit``, ``page``, ``mark``, ``link``. ``ctx.data``: ``by``, ``unit``, ``code``,
``unit_name``, ``period``, ``offset``, the saran ids of the page shown (``shown``), the
saran being marked (``saran``).
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.conversation.flow import (
    Answer,
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
from bot.conversation.flows.staff.rtl import (
    ManagedUnits,
    managed_units,
    period_bounds,
    period_options,
    skm_period,
    switch_period,
    today,
    unsur_name,
    who,
)
from bot.conversation.ports.rtl import RtlReader, SaranEntry, SaranMarker, SaranReader
from kinerja.models import UNSUR_KEYS
from kinerja.rtl import MARKS

#: saran per page (WhatsApp lists hold ten rows: five marks, two page and two period buttons)
PAGE = 5
#: characters of a saran shown in the list (the whole text when marking)
SHOWN_CHARS = 300
#: RTL items offered to link
LINK_BUTTONS = 8


class SaranPorts(ManagedUnits, SaranReader, SaranMarker, RtlReader, Protocol):
    """What /saran reads and writes."""


Ctx = Context[SaranPorts]


def _theme(ctx: Ctx, entry: SaranEntry) -> str:
    names = [unsur_name(ctx.language, t) if t in UNSUR_KEYS else ctx.t(f"saran_theme_{t}")
             for t in entry.themes]
    return ", ".join(names) + (" ⚠️" if entry.serious else "")


def saran_line(ctx: Ctx, n: int, entry: SaranEntry, limit: int = SHOWN_CHARS) -> str:
    text = entry.text if len(entry.text) <= limit else entry.text[:limit] + "…"
    return ctx.t(
        "saran_line", n=n, date=entry.day.strftime("%d/%m/%Y"),
        sesi=ctx.t(f"saran_sesi_{entry.sesi}"), service=entry.service, point=entry.point,
        mark=ctx.t(f"saran_mark_{entry.mark}"),
        rtl=f" → RTL #{entry.rtl_id}" if entry.rtl_id else "", text=text,
    ) + f"\n({_theme(ctx, entry)})"


class ChooseUnit(Step[SaranPorts]):
    name = "unit"

    async def prompt(self, ctx: Ctx) -> Prompt:
        allowed = await managed_units(ctx)
        units = allowed[1] if allowed else []
        return Prompt(ctx.t("rtl_choose_unit"),
                      tuple(Option(str(u.id), f"{u.name} ({u.code})") for u in units))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        allowed = await managed_units(ctx)
        unit = next((u for u in (allowed[1] if allowed else []) if str(u.id) == answer.value),
                    None)
        if unit is None:
            return Retry(ctx.t("rtl_pick"))
        ctx.data.update(unit=unit.id, code=unit.code, unit_name=unit.name)
        return Goto(Page)


class Page(Step[SaranPorts]):
    """One page of saran with a mark button each and the page buttons."""

    name = "page"

    async def prompt(self, ctx: Ctx) -> Prompt:
        start, end = period_bounds(ctx)
        unit, tz = ctx.data["unit"], ctx.config.timezone
        total = await ctx.store.unit_saran_count(unit, start, end)
        if total == 0:  # another period, or none at all: the period buttons only
            ctx.data["shown"] = []
            return Prompt(ctx.t("saran_none", period=ctx.data["period"]),
                          tuple(period_options(ctx)))
        offset = min(int(ctx.data.get("offset", 0)), (total - 1) // PAGE * PAGE)
        ctx.data["offset"] = offset
        entries = await ctx.store.unit_saran(unit, start, end, tz, offset=offset, limit=PAGE)
        new = await ctx.store.unit_saran_count(unit, start, end, marks=["baru"])
        ctx.data["shown"] = [e.response_id for e in entries]
        lines = [ctx.t("saran_home", unit=ctx.data["unit_name"], period=ctx.data["period"],
                       n=total, new=new, page=offset // PAGE + 1,
                       pages=(total + PAGE - 1) // PAGE)]
        lines += [saran_line(ctx, offset + i + 1, e) for i, e in enumerate(entries)]
        options = [Option(f"m{i}", ctx.t("saran_mark_item", n=offset + i + 1))
                   for i in range(len(entries))]
        if offset > 0:
            options.append(Option("prev", ctx.t("saran_prev")))
        if offset + PAGE < total:
            options.append(Option("next", ctx.t("saran_next")))
        return Prompt("\n\n".join(lines), (*options, *period_options(ctx)))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        value = answer.value or ""
        if switch_period(ctx, value):
            return Goto(Page)
        if value in ("next", "prev"):
            step = PAGE if value == "next" else -PAGE
            ctx.data["offset"] = max(0, int(ctx.data.get("offset", 0)) + step)
            return Goto(Page)
        shown = ctx.data.get("shown") or []
        if not shown:
            return Finish()
        if value.startswith("m") and value[1:].isdigit() and int(value[1:]) < len(shown):
            ctx.data["saran"] = shown[int(value[1:])]
            ctx.data["n"] = int(ctx.data.get("offset", 0)) + int(value[1:]) + 1
            return Goto(Mark)
        return Retry(ctx.t("rtl_pick"))


class Mark(Step[SaranPorts]):
    name = "mark"

    async def prompt(self, ctx: Ctx) -> Prompt:
        entry = await ctx.store.saran_by_id(int(ctx.data["saran"]), ctx.config.timezone)
        text = entry.text if entry else ""
        return Prompt(ctx.t("saran_mark_prompt", n=ctx.data["n"], text=text),
                      tuple(Option(m, ctx.t(f"saran_mark_{m}")) for m in MARKS))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value not in MARKS:
            return Retry(ctx.t("rtl_pick"))
        if answer.value == "ditindaklanjuti":
            items = await ctx.store.rtl_items(ctx.data["unit"], today=today(ctx))
            if items:
                return Goto(Link)
        return await _mark(ctx, answer.value, None)


async def _mark(ctx: Ctx, mark: str, rtl_id: int | None) -> Outcome:
    allowed = await managed_units(ctx)
    if allowed is None or not any(u.id == ctx.data["unit"] for u in allowed[1]):
        return Finish((ctx.t("rtl_not_allowed"),))
    await ctx.store.mark_saran(int(ctx.data["saran"]), mark, at=ctx.now, by_name=ctx.data["by"],
                               rtl_id=rtl_id, keep_link=mark != "tidak_relevan")
    return Goto(Page, (ctx.t("saran_marked", mark=ctx.t(f"saran_mark_{mark}")),))


class Link(Step[SaranPorts]):
    """The RTL item a "ditindaklanjuti" saran is linked to, newest items first."""

    name = "link"

    async def _items(self, ctx: Ctx) -> list[Any]:
        items = await ctx.store.rtl_items(ctx.data["unit"], today=today(ctx))
        return sorted(items, key=lambda i: i.id, reverse=True)[:LINK_BUTTONS]

    async def prompt(self, ctx: Ctx) -> Prompt:
        items = await self._items(ctx)
        options = [Option(f"r{i.id}", f"#{i.id} {unsur_name(ctx.language, i.unsur)}: "
                                      f"{i.action[:40]}") for i in items]
        return Prompt(ctx.t("saran_link_prompt"),
                      (*options, Option("none", ctx.t("saran_link_none"))))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == "none":
            return await _mark(ctx, "ditindaklanjuti", None)
        items = {f"r{i.id}": i for i in await self._items(ctx)}
        if answer.value not in items:
            return Retry(ctx.t("rtl_pick"))
        return await _mark(ctx, "ditindaklanjuti", items[answer.value].id)


class SaranFlow(Flow[SaranPorts]):
    """The citizens' saran of the unit, paged, with their marks."""

    name = "saran"
    title_key = "flow.saran"
    commands = ("saran",)

    def steps(self) -> tuple[Step[SaranPorts], ...]:
        return (ChooseUnit(), Page(), Mark(), Link())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        allowed = await managed_units(ctx)
        if allowed is None or not allowed[1]:
            return Finish((ctx.t("rtl_not_allowed"),))
        me, units = allowed
        ctx.data.update(by=who(me), period=skm_period(ctx).label, offset=0)
        if len(units) > 1:
            return Goto(ChooseUnit)
        ctx.data.update(unit=units[0].id, code=units[0].code, unit_name=units[0].name)
        return Goto(Page)
