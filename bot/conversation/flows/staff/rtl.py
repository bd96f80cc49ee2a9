"""/tindaklanjut: the unit head (or an admin chat) keeps the unit's follow-up plan (RTL).

Who may: the head of a unit — the summaries' rule, :meth:`UnitHeads.headed_units` — for the
units they head, and the chats in ``admin_chat_ids`` for every unit with service points
(:func:`managed_units`, which /saran uses too). A head of several units picks one first.

The plan of the SKM period (``EngineConfig.skm_period``, the current one) is listed with
status, progress and a late mark (:func:`kinerja.rtl.is_late`); then:

- **add**: the unsur, the period's weakest first (:func:`kinerja.skm.weakest` order by NRR,
  each shown with its NRR so far); optionally one saran of the period on that unsur it
  answers (linked and marked ``ditindaklanjuti``); the action; the penanggung jawab among
  the unit's employees (a button, or typed NIP / part of the name); the target date. The
  person responsible is told through the outbox; ``bot.jobs.rtl`` reminds them a week
  before the date.
- **update** an item: progress (0..100 %), status (the one the progress suggests is
  offered first) and a note ("-" for none); kept in the item's history with who and when.

A penanggung jawab who heads no unit gets their own open items (every unit) to update the
same way; the unit's heads are told of the update through the outbox.

Steps: ``unit``, ``home``, ``unsur``, ``saran``, ``action``, ``person``, ``date``,
``progress``, ``status``, ``note``, ``mine``. ``ctx.data``: ``by`` (who, as shown in the history),
``me`` (employee id or None for an admin chat), ``unit``/``code``/``unit_name``,
``period``, the item being written (``unsur``, ``saran_id``, ``action``, ``person``) or
updated (``item``, ``progress``, ``status``); ``own`` for a penanggung jawab's own items.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any, Protocol

from bot.conversation import texts
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
    action_choice,
)
from bot.conversation.flows.staff.admin import is_admin_chat
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.flows.staff.report import parse_work_date
from bot.conversation.messages import Choice, Reply
from bot.conversation.ports.organisation import OrganisationReader, UnitInfo
from bot.conversation.ports.outbox import OutboxWriter
from bot.conversation.ports.people import EmployeeInfo, People
from bot.conversation.ports.rtl import (
    NewRtl,
    RtlItem,
    RtlReader,
    RtlWriter,
    SaranEntry,
    SaranMarker,
    SaranReader,
    UnitHeads,
    UnitStaff,
)
from bot.conversation.ports.survey import SurveyStore
from bot.conversation.push import push_rendered
from kinerja.models import UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index
from kinerja.periods import Period, parse_period, period_of
from kinerja.rtl import ACTION_MAX, STATUSES, parse_progress, status_for_progress
from kinerja.skm import score_from_sums

#: items offered as buttons on the plan (the rest are listed; WhatsApp lists hold ten rows:
#: these, "add" and the two period buttons)
ITEM_BUTTONS = 7
#: saran offered to link, newest first
SARAN_OFFERED = 5
#: newest saran looked through for them (~70 µs each to theme: bench/saran_classify.py)
SARAN_SCANNED = 300
#: employees offered as buttons; more are reached by typing NIP or name
PEOPLE_BUTTONS = 9


class ManagedUnits(People, UnitHeads, OrganisationReader, Protocol):
    """Who is behind the chat and which units they may manage."""


class RtlPorts(
    ManagedUnits, RtlReader, RtlWriter, SaranReader, SaranMarker, UnitStaff, SurveyStore,
    OutboxWriter, Protocol,
):
    """What /tindaklanjut reads and writes."""


Ctx = Context[RtlPorts]


def unsur_name(lang: str, key: str) -> str:
    """The unsur's name in ``lang`` (official Indonesian wording, or its translation)."""
    return texts.label(lang, f"n.{key}", UNSUR_NAMES[key])


def skm_period(ctx: Context[Any]) -> Period:
    """The current SKM period (``EngineConfig.skm_period``) at the turn's moment."""
    return period_of(ctx.config.skm_period, ctx.now, ctx.config.timezone)  # type: ignore[arg-type]


def today(ctx: Context[Any]) -> date:
    return ctx.local_now.date()


