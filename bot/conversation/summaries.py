"""Summaries for people: a supervisor's team, one's own progress, the units one heads.

Shared by ``/ringkasan`` (one person, with XLSX and PNG attachments), the weekly push
(``bot.jobs.weekly``: everyone at once from one batch of frames, text only) and the CLI.
It reads storage only through the ports of :mod:`bot.conversation.ports.summary` and leaves
all scoring to :mod:`kinerja` and all formatting to :mod:`kinerja.render`.

Decisions:

- SKP indicators hold **yearly** targets. A period's targets are
  ``kinerja.summary.period_indicators``: a jumlah target is the period's share of the SKP
  year, a rata-rata or terakhir target (a level: 100 %, 3 hari) stays whole. The SKP year
  of a period is ``kinerja.periods.skp_year`` (the year of its middle day).
- The unit head: an employee of the unit whose atasan is none or works in another unit
  (``SummaryStore.headed_units``). A unit's IKM covers responses at the unit's own service
  points (not its sub-units), for the same period, compared with the previous one; the
  unit's yearly population is scaled to the period (``kinerja.skm.period_population``) for
  the Krejcie–Morgan size.
- Slow work never holds the writer nor the event loop: one person's summary is read in one
  reading (committed data only) and rendered in a worker thread (:func:`personal_replies`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from bot.conversation import texts
from bot.conversation.messages import Attachment, Reply
from bot.conversation.ports.people import EmployeeInfo
from bot.conversation.ports.sessions import UnitFactory
from bot.conversation.ports.summary import (
    HeadedUnit,
    PersonalSummaryPorts,
    RatingGap,
    StaffFrames,
)
from kinerja import skm, summary
from kinerja.periods import Period, period_of, skp_year
from kinerja.render import chart, text, xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"


@dataclass(frozen=True, slots=True)
class Block:
    """One part of a summary: its chat messages and the files that go with it. ``lead``: its
    messages open the weekly push, before the heading (an IKM that fell a mutu band)."""

    messages: tuple[str, ...]
    attachments: tuple[Attachment, ...] = ()
    lead: bool = False


def _t(lang: str, key: str, /, **values: object) -> str:
    return texts.text(lang, key, **values)


# --- the pure parts: frames in, blocks out ---------------------------------------------------


def team_frame(
    frames: StaffFrames, period: Period, moment: datetime, tz: ZoneInfo
) -> pd.DataFrame:
    """``kinerja.summary.team_summary`` of every employee in ``frames`` (in frame order)."""
    return summary.team_summary(
        frames.employees,
        summary.period_indicators(frames.indicators, period),
        frames.reports,
        period,
        moment,
        tz,
        feedback=frames.feedback,
        skm_responses=frames.skm_responses,
    )


def team_frames(
    frames: StaffFrames, period: Period, moment: datetime, tz: ZoneInfo
) -> dict[int, pd.DataFrame]:
    """Every atasan's :func:`team_frame` from batch frames (everyone), keyed by atasan id.

    One vectorised ``team_summary`` over the whole city, then split by ``atasan_id``: the
    same rows as ``team_frame`` of each :func:`split_teams` team (employees are scored
    independently), in the same team and employee order.
    """
    employees = frames.employees
    if employees.empty:
        return {}
    team = team_frame(frames, period, moment, tz)
    atasan = employees["atasan_id"].to_numpy()
    return {
        int(key): part.reset_index(drop=True)
        for key, part in team.groupby(atasan, sort=False)
    }


def team_block(
    team: pd.DataFrame, period: Period, moment: datetime, tz: ZoneInfo, lang: str,
    *, files: bool = True,
) -> Block:
    """A team frame as chat messages (+ XLSX of the frame and the capaian chart)."""
    elapsed = period.elapsed_fraction(moment, tz)
    messages = text.team_text(team, period, lang, elapsed_fraction=elapsed)
    if not files:
        return Block(tuple(messages))
    workbook = xlsx.frames_to_xlsx({_t(lang, "summary_sheet_team"): team}, lang)
    png = chart.team_capaian_chart(team, period, lang)
    return Block(
        tuple(messages),
        (
            Attachment(f"ringkasan-tim-{period.label}.xlsx", workbook, XLSX_MIME),
            Attachment(f"ringkasan-tim-{period.label}.png", png, PNG_MIME),
        ),
    )


def employee_block(
    frames: StaffFrames, employee: EmployeeInfo, period: Period, moment: datetime,
    tz: ZoneInfo, lang: str,
) -> Block:
    """One employee's progress per indicator as messages and the XLSX of the frame."""
    progress = summary.employee_progress(
        summary.period_indicators(frames.indicators, period), frames.reports, employee.id,
        period, moment, tz,
    )
    messages = text.employee_text(
        progress, employee.nama, period, lang,
        elapsed_fraction=period.elapsed_fraction(moment, tz),
    )
    workbook = xlsx.frames_to_xlsx({_t(lang, "summary_sheet_progress"): progress}, lang)
    return Block(
        tuple(messages),
        (Attachment(f"kinerja-{employee.nip}-{period.label}.xlsx", workbook, XLSX_MIME),),
    )


