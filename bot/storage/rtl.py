"""RTL items and their history, saran marks, alert counts and follows (migration 0014).

Implements :mod:`bot.conversation.ports.rtl`. Whether an item is late is
:func:`kinerja.rtl.is_late`; a saran's theme is :func:`kinerja.saran.classify` — computed
here when read, never stored, so a better lexicon re-themes old saran too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.conversation.ports.rtl import (
    AlertSettings,
    Follow,
    NewRtl,
    PendingAlert,
    RtlItem,
    RtlUpdate,
    SaranEntry,
)
from bot.storage.base import Repository, Row, from_iso, to_iso
from kinerja.models import UNSUR_KEYS
from kinerja.periods import sesi_of
from kinerja.rtl import MARKS, is_late
from kinerja.saran import classify

_ITEM = (
    "SELECT i.*, u.code AS unit_code, u.name AS unit_name, e.nama AS responsible_nama,"
    " e.nip AS responsible_nip,"
    " (SELECT COUNT(*) FROM saran_marks m WHERE m.rtl_id = i.id) AS saran_count"
    " FROM rtl_items i JOIN units u ON u.id = i.unit_id"
    " LEFT JOIN employees e ON e.id = i.responsible_id"
)
_ITEM_ORDER = " ORDER BY i.period, i.target_date, i.id"

_SARAN = (
    "SELECT r.id, r.submitted_at, r.saran, u.code AS unit_code, s.name AS service,"
    " p.code AS point_code, p.name AS point, COALESCE(m.mark, 'baru') AS mark, m.rtl_id"
    " FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
    " JOIN services s ON s.id = p.service_id JOIN units u ON u.id = s.unit_id"
    " LEFT JOIN saran_marks m ON m.response_id = r.id"
)
#: ``LIMIT`` for "all rows" on both databases (PostgreSQL refuses SQLite's ``LIMIT -1``)
_NO_LIMIT = 2**62
_HAS_SARAN = " r.saran IS NOT NULL AND trim(r.saran) != ''"


def _item(r: Row, today: date) -> RtlItem:
    target = date.fromisoformat(r["target_date"])
    return RtlItem(
        id=r["id"], unit_id=r["unit_id"], unit_code=r["unit_code"], unit_name=r["unit_name"],
        period=r["period"], unsur=r["unsur"], problem=r["problem"], action=r["action"],
        responsible_id=r["responsible_id"], responsible_nama=r["responsible_nama"],
        responsible_nip=r["responsible_nip"], target_date=target, progress=r["progress"],
        status=r["status"], late=is_late(target, r["status"], today),
        created_at=from_iso(r["created_at"]) or datetime.min,
        updated_at=from_iso(r["updated_at"]) or datetime.min, saran=r["saran_count"],
    )


def _saran(r: Row, tz: ZoneInfo) -> SaranEntry:
    moment = (from_iso(r["submitted_at"]) or datetime.min).astimezone(tz)
    theme = classify(r["saran"])
    return SaranEntry(
        response_id=r["id"], day=moment.date(), sesi=sesi_of(moment, tz).value,
        unit_code=r["unit_code"], service=r["service"], point_code=r["point_code"],
        point=r["point"], text=r["saran"],
        mark=r["mark"], rtl_id=r["rtl_id"], themes=theme.labels, serious=theme.serious,
    )


def _marks_clause(marks: Sequence[str] | None) -> tuple[str, list[object]]:
    if marks is None:
        return "", []
    unknown = set(marks) - set(MARKS)
    if unknown:
        raise ValueError(f"unknown saran marks: {sorted(unknown)}")
    if not marks:
        return " AND 0", []
    return (f" AND COALESCE(m.mark, 'baru') IN ({', '.join('?' * len(marks))})", list(marks))


class RtlRepository(Repository):
    """RTL items, saran marks, alert counts and follows."""

    # --- RTL ----------------------------------------------------------------

    async def rtl_items(
        self, unit_id: int, period: str | None = None, *, today: date
    ) -> list[RtlItem]:
        sql, params = _ITEM + " WHERE i.unit_id = ?", [unit_id]
        if period is not None:
            sql += " AND i.period = ?"
            params.append(period)
        rows = await self.db.fetchall(sql + _ITEM_ORDER, params)
        return [_item(r, today) for r in rows]

    async def rtl_item(self, item_id: int, *, today: date) -> RtlItem | None:
        row = await self.db.fetchone(_ITEM + " WHERE i.id = ?", (item_id,))
        return _item(row, today) if row is not None else None

    async def rtl_open_until(self, last_day: date, *, today: date) -> list[RtlItem]:
        rows = await self.db.fetchall(
            _ITEM + " WHERE i.status != 'selesai' AND i.target_date <= ?"
            " ORDER BY i.target_date, i.id",
            (last_day.isoformat(),),
        )
        return [_item(r, today) for r in rows]

    async def rtl_history(self, item_id: int) -> list[RtlUpdate]:
        rows = await self.db.fetchall(
            "SELECT * FROM rtl_updates WHERE item_id = ? ORDER BY id", (item_id,)
        )
        return [
            RtlUpdate(
                at=from_iso(r["at"]) or datetime.min, by_name=r["by_name"],
                by_employee_id=r["by_employee_id"], action=r["action"], progress=r["progress"],
                status=r["status"],
                target_date=date.fromisoformat(r["target_date"]) if r["target_date"] else None,
                responsible_id=r["responsible_id"], note=r["note"],
            )
            for r in rows
        ]

    async def add_rtl(
        self, item: NewRtl, *, at: datetime, by_name: str, by_employee_id: int | None = None,
        note: str | None = None,
    ) -> int:
        when = to_iso(at)
        item_id = await self.db.insert(
            "INSERT INTO rtl_items (unit_id, period, unsur, problem, action, responsible_id,"
            " target_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item.unit_id, item.period, item.unsur, item.problem, item.action,
             item.responsible_id, item.target_date.isoformat(), when, when),
        )
        await self.db.execute(
            "INSERT INTO rtl_updates (item_id, at, by_employee_id, by_name, action, progress,"
            " status, target_date, responsible_id, note)"
            " VALUES (?, ?, ?, ?, 'create', 0, 'rencana', ?, ?, ?)",
            (item_id, when, by_employee_id, by_name, item.target_date.isoformat(),
             item.responsible_id, note),
        )
        return item_id

    async def update_rtl(
        self,
        item_id: int,
        *,
        at: datetime,
        by_name: str,
        by_employee_id: int | None = None,
        progress: int | None = None,
        status: str | None = None,
        target_date: date | None = None,
        responsible_id: int | None = None,
        note: str | None = None,
    ) -> bool:
        changes: dict[str, object] = {
            "progress": progress, "status": status,
            "target_date": target_date.isoformat() if target_date else None,
            "responsible_id": responsible_id,
        }
        sets = [f"{column} = ?" for column, value in changes.items() if value is not None]
        values = [value for value in changes.values() if value is not None]
        when = to_iso(at)
        changed = await self.db.execute(
            "UPDATE rtl_items SET " + ", ".join([*sets, "updated_at = ?"]) + " WHERE id = ?",
            [*values, when, item_id],
        )
        if not changed:
            return False
        await self.db.execute(
            "INSERT INTO rtl_updates (item_id, at, by_employee_id, by_name, action, progress,"
            " status, target_date, responsible_id, note)"
            " VALUES (?, ?, ?, ?, 'update', ?, ?, ?, ?, ?)",
            (item_id, when, by_employee_id, by_name, *changes.values(), note),
        )
        return True

    # --- saran --------------------------------------------------------------

    async def unit_saran(
        self,
        unit_id: int,
        start: datetime,
        end: datetime,
        tz: ZoneInfo,
        *,
        offset: int = 0,
        limit: int | None = None,
        marks: Sequence[str] | None = None,
    ) -> list[SaranEntry]:
        mark_sql, mark_params = _marks_clause(marks)
        rows = await self.db.fetchall(
            _SARAN + " WHERE s.unit_id = ? AND r.submitted_at >= ? AND r.submitted_at < ?"
            " AND" + _HAS_SARAN + mark_sql
            + " ORDER BY r.submitted_at DESC, r.id DESC LIMIT ? OFFSET ?",
            [unit_id, to_iso(start), to_iso(end), *mark_params,
             _NO_LIMIT if limit is None else limit, offset],
        )
        return [_saran(r, tz) for r in rows]

    async def unit_saran_count(
        self, unit_id: int, start: datetime, end: datetime, marks: Sequence[str] | None = None
    ) -> int:
        mark_sql, mark_params = _marks_clause(marks)
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM survey_responses r JOIN service_points p ON p.id = r.point_id"
            " JOIN services s ON s.id = p.service_id"
            " LEFT JOIN saran_marks m ON m.response_id = r.id"
            " WHERE s.unit_id = ? AND r.submitted_at >= ? AND r.submitted_at < ? AND"
            + _HAS_SARAN + mark_sql,
            [unit_id, to_iso(start), to_iso(end), *mark_params],
        )
        return int(row[0]) if row is not None else 0

    async def saran_by_id(self, response_id: int, tz: ZoneInfo) -> SaranEntry | None:
        row = await self.db.fetchone(
            _SARAN + " WHERE r.id = ? AND" + _HAS_SARAN, (response_id,)
        )
        return _saran(row, tz) if row is not None else None

    async def mark_saran(
        self, response_id: int, mark: str, *, at: datetime, by_name: str,
        rtl_id: int | None = None, keep_link: bool = True,
    ) -> bool:
        if mark not in MARKS:
            raise ValueError(f"unknown saran mark {mark!r}")
        exists = await self.db.fetchone(
            "SELECT 1 FROM survey_responses r WHERE r.id = ? AND" + _HAS_SARAN, (response_id,)
        )
        if exists is None:
            return False
        link = "COALESCE(excluded.rtl_id, saran_marks.rtl_id)" if keep_link else "excluded.rtl_id"
        await self.db.execute(
            "INSERT INTO saran_marks (response_id, mark, rtl_id, marked_at, marked_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (response_id) DO UPDATE SET"
            f" mark = excluded.mark, rtl_id = {link}, marked_at = excluded.marked_at,"
            " marked_by = excluded.marked_by",
            (response_id, mark, rtl_id, to_iso(at), by_name),
        )
        return True

    # --- alerts -------------------------------------------------------------

    async def alert_settings(self, unit_id: int) -> AlertSettings:
        row = await self.db.fetchone(
            "SELECT bad_responses, ikm_drop FROM unit_alerts WHERE unit_id = ?", (unit_id,),
            inline=True,
        )
        if row is None:
            return AlertSettings()
        return AlertSettings(bool(row[0]), bool(row[1]))

    async def set_alert_settings(
        self, unit_id: int, *, bad_responses: bool | None = None, ikm_drop: bool | None = None
    ) -> AlertSettings:
        current = await self.alert_settings(unit_id)
        new = AlertSettings(
            current.bad_responses if bad_responses is None else bad_responses,
            current.ikm_drop if ikm_drop is None else ikm_drop,
        )
        await self.db.execute(
            "INSERT INTO unit_alerts (unit_id, bad_responses, ikm_drop) VALUES (?, ?, ?)"
            " ON CONFLICT (unit_id) DO UPDATE SET bad_responses = excluded.bad_responses,"
            " ikm_drop = excluded.ikm_drop",
            (unit_id, int(new.bad_responses), int(new.ikm_drop)),
        )
        return new

    async def note_bad_response(
        self, unit_id: int, hour: str, unsur_at_one: Sequence[str], serious: bool
    ) -> None:
        unknown = set(unsur_at_one) - set(UNSUR_KEYS)
        if unknown:
            raise ValueError(f"unknown unsur: {sorted(unknown)}")
        bumps = "".join(f", u_{key} = u_{key} + 1" for key in unsur_at_one)
        await self.db.execute(
            "INSERT INTO alert_pending (unit_id, hour) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (unit_id, hour),
        )
        await self.db.execute(
            "UPDATE alert_pending SET responses = responses + ?, serious = serious + ?" + bumps
            + " WHERE unit_id = ? AND hour = ?",
            (int(bool(unsur_at_one)), int(serious), unit_id, hour),
        )

    async def pending_alerts(self, before_hour: str) -> list[PendingAlert]:
        rows = await self.db.fetchall(
            "SELECT * FROM alert_pending WHERE hour < ? ORDER BY hour, unit_id", (before_hour,)
        )
        return [
            PendingAlert(r["unit_id"], r["hour"], r["responses"], r["serious"],
                         {key: r[f"u_{key}"] for key in UNSUR_KEYS})
            for r in rows
        ]

    async def clear_alert(self, unit_id: int, hour: str) -> None:
        await self.db.execute(
            "DELETE FROM alert_pending WHERE unit_id = ? AND hour = ?", (unit_id, hour)
        )

    # --- follows ------------------------------------------------------------

    async def follow_unit(
        self, channel: str, chat_id: str, unit_id: int, language: str, since: date
    ) -> bool:
        existed = await self.db.fetchone(
            "SELECT 1 FROM follows WHERE channel = ? AND chat_id = ? AND unit_id = ?",
            (channel, chat_id, unit_id),
        )
        await self.db.execute(
            "INSERT INTO follows (channel, chat_id, unit_id, language, since)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id, unit_id)"
            " DO UPDATE SET language = excluded.language",
            (channel, chat_id, unit_id, language, since.isoformat()),
        )
        return existed is None

    async def unfollow(self, channel: str, chat_id: str, unit_id: int | None = None) -> int:
        if unit_id is None:
            return await self.db.execute(
                "DELETE FROM follows WHERE channel = ? AND chat_id = ?", (channel, chat_id)
            )
        return await self.db.execute(
            "DELETE FROM follows WHERE channel = ? AND chat_id = ? AND unit_id = ?",
            (channel, chat_id, unit_id),
        )

    async def follows_of(self, channel: str, chat_id: str) -> list[Follow]:
        rows = await self.db.fetchall(
            "SELECT * FROM follows WHERE channel = ? AND chat_id = ? ORDER BY unit_id",
            (channel, chat_id),
        )
        return [_follow(r) for r in rows]

    async def followers(self, unit_id: int | None = None) -> list[Follow]:
        sql = "SELECT * FROM follows"
        params: tuple[object, ...] = ()
        if unit_id is not None:
            sql, params = sql + " WHERE unit_id = ?", (unit_id,)
        rows = await self.db.fetchall(sql + " ORDER BY unit_id, channel, chat_id", params)
        return [_follow(r) for r in rows]


def _follow(r: Row) -> Follow:
    return Follow(r["channel"], r["chat_id"], r["unit_id"], r["language"],
                  date.fromisoformat(r["since"]))