async def managed_units(
    ctx: Context[ManagedUnits],
) -> tuple[EmployeeInfo | None, list[UnitInfo]] | None:
    """``(employee or None for an admin chat, the units they may manage)``, or ``None`` when
    the chat may manage none (not linked, not a head, not an admin chat)."""
    me = await current_employee(ctx)
    if is_admin_chat(ctx):
        return me, await ctx.store.units_with_points()
    if me is None:
        return None
    heads = await ctx.store.headed_units(me.id)
    units = list({h.id: UnitInfo(h.id, h.code, h.name) for h in heads}.values())
    return (me, units) if units else None


def who(me: EmployeeInfo | None) -> str:
    """The author as the history shows it."""
    return f"{me.nama} ({me.nip})" if me is not None else "admin (chat)"


def item_line(lang: str, item: RtlItem) -> str:
    """One item as the chat lists it: number, unsur, action, person, date, status, progress,
    and the late mark."""
    return texts.text(
        lang, "rtl_item_line", id=item.id, unsur=unsur_name(lang, item.unsur),
        action=item.action, person=item.responsible_nama or "—",
        date=item.target_date.strftime("%d/%m/%Y"),
        status=texts.text(lang, f"rtl_status_{item.status}"), progress=item.progress,
        late=texts.text(lang, "rtl_late") if item.late else "",
    )


async def _still_allowed(ctx: Ctx) -> bool:
    """The chat may still manage the unit in the session (a head may have moved on), or —
    for a penanggung jawab — is still responsible for the item being updated."""
    if ctx.data.get("own"):
        me = await current_employee(ctx)
        item = await ctx.store.rtl_item(int(ctx.data["item"]), today=today(ctx))
        return (me is not None and item is not None and me.id == ctx.data["me"]
                and item.responsible_id == me.id)
    allowed = await managed_units(ctx)
    return allowed is not None and any(u.id == ctx.data["unit"] for u in allowed[1])


async def own_items(ctx: Ctx, employee_id: int) -> list[RtlItem]:
    """The items not ``selesai`` that ``employee_id`` is responsible for, in every unit."""
    items = await ctx.store.rtl_open_until(date.max, today=today(ctx))
    return [i for i in items if i.responsible_id == employee_id]


class Mine(Step[RtlPorts]):
    """A penanggung jawab (not a head): the open items they are responsible for."""

    name = "mine"

    async def prompt(self, ctx: Ctx) -> Prompt:
        items = await own_items(ctx, int(ctx.data["me"]))
        lines = [ctx.t("rtl_mine")] + [item_line(ctx.language, i) for i in items]
        return Prompt("\n".join(lines), tuple(
            Option(f"i{i.id}", ctx.t("rtl_update_item", id=i.id)) for i in items[:9]))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        items = {f"i{i.id}": i for i in await own_items(ctx, int(ctx.data["me"]))}
        item = items.get(answer.value or "")
        if item is None:
            return Retry(ctx.t("rtl_pick"))
        ctx.data["item"] = item.id
        return Goto(Progress)


async def tell_heads(ctx: Ctx, item: RtlItem) -> None:
    """A penanggung jawab's update, pushed to the unit's heads, each in their language."""

    def notice(language: str) -> Reply:
        return Reply(texts.text(language, "rtl_update_push", nama=ctx.data["by"],
                                unit=item.unit_name, line=item_line(language, item)))

    for head in await ctx.store.headed_units():
        if head.id != item.unit_id or head.head_id == ctx.data["me"]:
            continue
        await push_rendered(ctx.store, head.head_id, notice, at=ctx.now,
                            default_language=ctx.config.default_language, kind="rtl")


class ChooseUnit(Step[RtlPorts]):
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
            return Retry(ctx.t("rtl_choose_unit"))
        ctx.data.update(unit=unit.id, code=unit.code, unit_name=unit.name)
        return Goto(Home)


class Home(Step[RtlPorts]):
    """The plan of the period (and older items not done): add, or pick one to update."""

    name = "home"

    async def _items(self, ctx: Ctx) -> list[RtlItem]:
        items = await ctx.store.rtl_items(ctx.data["unit"], today=today(ctx))
        return [i for i in items if i.period == ctx.data["period"] or i.status != "selesai"]

    async def prompt(self, ctx: Ctx) -> Prompt:
        items = await self._items(ctx)
        lines = [ctx.t("rtl_home", unit=ctx.data["unit_name"], period=ctx.data["period"])]
        lines += [item_line(ctx.language, i) for i in items] or [ctx.t("rtl_none")]
        options = [Option("add", ctx.t("rtl_add"))]
        options += [Option(f"i{i.id}", ctx.t("rtl_update_item", id=i.id))
                    for i in items[:ITEM_BUTTONS]]
        return Prompt("\n".join(lines), (*options, *period_options(ctx)))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == "add":
            return Goto(ChooseUnsur)
        if switch_period(ctx, answer.value):
            return Goto(Home)
        items = {f"i{i.id}": i for i in await self._items(ctx)}
        item = items.get(answer.value or "")
        if item is None:
            return Retry(ctx.t("rtl_pick"))
        ctx.data["item"] = item.id
        return Goto(Progress)