def unit_summaries(
    responses: pd.DataFrame, units: Sequence[HeadedUnit], period: Period, tz: ZoneInfo
) -> dict[int, summary.UnitSkmSummary]:
    """Each unit's SKM summary for ``period`` (by unit id), from one grouped pass over
    ``responses``."""
    populations = {u.id: skm.period_population(u.population, period) for u in units}
    found = summary.unit_skm_summaries(responses, period, tz, populations, by="unit_id")
    return {int(key): report for key, report in found.items()}  # type: ignore[call-overload]


def unit_block(
    report: summary.UnitSkmSummary, unit: HeadedUnit, period: Period, lang: str,
    *, files: bool = True,
) -> Block:
    """A unit's SKM summary under a heading with its name (+ XLSX and the NRR chart); a
    period without responses gives one "no data" message and no files."""
    heading = _t(lang, "summary_unit_heading", unit=unit.name, code=unit.code)
    if report.n == 0:  # nothing to score or chart: say so plainly
        return Block((heading + "\n" + _t(lang, "summary_unit_no_data", period=period.label),))
    messages = text.unit_skm_text(report, lang)
    messages = [heading + "\n" + messages[0], *messages[1:]] if messages else [heading]
    if not files:
        return Block(tuple(messages))
    score = report.score
    png = chart.ikm_unsur_chart(
        score.nrr, score.ikm, score.mutu.value if score.mutu else None, lang
    )
    return Block(
        tuple(messages),
        (
            Attachment(f"ikm-{unit.code}-{period.label}.xlsx",
                       xlsx.unit_skm_xlsx(report, lang), XLSX_MIME),
            Attachment(f"ikm-{unit.code}-{period.label}.png", png, PNG_MIME),
        ),
    )


def as_replies(blocks: Sequence[Block]) -> list[Reply]:
    """One reply per message; each block's files ride on its last message."""
    replies: list[Reply] = []
    for block in blocks:
        for index, message in enumerate(block.messages):
            last = index == len(block.messages) - 1
            replies.append(Reply(message, attachments=block.attachments if last else ()))
    return replies


# --- one person's summary: read, then render off the loop --------------------------------


def rating_period(period: Period, moment: datetime, tz: ZoneInfo) -> str:
    """The triwulan whose ratings a summary of ``period`` compares (the one of its moment)."""
    _, after = period.bounds(tz)
    return period_of("quarter", min(moment, after - timedelta(seconds=1)), tz).label


def gap_block(gaps: Sequence[RatingGap], quarter: str, lang: str) -> Block | None:
    """Team members whose self-assessment and the atasan's rating are two levels apart —
    a conversation worth having. Names and counts only, never the self-assessment note."""
    if not gaps:
        return None
    lines = "\n".join(_t(lang, "summary_gap_line", nama=g.nama, items=g.items) for g in gaps)
    return Block((_t(lang, "summary_gaps", period=quarter, lines=lines),))


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Everything one person's summary is built from, read at one moment.

    ``team``: they have direct subordinates (``frames`` then holds the team, else only
    them); ``gaps``: their team's rating gaps of ``quarter``; ``units``: the units they
    head (distinct); ``responses``: those units' SKM responses of the period and the one
    before (``None`` when they head none). ``moment`` is capped at the period's end.
    """

    employee: EmployeeInfo
    period: Period
    moment: datetime
    team: bool
    frames: StaffFrames
    quarter: str
    gaps: list[RatingGap]
    units: list[HeadedUnit]
    responses: pd.DataFrame | None


async def read_personal(
    store: PersonalSummaryPorts, employee: EmployeeInfo, period: Period, moment: datetime,
    tz: ZoneInfo,
) -> PersonalData:
    """What :func:`personal_blocks` needs for ``employee``'s summary of ``period``."""
    start, after = period.bounds(tz)
    moment = min(moment, after)
    team = await store.subordinates(employee.id)
    members = [e.id for e in team] if team else [employee.id]
    frames = await store.staff_frames(skp_year(period), start, after, moment, members)
    quarter = rating_period(period, moment, tz)
    gaps = await store.rating_gaps(quarter, [employee.id]) if team else []
    units = list({u.id: u for u in await store.headed_units(employee.id)}.values())
    responses = None
    if units:
        previous, _ = period.previous().bounds(tz)
        responses = await store.unit_responses(previous, after, [u.id for u in units])
    return PersonalData(employee, period, moment, bool(team), frames, quarter, gaps, units,
                        responses)


