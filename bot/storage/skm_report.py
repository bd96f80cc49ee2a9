"""What the SKM period report reads beyond the units' answer sums: the answers summed per
respondent segment (profile field and value) and per service, the responses per channel
(how the data was collected), and the unit head who signs the written report.

Only the CLI uses these (``kinerja report skm``). Sums are integers per unsur key, so the
scoring (``kinerja.skm``) applies the formula once to each group.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.conversation.ports.survey import AnswerSums
from bot.storage.base import Repository, Row, to_iso
from kinerja.models import UNSUR_KEYS

#: the respondent profile columns of survey_responses (skm.md "Respondent profile")
SEGMENT_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")

_UNSUR_COLUMNS = ", ".join(f"r.u_{k}" for k in UNSUR_KEYS)
_SUMS = f"COUNT(COALESCE({_UNSUR_COLUMNS})), " + ", ".join(
    f"SUM(r.u_{k}), COUNT(r.u_{k})" for k in UNSUR_KEYS
)
_IN_PERIOD = (
    " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
    " JOIN services s ON s.id = p.service_id JOIN units u ON u.id = s.unit_id"
    " WHERE r.submitted_at >= ? AND r.submitted_at < ?"
)


def _sums(row: Row, at: int) -> AnswerSums:
    """The ``AnswerSums`` of ``_SUMS`` columns starting at position ``at``."""
    return AnswerSums(
        n=int(row[at]),
        sums={k: int(row[at + 1 + 2 * i] or 0) for i, k in enumerate(UNSUR_KEYS)},
        counts={k: int(row[at + 2 + 2 * i]) for i, k in enumerate(UNSUR_KEYS)},
    )


class SkmReportRepository(Repository):
    async def segment_sums(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> list[tuple[str, str, str | None, AnswerSums]]:
        """``(unit code, profile field, value or None for NA, answer sums)`` of the responses
        in [start, end) of these units, one row per value that occurs (``n`` counts the
        responses with at least one answered unsur)."""
        if not unit_codes:
            return []
        marks = ", ".join("?" * len(unit_codes))
        out: list[tuple[str, str, str | None, AnswerSums]] = []
        for field in SEGMENT_FIELDS:
            rows = await self.db.fetchall(
                f"SELECT u.code, r.{field}, {_SUMS}" + _IN_PERIOD
                + f" AND u.code IN ({marks}) GROUP BY u.code, r.{field}"
                f" ORDER BY u.code, r.{field}",
                [to_iso(start), to_iso(end), *unit_codes],
            )
            out += [(r[0], field, r[1] or None, _sums(r, 2)) for r in rows]
        return out

    async def service_sums(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> list[tuple[str, str, str, AnswerSums]]:
        """``(unit code, service code, service name, answer sums)`` of every service of these
        units, by unit then service code; a service without responses in [start, end) has
        ``n = 0``."""
        if not unit_codes:
            return []
        marks = ", ".join("?" * len(unit_codes))
        rows = await self.db.fetchall(
            f"SELECT u.code, s.code, s.name, {_SUMS}"
            " FROM services s JOIN units u ON u.id = s.unit_id"
            " LEFT JOIN service_points p ON p.service_id = s.id"
            " LEFT JOIN survey_responses r ON r.point_id = p.id"
            " AND r.submitted_at >= ? AND r.submitted_at < ?"
            f" WHERE u.code IN ({marks}) GROUP BY u.code, s.code, s.name ORDER BY u.code, s.code",
            [to_iso(start), to_iso(end), *unit_codes],
        )
        return [(r[0], r[1], r[2], _sums(r, 3)) for r in rows]

    async def channel_counts(
        self, start: datetime, end: datetime, unit_codes: Sequence[str]
    ) -> dict[str, int]:
        """Responses in [start, end) of these units per channel (``telegram``, ``whatsapp``,
        ``paper`` …): how the data was collected."""
        if not unit_codes:
            return {}
        marks = ", ".join("?" * len(unit_codes))
        rows = await self.db.fetchall(
            "SELECT r.channel, COUNT(*)" + _IN_PERIOD
            + f" AND u.code IN ({marks}) GROUP BY r.channel ORDER BY r.channel",
            [to_iso(start), to_iso(end), *unit_codes],
        )
        return {r[0]: int(r[1]) for r in rows}

    async def unit_head(self, unit_code: str) -> dict[str, Any] | None:
        """The head of a unit, for the report's signature: ``{"nip", "nama", "jabatan"}`` of
        the active employee of the unit whose atasan is none or works in another unit (the
        one with most subordinates, then the lowest NIP, when several are); None when the
        unit has nobody like that."""
        row = await self.db.fetchone(
            "SELECT e.nip, e.nama, e.jabatan FROM employees e JOIN units u ON u.id = e.unit_id"
            " LEFT JOIN employees a ON a.id = e.atasan_id"
            " WHERE u.code = ? AND e.active = 1 AND (a.id IS NULL OR a.unit_id != e.unit_id)"
            " ORDER BY (SELECT COUNT(*) FROM employees b WHERE b.atasan_id = e.id) DESC, e.nip"
            " LIMIT 1",
            (unit_code,),
        )
        return dict(row) if row else None