class ChooseUnsur(Step[RtlPorts]):
    """The nine unsur, the weakest of the period first, each with its NRR so far."""

    name = "unsur"

    async def prompt(self, ctx: Ctx) -> Prompt:
        start, end = period_bounds(ctx)
        sums = await ctx.store.unit_answer_sums(ctx.data["unit"], start, end)
        nrr = score_from_sums(sums.sums, sums.counts, sums.n).nrr
        order = sorted(UNSUR_KEYS, key=lambda k: (nrr[k] is None, nrr[k] or 0.0,
                                                  UNSUR_KEYS.index(k)))
        options = []
        for key in order:
            label = unsur_name(ctx.language, key)
            if nrr[key] is not None:
                label += f" ({format_index(nrr[key], ctx.language)})"
            options.append(Option(key, label))
        weakest = order[0] if nrr[order[0]] is not None else None
        text = (ctx.t("rtl_unsur_weakest", unsur=unsur_name(ctx.language, weakest),
                      period=ctx.data["period"])
                if weakest else ctx.t("rtl_unsur_no_answers", period=ctx.data["period"]))
        return Prompt(text, tuple(options))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value not in UNSUR_KEYS:
            return Retry(ctx.t("rtl_pick"))
        ctx.data["unsur"] = answer.value
        return Goto(ChooseSaran) if await _saran_offered(ctx) else Goto(Action)


def period_bounds(ctx: Context[Any]) -> tuple[datetime, datetime]:
    """Aware bounds of the session's period (``ctx.data["period"]``)."""
    return parse_period(ctx.data["period"]).bounds(ctx.config.timezone)


def period_options(ctx: Context[Any]) -> list[Option]:
    """Buttons to the session's previous period, and back towards the current one."""
    shown = parse_period(ctx.data["period"])
    options = [Option("pprev", ctx.t("rtl_period_prev", period=shown.previous().label))]
    if shown.label != skm_period(ctx).label:
        options.append(Option("pnext", ctx.t("rtl_period_next", period=shown.next().label)))
    return options


def switch_period(ctx: Context[Any], value: str | None) -> bool:
    """Move the session's period for a period button; whether ``value`` was one."""
    if value not in ("pprev", "pnext"):
        return False
    shown = parse_period(ctx.data["period"])
    if value == "pprev":
        ctx.data["period"] = shown.previous().label
    elif shown.label != skm_period(ctx).label:
        ctx.data["period"] = shown.next().label
    ctx.data["offset"] = 0
    return True


async def _saran_offered(ctx: Ctx) -> list[SaranEntry]:
    """Saran of the period on the chosen unsur not linked to an RTL yet, newest first, among
    the ``SARAN_SCANNED`` newest (themes are computed when read: this runs in the turn)."""
    start, end = period_bounds(ctx)
    recent = await ctx.store.unit_saran(ctx.data["unit"], start, end, ctx.config.timezone,
                                        limit=SARAN_SCANNED, marks=["baru", "ditindaklanjuti"])
    found = [s for s in recent if ctx.data["unsur"] in s.themes and s.rtl_id is None]
    return found[:SARAN_OFFERED]


class ChooseSaran(Step[RtlPorts]):
    """Optionally the saran the item answers (linked, marked ``ditindaklanjuti``)."""

    name = "saran"

    async def prompt(self, ctx: Ctx) -> Prompt:
        offered = await _saran_offered(ctx)
        lines = [ctx.t("rtl_saran_prompt")]
        lines += [f"{n}. {s.day.strftime('%d/%m/%Y')} — “{s.text[:200]}”"
                  for n, s in enumerate(offered, 1)]
        options = [Option(f"s{s.response_id}", ctx.t("rtl_saran_option", n=n))
                   for n, s in enumerate(offered, 1)]
        return Prompt("\n".join(lines), (*options, Option("skip", ctx.t("skip_short"))))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == "skip":
            ctx.data["saran_id"] = None
            return Goto(Action)
        offered = {f"s{s.response_id}": s for s in await _saran_offered(ctx)}
        if answer.value not in offered:
            return Retry(ctx.t("rtl_pick"))
        ctx.data["saran_id"] = offered[answer.value].response_id
        return Goto(Action)


