"""``kinerja migrate-db --from kinerja.db --to postgresql://…``: move a SQLite deployment.

The rows are copied by :func:`bot.storage.copy.copy_database` (all tables, ids kept,
sequences set; an empty target only). Then the move is checked the way an operator would:
the rows per table and ``kinerja report skm --format json`` of every year that has
responses must be the same on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.admin import skm_report as reports
from bot.storage import Store
from bot.storage.copy import copy_database
from kinerja.periods import Period, period_of


class ReportsDiffer(RuntimeError):
    """The SKM report of a year differs between the source and the copy."""


async def skm_json(store: Store, period: Period, tz: ZoneInfo) -> str:
    """``kinerja report skm --period <period> --format json`` of ``store`` (every unit)."""
    async with store.reading() as r:
        units = await r.units()
        start, end = period.bounds(tz)
        codes = [str(u["code"]) for u in units]
        sums = await r.answer_sums_by_unit(start, end, codes)
        suggestions = await r.suggestions(start, end, codes)
    return reports.as_json(reports.skm_report(sums, suggestions, units, period))


async def migrate_db(source: str, target: str, tz: ZoneInfo) -> tuple[dict[str, int], list[str]]:
    """Copy ``source`` into ``target`` and check it; return the rows per table and the
    years whose reports were compared. Raises :class:`bot.storage.copy.CopyRefused` before
    anything is written, :class:`ReportsDiffer` after."""
    src = await Store.open(source, migrate=False)
    try:
        dst = await Store.open(target)
        try:
            counts = await copy_database(src, dst)
            async with src.reading() as r:
                years = await r.response_years()
            checked: list[str] = []
            # a local year may reach into the next UTC year's first hours
            for year in [*years, years[-1] + 1] if years else []:
                period = period_of("year", datetime(year, 7, 1, tzinfo=UTC), tz)
                if await skm_json(src, period, tz) != await skm_json(dst, period, tz):
                    raise ReportsDiffer(f"laporan SKM {period.label} berbeda setelah disalin")
                checked.append(period.label)
            return counts, checked
        finally:
            await dst.close()
    finally:
        await src.close()
