"""The weekly summary and the Friday reminder: what is due, who gets what, into the outbox.

Both are idempotent per (recipient, period, channel) through the outbox's unique
``dedup_key`` — ``summary:{nip}:{week}:{channel}`` and ``reminder:{nip}:{week}:{channel}`` —
so a restart never sends twice. A ``meta`` marker per period (written in the same transaction
as the enqueues) spares recomputing a run that is already queued.

When is a run due?

- Summary: the summary of ISO week *W* (the week that just ended) is due on
  ``summary_weekday`` of week *W + 1* at ``summary_time`` in the configured zone (default
  Monday 07:00). Each tick enqueues the **most recent** due week if it is not queued yet,
  so a run missed while the bot was down goes out at the next start (older missed weeks
  are not sent: only the latest summary is useful).
- Reminder: due in the current week from ``reminder_weekday`` at ``reminder_time``
  (default Friday 14:00) until the week ends, to linked employees who have not reported
  this week; off when ``reminder_enabled`` is false.

Pushes are written in each recipient chat's saved language (else the configured one). A
summary push carries the summary's files (the team's XLSX and capaian chart, each headed
unit's XLSX and NRR chart): rendered in a worker thread while planning — in a reading,
before the unit that queues them, never while the writer is held — once per recipient
and language, so one person's Telegram and WhatsApp rows share one rendering (and, in
``push_files``, one stored copy).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from bot.config import Settings
from bot.conversation import texts
from bot.conversation.engine import utcnow
from bot.conversation.flows.staff.rtl import item_line as rtl_item_line
from bot.conversation.messages import Reply
from bot.conversation.ports.summary import HeadedUnit, RatingGap
from bot.conversation.summaries import (
    Block,
    gap_block,
    rating_period,
    team_block,
    team_frames,
    unit_block,
    unit_summaries,
)
from bot.jobs.loop import run_every
from bot.storage import Handle, Store
from kinerja.numbers import format_index
from kinerja.periods import Period, period_of, skp_year
from kinerja.rtl import mutu_fell
from kinerja.summary import UnitSkmSummary

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """The schedule's slice of :class:`bot.config.Settings`."""

    tz: ZoneInfo
    language: str = "id"
    summary_weekday: int = 0
    summary_time: time = time(7, 0)
    reminder_enabled: bool = True
    reminder_weekday: int = 4
    reminder_time: time = time(14, 0)
    #: the summary push carries its XLSX and PNG files
    files: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> ScheduleConfig:
        return cls(
            tz=settings.tz,
            language=settings.language,
            summary_weekday=settings.summary_weekday,
            summary_time=settings.summary_time,
            reminder_enabled=settings.reminder_enabled,
            reminder_weekday=settings.reminder_weekday,
            reminder_time=settings.reminder_time,
        )


@dataclass(frozen=True, slots=True)
class Push:
    """One planned outbox row."""

    nip: str
    nama: str
    channel: str
    chat_id: str
    kind: str
    dedup_key: str
    reply: Reply
    language: str | None = None