class Action(Step[RtlPorts]):
    name = "action"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t("rtl_action_prompt", unsur=unsur_name(ctx.language,
                                                                 ctx.data["unsur"]),
                            max=ACTION_MAX), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        text = (answer.text or "").strip()
        if not text:
            return Retry(ctx.t("rtl_action_empty"))
        if len(text) > ACTION_MAX:
            return Retry(ctx.t("description_too_long", n=len(text), max=ACTION_MAX))
        ctx.data["action"] = text
        return Goto(Person)


class Person(Step[RtlPorts]):
    """The penanggung jawab: a button, or a typed NIP or part of the name."""

    name = "person"

    async def prompt(self, ctx: Ctx) -> Prompt:
        staff = await ctx.store.employees_of_unit(ctx.data["code"])
        options = tuple(Option(str(e.id), e.nama) for e in staff[:PEOPLE_BUTTONS])
        key = "rtl_person_prompt_more" if len(staff) > PEOPLE_BUTTONS else "rtl_person_prompt"
        return Prompt(ctx.t(key), options, free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        staff = await ctx.store.employees_of_unit(ctx.data["code"])
        if answer.value is not None:
            found = [e for e in staff if str(e.id) == answer.value]
        else:
            typed = (answer.text or "").strip().casefold()
            found = [e for e in staff if typed and (e.nip == typed or typed in e.nama.casefold())]
        if len(found) != 1:
            key = "rtl_person_many" if len(found) > 1 else "rtl_person_unknown"
            return Retry(ctx.t(key))
        ctx.data["person"] = found[0].id
        return Goto(TargetDate)


class TargetDate(Step[RtlPorts]):
    name = "date"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t("rtl_date_prompt"), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        target = parse_work_date(answer.text or "", today(ctx))
        if target is None:
            return Retry(ctx.t("rtl_date_invalid"))
        if target < today(ctx):
            return Retry(ctx.t("rtl_date_past"))
        if not await _still_allowed(ctx):
            return Finish((ctx.t("rtl_not_allowed"),))
        data = ctx.data
        item = NewRtl(data["unit"], data["period"], data["unsur"], data["action"],
                      data["person"], target)
        item_id = await ctx.store.add_rtl(item, at=ctx.now, by_name=data["by"],
                                          by_employee_id=data["me"])
        if data.get("saran_id"):
            await ctx.store.mark_saran(int(data["saran_id"]), "ditindaklanjuti", at=ctx.now,
                                       by_name=data["by"], rtl_id=item_id)
        saved = await ctx.store.rtl_item(item_id, today=today(ctx))
        assert saved is not None
        await tell_responsible(ctx.store, saved, at=ctx.now,
                               language=ctx.config.default_language, author_id=data["me"])
        return Finish((ctx.t("rtl_saved", line=item_line(ctx.language, saved)),))


class AssignmentPorts(People, OutboxWriter, Protocol):
    """Where the person responsible is reached."""


def update_button(item_id: int, language: str) -> Choice:
    """The button of an assignment or reminder push: update the item's progress now."""
    return action_choice(RtlFlow.name, str(item_id), texts.text(language, "rtl_update_button"))


async def tell_responsible(
    store: AssignmentPorts, item: RtlItem, *, at: datetime, language: str,
    author_id: int | None = None,
) -> int:
    """Push the assignment of ``item`` to its penanggung jawab (not when they wrote it
    themselves), each chat in its language (``language`` for a chat that chose none; held
    until they link a chat when they have none); once per item and person. How many chats
    it was queued for."""
    if item.responsible_id is None or item.responsible_id == author_id:
        return 0

    def notice(lang: str) -> Reply:
        return Reply(texts.text(
            lang, "rtl_assigned", unit=item.unit_name, unsur=unsur_name(lang, item.unsur),
            action=item.action, date=item.target_date.strftime("%d/%m/%Y"), period=item.period,
        ), (update_button(item.id, lang),))

    return await push_rendered(
        store, item.responsible_id, notice, at=at, default_language=language, kind="rtl",
        dedup_key=f"rtl-assigned:{item.id}:{item.responsible_id}",
    )


class Progress(Step[RtlPorts]):
    name = "progress"

    async def prompt(self, ctx: Ctx) -> Prompt:
        item = await ctx.store.rtl_item(ctx.data["item"], today=today(ctx))
        assert item is not None
        return Prompt(ctx.t("rtl_progress_prompt", line=item_line(ctx.language, item)),
                      free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        try:
            ctx.data["progress"] = parse_progress(answer.text or "")
        except ValueError:
            return Retry(ctx.t("rtl_progress_invalid"))
        return Goto(Status)


class Status(Step[RtlPorts]):
    name = "status"

    async def prompt(self, ctx: Ctx) -> Prompt:
        suggested = status_for_progress(int(ctx.data["progress"]), None)
        order = (suggested, *(s for s in STATUSES if s != suggested))
        return Prompt(ctx.t("rtl_status_prompt"),
                      tuple(Option(s, ctx.t(f"rtl_status_{s}")) for s in order))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value not in STATUSES:
            return Retry(ctx.t("rtl_pick"))
        ctx.data["status"] = answer.value
        return Goto(Note)


class Note(Step[RtlPorts]):
    name = "note"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(ctx.t("rtl_note_prompt", max=ACTION_MAX), free_text=True)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        text = (answer.text or "").strip()
        if len(text) > ACTION_MAX:
            return Retry(ctx.t("description_too_long", n=len(text), max=ACTION_MAX))
        if not await _still_allowed(ctx):
            return Finish((ctx.t("rtl_not_allowed"),))
        data = ctx.data
        await ctx.store.update_rtl(
            int(data["item"]), at=ctx.now, by_name=data["by"], by_employee_id=data["me"],
            progress=int(data["progress"]), status=data["status"],
            note=None if text in ("", "-") else text,
        )
        item = await ctx.store.rtl_item(int(data["item"]), today=today(ctx))
        assert item is not None
        if data.get("own"):
            await tell_heads(ctx, item)
        return Finish((ctx.t("rtl_updated", line=item_line(ctx.language, item)),))


def with_head_help(
    base: Callable[[Context[Any]], Awaitable[str | None]],
) -> Callable[[Context[Any]], Awaitable[str | None]]:
    """/bantuan by role (``base``), plus the unit head's commands (/tindaklanjut, /saran) for
    someone who heads a unit."""

    async def provide(ctx: Context[Any]) -> str | None:
        shown = await base(ctx)
        if shown is None:
            return None
        me = await current_employee(ctx)
        if me is not None and await ctx.store.headed_units(me.id):
            shown += "\n\n" + ctx.t("help_head")
        return shown

    return provide


class RtlFlow(Flow[RtlPorts]):
    """The unit's follow-up plan, in chat."""

    name = "rtl"
    title_key = "flow.rtl"
    commands = ("tindaklanjut",)

    def steps(self) -> tuple[Step[RtlPorts], ...]:
        return (ChooseUnit(), Home(), ChooseUnsur(), ChooseSaran(), Action(), Person(),
                TargetDate(), Progress(), Status(), Note(), Mine())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        """``arg``: ``None`` (/tindaklanjut), or an item id from a push's button — checked
        again: the chat must head the item's unit, be an admin chat or its penanggung jawab."""
        if isinstance(arg, str) and arg.isdigit():
            return await self._one(ctx, int(arg))
        allowed = await managed_units(ctx)
        if allowed is None or not allowed[1]:
            me = await current_employee(ctx)
            if me is not None and await own_items(ctx, me.id):
                ctx.data.update(me=me.id, by=who(me), own=True, period=skm_period(ctx).label)
                return Goto(Mine)
            return Finish((ctx.t("rtl_not_allowed"),))
        me, units = allowed
        ctx.data.update(me=me.id if me else None, by=who(me), period=skm_period(ctx).label)
        if len(units) > 1:
            return Goto(ChooseUnit)
        ctx.data.update(unit=units[0].id, code=units[0].code, unit_name=units[0].name)
        return Goto(Home)

    async def _one(self, ctx: Ctx, item_id: int) -> Outcome:
        item = await ctx.store.rtl_item(item_id, today=today(ctx))
        if item is None:
            return Finish((ctx.t("rtl_not_allowed"),))
        allowed = await managed_units(ctx)
        me = await current_employee(ctx)
        period = skm_period(ctx).label
        if allowed is not None and any(u.id == item.unit_id for u in allowed[1]):
            ctx.data.update(me=me.id if me else None, by=who(me), period=period,
                            unit=item.unit_id, code=item.unit_code, unit_name=item.unit_name)
        elif me is not None and item.responsible_id == me.id:
            ctx.data.update(me=me.id, by=who(me), own=True, period=period)
        else:
            return Finish((ctx.t("rtl_not_allowed"),))
        ctx.data["item"] = item.id
        return Goto(Progress)