def personal_blocks(data: PersonalData, tz: ZoneInfo, lang: str) -> list[Block]:
    """What the person gets: their direct team's summary when they have subordinates (and
    the team's rating gaps), else their own progress; then the IKM of each unit they head.
    CPU-bound (scoring, XLSX, PNG): run it in a worker thread."""
    period, moment = data.period, data.moment
    blocks: list[Block] = []
    if data.team:
        team = team_frame(data.frames, period, moment, tz)
        blocks.append(team_block(team, period, moment, tz, lang))
        gaps = gap_block(data.gaps, data.quarter, lang)
        if gaps is not None:
            blocks.append(gaps)
    else:
        blocks.append(employee_block(data.frames, data.employee, period, moment, tz, lang))
    if data.responses is not None:
        reports = unit_summaries(data.responses, data.units, period, tz)
        blocks.extend(unit_block(reports[u.id], u, period, lang) for u in data.units)
    return blocks


async def personal_replies(
    store: UnitFactory[PersonalSummaryPorts], employee: EmployeeInfo, period: Period,
    moment: datetime, tz: ZoneInfo, lang: str,
) -> list[Reply]:
    """``employee``'s summary of ``period`` as replies with their files: read in one reading
    (committed data, the writer not held), scored and rendered in a worker thread."""
    async with store.reading() as reading:
        data = await read_personal(reading, employee, period, moment, tz)
    return await asyncio.to_thread(lambda: as_replies(personal_blocks(data, tz, lang)))


def split_teams(frames: StaffFrames) -> dict[int, StaffFrames]:
    """Batch frames (everyone) split into each atasan's direct team, keyed by atasan id.

    One pass of ``groupby`` per frame, so a whole city costs a few scans, not one scan per
    supervisor. Teams keep the employees' frame order.
    """
    employees = frames.employees
    if employees.empty:
        return {}
    team_of = dict(zip(employees["employee_id"], employees["atasan_id"], strict=True))

    def groups(frame: pd.DataFrame) -> Mapping[int, pd.DataFrame]:
        if frame.empty:
            return {}
        keys = frame["employee_id"].map(team_of)
        return {int(k): part for k, part in frame.groupby(keys, sort=False)}

    by_team = {
        name: groups(frame)
        for name, frame in (
            ("employees", employees), ("indicators", frames.indicators),
            ("reports", frames.reports), ("feedback", frames.feedback),
        )
    }
    points = frames.skm_responses
    points_by_nip = (
        {str(k): part for k, part in points.groupby("service_point", sort=False)}
        if not points.empty else {}
    )
    empty = {name: frame.iloc[0:0] for name, frame in (
        ("indicators", frames.indicators), ("reports", frames.reports),
        ("feedback", frames.feedback), ("skm_responses", points),
    )}
    result: dict[int, StaffFrames] = {}
    for atasan, members in by_team["employees"].items():
        served = [points_by_nip[n] for n in members["service_point"].dropna()
                  if n in points_by_nip]
        result[atasan] = StaffFrames(
            employees=members,
            indicators=by_team["indicators"].get(atasan, empty["indicators"]),
            reports=by_team["reports"].get(atasan, empty["reports"]),
            feedback=by_team["feedback"].get(atasan, empty["feedback"]),
            skm_responses=pd.concat(served) if served else empty["skm_responses"],
        )
    return result
