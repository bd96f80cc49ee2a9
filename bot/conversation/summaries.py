"""Summaries for people: a supervisor's team, one's own progress, the units one heads.

Shared by ``/ringkasan`` (one person, with XLSX and PNG attachments), the weekly push
(``bot.jobs.weekly``: everyone at once from one batch of frames, text only) and the CLI.
It reads storage only through :class:`~bot.conversation.ports.SummaryStore` and leaves all
scoring to :mod:`kinerja.summary` and all formatting to :mod:`kinerja.render`.

Decisions:

- SKP indicators hold **yearly** targets. For a shorter period a ``naik`` target is scaled
  to the share of the SKP year the period covers (``target × days / days of the year``);
  a ``turun`` target (days, cost per case) is a level and stays as it is. The SKP year of a
  period is the year of its middle day (so an ISO week across New Year goes to the year
  most of it is in).
- The unit head: an employee of the unit whose atasan is none or works in another unit
  (``SummaryStore.headed_units``). A unit's IKM covers responses at the unit's own service
  points (not its sub-units), for the same period, compared with the previous one; the
  unit's yearly population is scaled to the period for the Krejcie–Morgan size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from bot.conversation import texts
from bot.conversation.messages import Attachment, Reply
from bot.conversation.ports.people import EmployeeInfo
from bot.conversation.ports.summary import HeadedUnit, RatingGap, StaffFrames, SummaryStore
from kinerja import summary
from kinerja.periods import Period, period_of, period_of_date
from kinerja.render import chart, text, xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"


def skp_year(period: Period) -> int:
    """The SKP year whose indicators apply to ``period``: the year of its middle day."""
    return (period.start + timedelta(days=(period.days - 1) // 2)).year


def period_indicators(indicators: pd.DataFrame, period: Period) -> pd.DataFrame:
    """``indicators`` with yearly targets turned into targets for ``period``.

    ``naik`` targets × (days of ``period`` inside the SKP year ÷ days of that year);
    ``turun`` targets unchanged. A copy; other columns untouched; empty stays empty.
    """
    if indicators.empty:
        return indicators
    year = period_of_date("year", date(skp_year(period), 1, 1))
    first, last = max(period.start, year.start), min(period.end, year.end)
    share = max(0, (last - first).days + 1) / year.days
    result = indicators.copy()
    rising = result["arah"].fillna("naik") != "turun"
    result.loc[rising, "target"] = pd.to_numeric(result.loc[rising, "target"]) * share
    return result


def period_population(population: int | None, period: Period) -> int | None:
    """A yearly population scaled to ``period`` (at least 1), None when unknown."""
    if not population:
        return None
    return max(1, round(population * period.days / 365))


@dataclass(frozen=True, slots=True)
class Block:
    """One part of a summary: its chat messages and the files that go with it."""

    messages: tuple[str, ...]
    attachments: tuple[Attachment, ...] = ()


def _t(lang: str, key: str, /, **values: object) -> str:
    return texts.text(lang, key, **values)


# --- the pure parts: frames in, blocks out ---------------------------------------------------


def team_frame(
    frames: StaffFrames, period: Period, moment: datetime, tz: ZoneInfo
) -> pd.DataFrame:
    """``kinerja.summary.team_summary`` of every employee in ``frames`` (in frame order)."""
    return summary.team_summary(
        frames.employees,
        period_indicators(frames.indicators, period),
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
    tz: ZoneInfo, lang: str, *, files: bool = True,
) -> Block:
    """One employee's progress per indicator as messages (+ XLSX of the frame)."""
    progress = summary.employee_progress(
        period_indicators(frames.indicators, period), frames.reports, employee.id, period,
        moment, tz,
    )
    messages = text.employee_text(
        progress, employee.nama, period, lang,
        elapsed_fraction=period.elapsed_fraction(moment, tz),
    )
    if not files:
        return Block(tuple(messages))
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
    populations = {u.id: period_population(u.population, period) for u in units}
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


# --- reading through the port ----------------------------------------------------------------


async def unit_blocks(
    store: SummaryStore, units: Sequence[HeadedUnit], period: Period, tz: ZoneInfo,
    lang: str, *, files: bool = True,
) -> list[Block]:
    """One block per unit (deduplicated by unit id), from one read of their responses."""
    distinct = list({u.id: u for u in units}.values())
    if not distinct:
        return []
    start, _ = period.previous().bounds(tz)
    _, end = period.bounds(tz)
    responses = await store.unit_responses(start, end, [u.id for u in distinct])
    reports = unit_summaries(responses, distinct, period, tz)
    return [unit_block(reports[u.id], u, period, lang, files=files) for u in distinct]


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


async def personal_summary(
    store: SummaryStore, employee: EmployeeInfo, period: Period, moment: datetime,
    tz: ZoneInfo, lang: str, *, files: bool = True,
) -> list[Block]:
    """What ``employee`` gets: their direct team's summary when they have subordinates,
    else their own progress; then the IKM of each unit they head. ``moment`` is capped at
    the period's end."""
    start, after = period.bounds(tz)
    moment = min(moment, after)
    tahun = skp_year(period)
    team = await store.subordinates(employee.id)
    blocks: list[Block] = []
    if team:
        frames = await store.staff_frames(tahun, start, after, moment, [e.id for e in team])
        blocks.append(team_block(team_frame(frames, period, moment, tz), period, moment, tz,
                                 lang, files=files))
        quarter = rating_period(period, moment, tz)
        gaps = gap_block(await store.rating_gaps(quarter, [employee.id]), quarter, lang)
        if gaps is not None:
            blocks.append(gaps)
    else:
        frames = await store.staff_frames(tahun, start, after, moment, [employee.id])
        blocks.append(employee_block(frames, employee, period, moment, tz, lang, files=files))
    units = await store.headed_units(employee.id)
    blocks.extend(await unit_blocks(store, units, period, tz, lang, files=files))
    return blocks


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
