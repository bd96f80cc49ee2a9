"""Rencana tindak lanjut (RTL) and the handling of saran: the words and the rules, once.

An RTL item is what a unit decides to do about one unsur of an SKM period (skm.md,
"Publication, follow-up and the written report"): an action, a penanggung jawab, a target
date, a progress (0..100 %) and a status. Every place that shows an item — chat, CLI,
summaries, the written report — asks these functions whether it is late or due a reminder.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kinerja.models import UNSUR_KEYS

STATUSES: tuple[str, ...] = ("rencana", "berjalan", "selesai")
"""RTL statuses in their natural order: planned, under way, done."""

DONE = "selesai"

MARKS: tuple[str, ...] = ("baru", "ditindaklanjuti", "tidak_relevan", "dipublikasikan")
"""What a unit did with a saran. Unmarked saran are ``baru``; only ``dipublikasikan`` ones
may be quoted in anything published."""

MARK_LABELS: dict[str, str] = {
    "baru": "baru",
    "ditindaklanjuti": "ditindaklanjuti",
    "tidak_relevan": "tidak relevan",
    "dipublikasikan": "dipublikasikan",
}
"""The Indonesian label of each mark (the stored key of "tidak relevan" has no space)."""

REMINDER_DAYS = 7
"""The penanggung jawab is reminded this many days before the target date."""

ACTION_MAX = 500
"""Longest action, problem or note text (characters)."""


def is_late(target: date, status: str, today: date) -> bool:
    """An item is late when it is not ``selesai`` and its target date has passed (the target
    day itself is still on time)."""
    return status != DONE and today > target


def reminder_day(target: date) -> date:
    """The day the penanggung jawab is reminded: ``REMINDER_DAYS`` before the target."""
    return target - timedelta(days=REMINDER_DAYS)


def reminder_due(target: date, status: str, today: date) -> bool:
    """Whether the reminder of an item is due ``today``: from :func:`reminder_day` up to the
    target day itself, unless the item is ``selesai`` (a run missed for a few days still
    reminds; after the target the item shows as late instead)."""
    return status != DONE and reminder_day(target) <= today <= target


def parse_status(text: str) -> str:
    """A status typed by a person (any case, blanks ignored). ValueError names the accepted
    ones."""
    value = text.strip().casefold()
    if value not in STATUSES:
        raise ValueError(f"status {text!r} tidak dikenal; pilih: {', '.join(STATUSES)}")
    return value


def parse_mark(text: str) -> str:
    """A saran mark typed by a person: a key or its label ("tidak relevan"), any case."""
    value = " ".join(text.strip().casefold().replace("_", " ").split())
    for key, label in MARK_LABELS.items():
        if value == label:
            return key
    raise ValueError(f"tanda {text!r} tidak dikenal; pilih: {', '.join(MARK_LABELS.values())}")


def parse_progress(text: str | int) -> int:
    """Progress in whole percent 0..100 (``"40"``, ``"40%"``, ``40``). ValueError otherwise."""
    raw = str(text).strip().removesuffix("%").strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 100:
        raise ValueError(f"progres {text!r} harus bilangan bulat 0..100")
    return int(raw)


def status_for_progress(progress: int, status: str | None) -> str:
    """The status an update ends with: the one given, else ``selesai`` at 100 %, ``berjalan``
    above 0 and ``rencana`` at 0."""
    if status is not None:
        return status
    if progress >= 100:
        return DONE
    return "berjalan" if progress > 0 else "rencana"


# --- alerts to the unit head ----------------------------------------------------------------


def lowest_unsur(answers: Mapping[str, int | None]) -> list[str]:
    """The unsur answered 1 (the worst) in one response, in ``UNSUR_KEYS`` order: a
    response with any is pushed to the unit head (batched per hour)."""
    return [key for key in UNSUR_KEYS if answers.get(key) == 1]


def alert_hour(moment: datetime, tz: ZoneInfo) -> str:
    """The local clock hour of an aware ``moment`` as ``"YYYY-MM-DDTHH"`` — the finest time an
    alert keeps or says. ValueError when naive."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H")


def mutu_fell(previous: str | None, current: str | None) -> bool:
    """The mutu grade (A best … D worst) fell by at least one band; ``False`` when either is
    unknown."""
    if previous is None or current is None:
        return False
    return current > previous  # "A" < "B" < "C" < "D"
