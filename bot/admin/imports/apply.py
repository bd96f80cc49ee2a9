"""Apply a validated import to storage, in one transaction."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from bot.admin.imports.parse import Table, parse_points, parse_services, parse_skm, parse_units
from bot.app.compose import App


def _fingerprint(table: Table) -> str:
    digest = hashlib.sha256()
    for number, cells in table.rows:
        digest.update(repr((number, sorted(cells.items()))).encode())
    return digest.hexdigest()


async def import_table(app: App, kind: str, table: Table) -> str:
    """Validate ``table`` as ``kind`` and write it; return a one-line summary.

    Raises :class:`bot.admin.imports.parse.ImportFailed` (nothing written) on any problem.
    Paper SKM results are not keyed by a code, so the same file imported twice
    is recognised by its content and not counted again.
    """
    async with app.store.unit() as uow:
        if kind == "units":
            units = parse_units(table, await uow.unit_parents())
            await uow.upsert_units(units)
            return f"{len(units)} unit diimpor dari {table.file}."
        if kind == "services":
            services = parse_services(table, await uow.codes("units"))
            await uow.upsert_services(services)
            return f"{len(services)} layanan diimpor dari {table.file}."
        if kind == "points":
            points = parse_points(table, await uow.codes("services"))
            await uow.upsert_points(points)
            return f"{len(points)} titik layanan diimpor dari {table.file}."
        if kind == "skm":
            point_ids = {p.code: p.id for p in await uow.all_points()}
            tz = app.settings.tz
            responses = parse_skm(table, point_ids, tz, datetime.now(UTC).astimezone(tz).date())
            key = f"import:skm:{_fingerprint(table)}"
            if await uow.get_meta(key) is not None:
                return f"{table.file} sudah pernah diimpor; tidak ada yang ditambahkan."
            await uow.insert_responses(responses)
            await uow.set_meta(key, datetime.now(UTC).isoformat(timespec="seconds"))
            return f"{len(responses)} respons survei kertas diimpor dari {table.file}."
    raise ValueError(f"unknown import kind {kind!r}")
