"""Units, services and service points: lookups for the flows, upserts for imports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.conversation.ports.organisation import PointInfo, ServiceInfo, UnitInfo
from bot.storage.base import Repository, Row

_POINT_SELECT = (
    "SELECT p.id, p.code, p.name, p.service_id, s.name AS service_name, s.unit_id,"
    " u.code AS unit_code, u.name AS unit_name, p.officer_nip, p.active"
    " FROM service_points p JOIN services s ON s.id = p.service_id"
    " JOIN units u ON u.id = s.unit_id"
)


def _point(row: Row) -> PointInfo:
    return PointInfo(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        service_id=row["service_id"],
        service_name=row["service_name"],
        unit_id=row["unit_id"],
        unit_code=row["unit_code"],
        unit_name=row["unit_name"],
        officer_nip=row["officer_nip"],
        active=bool(row["active"]),
    )


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name: str
    parent: str | None = None
    population: int | None = None


@dataclass(frozen=True, slots=True)
class ServiceRow:
    code: str
    unit: str
    name: str


@dataclass(frozen=True, slots=True)
class PointRow:
    code: str
    service: str
    name: str
    officer_nip: str | None = None
    active: bool | None = True
    """``None``: an existing point keeps its flag, a new one is active."""


class OrganisationRepository(Repository):
    # --- lookups -----------------------------------------------------------

    async def point_by_code(self, code: str) -> PointInfo | None:
        """One row by unique key (the survey's first step): inline when the writer is free."""
        row = await self.db.fetchone(_POINT_SELECT + " WHERE p.code = ?", (code,), inline=True)
        return _point(row) if row else None

    async def point_by_id(self, point_id: int) -> PointInfo | None:
        row = await self.db.fetchone(_POINT_SELECT + " WHERE p.id = ?", (point_id,), inline=True)
        return _point(row) if row else None

    async def all_points(self) -> list[PointInfo]:
        rows = await self.db.fetchall(_POINT_SELECT + " ORDER BY u.code, s.code, p.code")
        return [_point(r) for r in rows]

    async def units_with_points(self) -> list[UnitInfo]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT u.id, u.code, u.name FROM units u"
            " JOIN services s ON s.unit_id = u.id"
            " JOIN service_points p ON p.service_id = s.id AND p.active = 1"
            " ORDER BY u.name"
        )
        return [UnitInfo(r["id"], r["code"], r["name"]) for r in rows]

    async def services_with_points(self, unit_id: int) -> list[ServiceInfo]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT s.id, s.code, s.name, s.unit_id FROM services s"
            " JOIN service_points p ON p.service_id = s.id AND p.active = 1"
            " WHERE s.unit_id = ? ORDER BY s.name",
            (unit_id,),
        )
        return [ServiceInfo(r["id"], r["code"], r["name"], r["unit_id"]) for r in rows]

    async def points_of_service(self, service_id: int) -> list[PointInfo]:
        rows = await self.db.fetchall(
            _POINT_SELECT + " WHERE p.service_id = ? AND p.active = 1 ORDER BY p.name",
            (service_id,),
        )
        return [_point(r) for r in rows]

    async def units(self) -> list[dict[str, object]]:
        """Every unit with its parent code and population, by code."""
        rows = await self.db.fetchall(
            "SELECT u.id, u.code, u.name, p.code AS parent, u.population FROM units u"
            " LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code"
        )
        return [dict(r) for r in rows]

    async def codes(self, table: str) -> set[str]:
        if table not in {"units", "services", "service_points"}:
            raise ValueError(table)
        return {r[0] for r in await self.db.fetchall(f"SELECT code FROM {table}")}

    # --- upserts (callers wrap them in one transaction) ---------------------

    async def upsert_units(
        self, rows: Sequence[UnitRow], *, set_parent: bool = True, set_population: bool = True
    ) -> None:
        """Insert or update units by code, then link parents (which may be in ``rows``).

        ``set_parent`` / ``set_population`` False (a file without that column) leave those
        fields of existing units as they are."""
        population = "excluded.population" if set_population else "units.population"
        for r in rows:
            await self.db.execute(
                "INSERT INTO units (code, name, population) VALUES (?, ?, ?)"
                " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                f" population = {population}",
                (r.code, r.name, r.population),
            )
        if not set_parent:
            return
        for r in rows:
            await self.db.execute(
                "UPDATE units SET parent_id = (SELECT id FROM units WHERE code = ?)"
                " WHERE code = ?",
                (r.parent, r.code),
            )

    async def upsert_services(self, rows: Sequence[ServiceRow]) -> None:
        for r in rows:
            await self.db.execute(
                "INSERT INTO services (code, unit_id, name)"
                " VALUES (?, (SELECT id FROM units WHERE code = ?), ?)"
                " ON CONFLICT (code) DO UPDATE SET unit_id = excluded.unit_id,"
                " name = excluded.name",
                (r.code, r.unit, r.name),
            )

    async def upsert_points(self, rows: Sequence[PointRow], *, set_officer: bool = True) -> None:
        """Insert or update points by code. A row's ``active`` of ``None`` keeps the stored
        flag (a new point is active); ``set_officer=False`` (a file without an officer column)
        keeps every stored officer."""
        officer = "excluded.officer_nip" if set_officer else "service_points.officer_nip"
        for r in rows:
            active = None if r.active is None else int(r.active)
            await self.db.execute(
                "INSERT INTO service_points (code, service_id, name, officer_nip, active)"
                " VALUES (?, (SELECT id FROM services WHERE code = ?), ?, ?, coalesce(?, 1))"
                " ON CONFLICT (code) DO UPDATE SET service_id = excluded.service_id,"
                f" name = excluded.name, officer_nip = {officer},"
                " active = coalesce(?, service_points.active)",
                (r.code, r.service, r.name, r.officer_nip, active, active),
            )

    async def unit_parents(self) -> dict[str, str | None]:
        rows = await self.db.fetchall(
            "SELECT u.code, p.code AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id"
        )
        return {r["code"]: r["parent"] for r in rows}
