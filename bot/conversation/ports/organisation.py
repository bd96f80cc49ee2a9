"""Units, services and service points, as the menu and the survey see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    id: int
    code: str
    name: str
    unit_id: int


@dataclass(frozen=True, slots=True)
class PointInfo:
    """A service point with the service and unit it belongs to."""

    id: int
    code: str
    name: str
    service_id: int
    service_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    officer_nip: str | None = None
    active: bool = True


class OrganisationReader(Protocol):
    async def point_by_code(self, code: str) -> PointInfo | None: ...

    async def point_by_id(self, point_id: int) -> PointInfo | None: ...

    async def units_with_points(self) -> list[UnitInfo]:
        """Units that have at least one active service point, by name."""
        ...

    async def services_with_points(self, unit_id: int) -> list[ServiceInfo]: ...

    async def points_of_service(self, service_id: int) -> list[PointInfo]: ...