def _at(day_offset: int, week: Period, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(week.start + timedelta(days=day_offset), at, tzinfo=tz)


def summary_due(week: Period, config: ScheduleConfig) -> datetime:
    """When the summary of ``week`` is due: its next week's weekday at the time, aware."""
    return _at(config.summary_weekday, week.next(), config.summary_time, config.tz)


def latest_due_summary(now: datetime, config: ScheduleConfig) -> Period:
    """The most recent week whose summary is due at ``now`` (aware)."""
    candidate = period_of("week", now, config.tz).previous()
    return candidate if summary_due(candidate, config) <= now else candidate.previous()


def reminder_due(now: datetime, config: ScheduleConfig) -> Period | None:
    """The current week when its reminder is due at ``now`` (and enabled), else None."""
    if not config.reminder_enabled:
        return None
    week = period_of("week", now, config.tz)
    due = _at(config.reminder_weekday, week, config.reminder_time, config.tz)
    return week if due <= now else None


def _summary_key(nip: str, period: Period, channel: str) -> str:
    return f"summary:{nip}:{period.label}:{channel}"


def _reminder_key(nip: str, week: Period, channel: str) -> str:
    return f"reminder:{nip}:{week.label}:{channel}"


# --- building the texts ----------------------------------------------------------------------


async def weekly_blocks(
    store: Handle,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
    lang: str,
    only: Iterable[int] | None = None,
) -> dict[int, list[Block]]:
    """Every recipient's summary blocks in ``lang``, text only (employee id → team block,
    then unit blocks); :func:`summary_blocks` for one language and no files."""
    wanted = None if only is None else {employee: (lang,) for employee in only}
    found = await summary_blocks(store, period, moment, tz, wanted, lang, files=False)
    return {employee: by_language[lang] for employee, by_language in found.items()}


async def summary_blocks(
    store: Handle,
    period: Period,
    moment: datetime,
    tz: ZoneInfo,
    languages: Mapping[int, Collection[str]] | None,
    default: str,
    *,
    files: bool,
) -> dict[int, dict[str, list[Block]]]:
    """Every recipient's summary blocks in each language they need (employee id → language
    → team block, then unit blocks), with their XLSX and PNG files when ``files``.

    Recipients: everyone with direct subordinates and every unit head — those in
    ``languages`` only, each in the languages named there (``None``: everyone, in
    ``default``). Reads the period's frames once for everybody and scores the whole city
    in one vectorised pass (then split by team / unit), so a city costs a handful of
    queries. Scoring and rendering (texts, workbooks, charts — once per recipient and
    language, shared by all their chats) run in worker threads so chats are not stalled.
    ``store``: a reading (one snapshot), never a unit of work — this is slow and must not
    hold the writer. ``moment`` is capped at the period's end.
    """
    start, after = period.bounds(tz)
    moment = min(moment, after)

    def wanted_languages(employee: int) -> Collection[str]:
        return (default,) if languages is None else languages.get(employee, ())

    frames = await store.staff_frames(skp_year(period), start, after, moment, None)
    heads = await store.headed_units()

    def teams() -> dict[int, dict[str, list[Block]]]:  # CPU-bound: off the event loop
        return {
            atasan: {lang: [team_block(team, period, moment, tz, lang, files=files)]
                     for lang in wanted_languages(atasan)}
            for atasan, team in team_frames(frames, period, moment, tz).items()
            if wanted_languages(atasan)
        }

    unit_reports: dict[int, UnitSkmSummary] = {}

    def units(responses: pd.DataFrame, heads: list[HeadedUnit]) -> dict[tuple[int, str], Block]:
        distinct = list({h.id: h for h in heads}.values())
        reports = unit_summaries(responses, distinct, period, tz)
        unit_reports.update(reports)
        needed = {(h.id, lang) for h in heads for lang in wanted_languages(h.head_id)}
        units_by_id = {u.id: u for u in distinct}
        return {(unit, lang): unit_block(reports[unit], units_by_id[unit], period, lang,
                                         files=files)
                for unit, lang in needed}

    # score the teams in a worker thread while the units' responses are read (SQLite runs
    # without the GIL), then score the units
    scoring = asyncio.ensure_future(asyncio.to_thread(teams))
    heads = [h for h in heads if wanted_languages(h.head_id)]
    try:
        responses = None
        if heads:
            previous_start, _ = period.previous().bounds(tz)
            responses = await store.unit_responses(
                previous_start, after, sorted({h.id for h in heads})
            )
    except BaseException:
        await asyncio.gather(scoring, return_exceptions=True)
        raise
    result = await scoring
    quarter = rating_period(period, moment, tz)
    by_atasan: dict[int, list[RatingGap]] = {}
    for gap in await store.rating_gaps(quarter, None):
        by_atasan.setdefault(gap.atasan_id, []).append(gap)
    for atasan, gaps in by_atasan.items():
        for lang, blocks in result.get(atasan, {}).items():
            block = gap_block(gaps, quarter, lang)
            if block is not None:
                blocks.append(block)
    if heads and responses is not None:
        done = await asyncio.to_thread(units, responses, heads)
        for head in heads:
            mine = result.setdefault(head.head_id, {})
            for lang in wanted_languages(head.head_id):
                mine.setdefault(lang, []).append(done[(head.id, lang)])
    if heads:
        today = (moment - timedelta(seconds=1)).astimezone(tz).date()
        for lang in sorted({lang for head in heads for lang in wanted_languages(head.head_id)}):
            extra = await follow_up_blocks(store, heads, unit_reports, today, lang)
            for head_id, blocks in extra.items():
                if blocks and lang in wanted_languages(head_id):
                    result.setdefault(head_id, {}).setdefault(lang, []).extend(blocks)
    return result


def _push_text(blocks: list[Block], period: Period, lang: str) -> str:
    parts = [message for block in blocks if block.lead for message in block.messages]
    parts.append(texts.text(lang, "summary_push_header", period=period.label))
    parts.extend(message for block in blocks if not block.lead for message in block.messages)
    return "\n\n".join(parts)


def _push_reply(blocks: list[Block], period: Period, lang: str) -> Reply:
    """One push: the header and every block's messages, with every block's files."""
    return Reply(_push_text(blocks, period, lang),
                 attachments=tuple(a for block in blocks for a in block.attachments))


async def follow_up_blocks(
    store: Handle, heads: list[HeadedUnit], reports: dict[int, UnitSkmSummary],
    today: date, lang: str,
) -> dict[int, list[Block]]:
    """What the weekly push adds for unit heads (issue 15): first, a unit whose week's IKM
    fell a mutu band below the previous week (unless turned off for the unit); then the
    unit's RTL items past their target date (:func:`kinerja.rtl.is_late`)."""
    late = await store.rtl_open_until(today - timedelta(days=1), today=today)
    result: dict[int, list[Block]] = {}
    for head in heads:
        blocks = result.setdefault(head.head_id, [])
        report = reports.get(head.id)
        if (report is not None and report.score.mutu is not None
                and report.previous.mutu is not None
                and mutu_fell(report.previous.mutu.value, report.score.mutu.value)
                and (await store.alert_settings(head.id)).ikm_drop):
            blocks.append(Block((texts.text(
                lang, "ikm_drop_line", unit=head.name,
                ikm=format_index(report.score.ikm, lang), mutu=report.score.mutu.value,
                previous=report.previous.mutu.value),), lead=True))
        items = [i for i in late if i.unit_id == head.id and i.late]
        if items:
            lines = [texts.text(lang, "rtl_summary_late", n=len(items))]
            lines += [rtl_item_line(lang, i) for i in items]
            blocks.append(Block(("\n".join(lines),)))
    return result


async def plan_summaries(
    store: Handle, period: Period, moment: datetime, config: ScheduleConfig,
    *, linked_only: bool = True,
) -> list[Push]:
    """The weekly summary pushes of ``period``: one per recipient and linked chat, in the
    chat's saved language (else ``config.language``), with the summary's XLSX and PNG files
    (``config.files``) rendered once per recipient and language.

    With ``linked_only`` False (dry runs) recipients without a chat are listed too, with an
    empty channel, in ``config.language`` and without files.
    """
    chats = await store.all_push_targets()
    default = config.language
    languages: dict[int, set[str]] | None = {
        employee: {t.language or default for t in targets} for employee, targets in chats.items()
    }
    if not linked_only:
        languages = None
    blocks = await summary_blocks(store, period, moment, config.tz, languages, default,
                                  files=linked_only and config.files)
    people = {e.id: e for e in await store.employees_by_nip()}
    pushes: list[Push] = []
    for employee_id in sorted(blocks, key=lambda i: people[i].nip):
        person = people[employee_id]
        replies = {lang: _push_reply(found, period, lang)
                   for lang, found in blocks[employee_id].items()}
        for chat in chats.get(employee_id, []) or ([] if linked_only else [None]):
            channel = chat.channel if chat else ""
            lang = (chat.language if chat else None) or default
            pushes.append(Push(person.nip, person.nama, channel, chat.chat_id if chat else "",
                               "summary", _summary_key(person.nip, period, channel),
                               replies[lang], lang))
    return pushes


async def plan_reminders(store: Handle, week: Period, config: ScheduleConfig) -> list[Push]:
    """Reminders for ``week``: linked employees with no report created in it."""
    start, after = week.bounds(config.tz)
    chats = await store.all_push_targets()
    pushes = []
    for person in await store.linked_without_report(start, after):
        for chat in chats.get(person.id, []):
            lang = chat.language or config.language  # the recipient's
            reply = Reply(texts.text(lang, "reminder_text", nama=person.nama,
                                     period=week.label))
            pushes.append(Push(person.nip, person.nama, chat.channel, chat.chat_id, "reminder",
                               _reminder_key(person.nip, week, chat.channel), reply, lang))
    return pushes


async def enqueue(store: Store, pushes: Iterable[Push], at: datetime,
                  marker: str | None = None) -> int:
    """Queue ``pushes`` in one transaction (deduplicated by key); set ``marker`` in meta.

    Returns the number of rows newly queued (0 when all were queued before).
    """
    queued = 0
    async with store.unit() as uow:
        for push in pushes:
            if not push.channel:
                continue
            new = await uow.enqueue(push.channel, push.chat_id, push.reply, at=at,
                                    kind=push.kind, dedup_key=push.dedup_key,
                                    language=push.language)
            queued += new is not None
        if marker is not None:
            await uow.set_meta(marker, at.isoformat(timespec="seconds"))
    return queued


# --- the loop --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TickResult:
    summaries: int = 0
    reminders: int = 0


class Scheduler:
    """Checks every ``interval`` seconds whether a summary or a reminder run is due."""

    def __init__(self, store: Store, config: ScheduleConfig,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.config = config
        self.clock = clock

    async def tick(self) -> TickResult:
        """Enqueue the latest due summary and this week's due reminders, unless queued.

        Planning reads in a reading (it scores the whole city: never under the writer);
        the enqueue is its own unit, deduplicated by key, so a tick racing another is
        harmless.
        """
        now = self.clock()
        summaries = reminders = 0
        period = latest_due_summary(now, self.config)
        marker = f"schedule:summary:{period.label}"
        async with self.store.reading() as r:
            pushes = (
                await plan_summaries(r, period, now, self.config)
                if await r.get_meta(marker) is None else None
            )
        if pushes is not None:
            summaries = await enqueue(self.store, pushes, now, marker)
            log.info("weekly summary %s: %s queued", period.label, summaries)
        week = reminder_due(now, self.config)
        if week is not None:
            marker = f"schedule:reminder:{week.label}"
            async with self.store.reading() as r:
                pushes = (
                    await plan_reminders(r, week, self.config)
                    if await r.get_meta(marker) is None else None
                )
            if pushes is not None:
                reminders = await enqueue(self.store, pushes, now, marker)
                log.info("reminders %s: %s queued", week.label, reminders)
        return TickResult(summaries, reminders)

    async def run(self, stop: asyncio.Event, interval: float = 60.0) -> None:
        """Tick until ``stop`` is set; a failing tick is logged and retried next time."""

        async def tick() -> bool:
            await self.tick()
            return False  # a tick does all that is due: the next one waits for ``interval``

        await run_every("schedule tick", interval, tick, stop)
