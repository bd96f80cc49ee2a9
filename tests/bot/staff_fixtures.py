"""A small staff for the staff tests: a Kadis, a Kabid under them, two staff under the Kabid."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.conversation.flows.staff.register import code_hash
from bot.storage import Store
from bot.storage.employees import EmployeeRow, TargetRow
from tests.conftest import SECRET, Chat, read

KADIS = "196801011990031001"
KABID = "197505052000031002"
STAF_A = "199001012015031003"
STAF_B = "199202022016032004"

EMPLOYEES = [
    EmployeeRow(KADIS, "Drs. Bambang Sutrisno", "Kepala Dinas", "DISDUKCAPIL"),
    EmployeeRow(KABID, "Siti Rahmawati, S.Sos.", "Kepala Bidang", "DISDUKCAPIL", KADIS),
    EmployeeRow(STAF_A, "Andi Pratama", "Verifikator KTP-el", "DISDUKCAPIL", KABID),
    EmployeeRow(STAF_B, "Dewi Lestari", "Operator KK", "DISDUKCAPIL", KABID),
]
TARGETS = [
    TargetRow(STAF_A, 2026, "Layanan KTP-el tepat waktu", "utama",
              "Dokumen KTP-el diverifikasi", "kuantitas", 12, "dokumen", "naik"),
    TargetRow(STAF_A, 2026, "Layanan KTP-el tepat waktu", "utama",
              "Waktu penyelesaian", "waktu", 3, "hari", "turun"),
    TargetRow(STAF_B, 2026, "Penerbitan KK", "utama", "KK diterbitkan", "kuantitas",
              100, "dokumen", "naik"),
]


async def load_staff(store: Store) -> dict[str, int]:
    """Write the staff and targets; return NIP → employee id."""
    async with store.unit() as uow:
        await uow.upsert_employees(EMPLOYEES)
        await uow.upsert_targets(TARGETS)
    return {e.nip: e.id for e in await read(store, lambda r: r.employees_by_nip())}


async def invite(store: Store, nip: str, code: str, now: datetime,
                 days: int = 7) -> None:
    """An activation code for ``nip`` (as ``kinerja invite`` stores it)."""
    (employee,) = await read(store, lambda r: r.employees_by_nip([nip]))
    async with store.unit() as uow:
        await uow.create_activation(employee.id, code_hash(SECRET, code), now,
                                      now + timedelta(days=days))


async def linked(chat: Chat, store: Store, nip: str, code: str, now: datetime) -> None:
    """Invite ``nip`` and redeem the code from ``chat``."""
    await invite(store, nip, code, now)
    await chat.send(f"/daftar {code}")
    assert "Berhasil" in chat.text, chat.text
