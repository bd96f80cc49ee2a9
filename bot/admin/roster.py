"""Staff and service points without a spreadsheet: ``kinerja staff list|add|edit|deactivate|
activate`` and ``kinerja points add|deactivate|activate``.

A deactivated employee (moved, retired) keeps every report, decision and rating; their chat
links are removed, their open codes revoked, and they can no longer be invited or linked.
A deactivated service point keeps its responses; its QR code, still hanging somewhere, tells
the citizen the counter is no longer in use, and ``kinerja link`` makes no new QR for it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.admin.common import fail, local_time, settings, with_core

if TYPE_CHECKING:
    from bot.app.core import Core
    from bot.storage import Unit
    from bot.storage.admin import StaffRow

NIP = re.compile(r"^\d{18}$")


class RosterError(ValueError):
    """Bad input for a staff or point command; nothing was changed."""


class StaffFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def _nip(value: str, what: str = "NIP") -> str:
    value = value.strip()
    if not NIP.match(value):
        raise RosterError(f"{what} {value!r} harus 18 angka")
    return value


async def _check_atasan(uow: Unit, nip: str, atasan: str) -> None:
    """The atasan exists, is active, and is not the employee or someone below them."""
    if atasan == nip:
        raise RosterError("pegawai tidak dapat menjadi atasannya sendiri")
    found = await uow.employee_fields(atasan)
    if found is None:
        raise RosterError(f"atasan {atasan} tidak dikenal")
    if not found["active"]:
        raise RosterError(f"atasan {atasan} nonaktif")
    links = await uow.employee_atasan()
    walk, steps = atasan, 0
    while walk is not None and steps <= len(links):
        if walk == nip:
            raise RosterError(f"{atasan} berada di bawah {nip}: atasan membentuk lingkaran")
        walk, steps = links.get(walk), steps + 1


async def save_staff(
    app: Core, nip: str, *, new: bool, nama: str | None = None, jabatan: str | None = None,
    unit: str | None = None, atasan: str | None = None, no_atasan: bool = False,
    phone: str | None = None,
) -> str:
    """Add an employee (``new``: every field but atasan and phone required) or change the
    given fields of one (the others stay). Raises :class:`RosterError`."""
    nip = _nip(nip)
    async with app.store.unit() as uow:
        current = await uow.employee_fields(nip)
        if new and current is not None:
            raise RosterError(f"NIP {nip} sudah ada ({current['nama']}): pakai kinerja staff "
                              "edit")
        if not new and current is None:
            raise RosterError(f"NIP {nip} tidak dikenal (pegawai baru: kinerja staff add)")
        fields = dict(current or {})
        for key, value in (("nama", nama), ("jabatan", jabatan), ("unit", unit),
                           ("phone", phone)):
            if value is not None:
                fields[key] = value.strip() or None
        if atasan is not None:
            fields["atasan_nip"] = _nip(atasan, "NIP atasan")
            await _check_atasan(uow, nip, fields["atasan_nip"])
        elif no_atasan:
            fields["atasan_nip"] = None
        for key, what in (("nama", "--nama"), ("jabatan", "--jabatan"), ("unit", "--unit")):
            if not fields.get(key):
                raise RosterError(f"{what} wajib diisi")
        if fields["unit"] not in await uow.codes("units"):
            raise RosterError(f"unit {fields['unit']!r} tidak dikenal")
        await uow.save_employee(nip, fields["nama"], fields["jabatan"], fields["unit"],
                                fields.get("atasan_nip"), fields.get("phone"))
    if new:
        return f"Pegawai {nip} {fields['nama']} ditambahkan (undang: kinerja invite {nip})."
    changed = [k for k in ("nama", "jabatan", "unit", "phone")
               if current is not None and current.get(k) != fields.get(k)]
    if current is not None and current.get("atasan_nip") != fields.get("atasan_nip"):
        changed.append("atasan")
    return (f"Pegawai {nip} diperbarui: {', '.join(changed)}." if changed
            else f"Pegawai {nip}: tidak ada yang berubah.")


async def set_staff_active(app: Core, nip: str, active: bool, now: datetime) -> str:
    """Deactivate (unlink, revoke codes; history kept) or reactivate an employee."""
    from bot.storage.admin import UnknownEmployee

    nip = _nip(nip)
    async with app.store.unit() as uow:
        try:
            unlinked = await uow.set_employee_active(nip, active, now)
        except UnknownEmployee as exc:
            raise RosterError(f"NIP {nip} tidak dikenal") from exc
        below = [n for n, a in (await uow.employee_atasan()).items() if a == nip]
        inactive = await uow.inactive_nips(below)
    if active:
        return f"Pegawai {nip} aktif kembali (undang lagi: kinerja invite {nip})."
    lines = [f"Pegawai {nip} dinonaktifkan: riwayat laporan dan penilaiannya tetap; "
             f"{unlinked} tautan chat diputus, tidak dapat diundang atau terhubung lagi."]
    still = [n for n in below if n not in inactive]
    if still:
        lines.append(f"Perhatian: {len(still)} pegawai masih beratasan {nip} "
                     f"({', '.join(still)}): ganti dengan kinerja staff edit NIP --atasan "
                     "NIP_BARU.")
    return "\n".join(lines)


async def add_point(app: Core, code: str, service: str, name: str, officer: str | None
                    ) -> str:
    from bot.conversation.links import CODE_PATTERN
    from bot.storage.organisation import PointRow

    if not CODE_PATTERN.match(code):
        raise RosterError(f"kode {code!r} hanya boleh huruf, angka, '_' dan '-' "
                          "(maksimal 51 karakter)")
    if not name.strip():
        raise RosterError("--name wajib diisi")
    if officer is not None:
        officer = _nip(officer, "NIP petugas")
    async with app.store.unit() as uow:
        if code in await uow.codes("service_points"):
            raise RosterError(f"titik layanan {code} sudah ada")
        if service not in await uow.codes("services"):
            raise RosterError(f"layanan {service!r} tidak dikenal")
        if officer is not None and await uow.employee_fields(officer) is None:
            raise RosterError(f"petugas {officer} tidak dikenal")
        await uow.upsert_points([PointRow(code, service, name.strip(), officer, True)])
    return f"Titik layanan {code} ditambahkan. Kode QR-nya: kinerja link --qr FOLDER"


async def set_point_active(app: Core, code: str, active: bool) -> str:
    async with app.store.unit() as uow:
        if not await uow.set_point_active(code, active):
            raise RosterError(f"titik layanan {code!r} tidak dikenal")
    if active:
        return f"Titik layanan {code} aktif kembali (cetak ulang QR: kinerja link --qr FOLDER)."
    return (f"Titik layanan {code} dinonaktifkan: respons lamanya tetap dihitung; warga yang "
            "memindai QR-nya diberi tahu loket ini tidak digunakan lagi, dan kinerja link "
            "tidak membuat QR baru untuknya.")


STAFF_FIELDS = ("nip", "nama", "jabatan", "unit", "atasan_nip", "atasan_nama", "channels",
                "last_report", "active")


def _staff_record(row: StaffRow, tz: Any) -> dict[str, Any]:
    return {
        "nip": row.nip, "nama": row.nama, "jabatan": row.jabatan, "unit": row.unit,
        "atasan_nip": row.atasan_nip, "atasan_nama": row.atasan_nama,
        "channels": list(row.channels),
        "last_report": local_time(row.last_report, tz) if row.last_report else None,
        "active": row.active,
    }


def register(app: typer.Typer) -> None:
    """Add ``staff`` and ``points`` to the CLI."""
    from bot.admin.i18n import IndonesianGroup

    staff_app = typer.Typer(help="Pegawai tanpa spreadsheet: daftar, tambah, ubah, nonaktifkan.",
                            cls=IndonesianGroup)
    points_app = typer.Typer(help="Titik layanan tanpa spreadsheet: tambah, nonaktifkan.",
                             cls=IndonesianGroup)
    app.add_typer(staff_app, name="staff")
    app.add_typer(points_app, name="points")

    def run(make: Any) -> None:
        async def go(a: Core) -> str:
            try:
                return await make(a)
            except RosterError as exc:
                raise fail(str(exc)) from exc

        typer.echo(with_core(go))

    @staff_app.command("list")
    def staff_list(
        unit: Annotated[str | None, typer.Option(help="Hanya unit ini (kode).")] = None,
        format: Annotated[StaffFormat, typer.Option("--format")] = StaffFormat.text,
        all_: Annotated[bool, typer.Option("--all", help="Termasuk pegawai nonaktif.")
                        ] = False,
    ) -> None:
        """Pegawai dengan jabatan, unit, atasan, chat yang terhubung dan laporan terakhir."""
        config = settings()

        async def go(a: Core) -> list[StaffRow]:
            async with a.store.reading() as r:
                if unit is not None and unit not in await r.codes("units"):
                    raise fail(f"unit {unit!r} tidak dikenal")
                return await r.staff_rows(unit, include_inactive=all_)

        records = [_staff_record(row, config.tz) for row in with_core(go)]
        if format is StaffFormat.json:
            typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
            return
        if format is StaffFormat.csv:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=STAFF_FIELDS)
            writer.writeheader()
            writer.writerows({**r, "channels": " ".join(r["channels"])} for r in records)
            typer.echo(buffer.getvalue(), nl=False)
            return
        if not records:
            typer.echo("Belum ada pegawai.")
            return
        for r in records:
            atasan = f"atasan {r['atasan_nama']} ({r['atasan_nip']})" if r["atasan_nip"] \
                else "tanpa atasan"
            linked = ", ".join(r["channels"]) or "belum terhubung"
            last = r["last_report"] or "belum pernah"
            status = "" if r["active"] else "  [NONAKTIF]"
            typer.echo(f"{r['nip']}  {r['nama']} — {r['jabatan']}, {r['unit']}{status}")
            typer.echo(f"    {atasan}; chat: {linked}; laporan terakhir: {last}")
        typer.echo(f"{len(records)} pegawai.")

    @staff_app.command("add")
    def staff_add(
        nip: Annotated[str, typer.Argument(help="NIP, 18 angka.")],
        nama: Annotated[str, typer.Option(help="Nama lengkap dengan gelar.")],
        jabatan: Annotated[str, typer.Option(help="Jabatan.")],
        unit: Annotated[str, typer.Option(help="Kode unit.")],
        atasan: Annotated[str | None, typer.Option(help="NIP atasan (kosong: pimpinan).")
                          ] = None,
        phone: Annotated[str | None, typer.Option(help="Nomor telepon.")] = None,
    ) -> None:
        """Tambah satu pegawai."""
        run(lambda a: save_staff(a, nip, new=True, nama=nama, jabatan=jabatan, unit=unit,
                                 atasan=atasan, phone=phone))

    @staff_app.command("edit")
    def staff_edit(
        nip: Annotated[str, typer.Argument(help="NIP pegawai.")],
        nama: Annotated[str | None, typer.Option()] = None,
        jabatan: Annotated[str | None, typer.Option()] = None,
        unit: Annotated[str | None, typer.Option(help="Kode unit.")] = None,
        atasan: Annotated[str | None, typer.Option(help="NIP atasan baru.")] = None,
        no_atasan: Annotated[bool, typer.Option("--no-atasan", help="Tanpa atasan "
                                                "(pimpinan).")] = False,
        phone: Annotated[str | None, typer.Option(help="Nomor telepon (\"\" menghapus).")
                         ] = None,
    ) -> None:
        """Ubah data pegawai: hanya yang disebut yang berubah."""
        if atasan is not None and no_atasan:
            raise fail("pilih salah satu: --atasan atau --no-atasan")
        run(lambda a: save_staff(a, nip, new=False, nama=nama, jabatan=jabatan, unit=unit,
                                 atasan=atasan, no_atasan=no_atasan, phone=phone))

    @staff_app.command("deactivate")
    def staff_deactivate(nip: Annotated[str, typer.Argument(help="NIP pegawai.")]) -> None:
        """Nonaktifkan pegawai (pindah, pensiun): riwayat tetap, chat diputus, tak bisa
        diundang."""
        run(lambda a: set_staff_active(a, nip, False, datetime.now(UTC)))

    @staff_app.command("activate")
    def staff_activate(nip: Annotated[str, typer.Argument(help="NIP pegawai.")]) -> None:
        """Aktifkan kembali pegawai yang dinonaktifkan."""
        run(lambda a: set_staff_active(a, nip, True, datetime.now(UTC)))

    @points_app.command("add")
    def points_add(
        code: Annotated[str, typer.Argument(help="Kode titik layanan (huruf, angka, _ -).")],
        service: Annotated[str, typer.Option(help="Kode layanan.")],
        name: Annotated[str, typer.Option(help="Nama loket/meja, mis. \"Loket 5\".")],
        officer: Annotated[str | None, typer.Option(help="NIP petugas di sana.")] = None,
    ) -> None:
        """Tambah satu titik layanan (loket, meja, ruang)."""
        run(lambda a: add_point(a, code, service, name, officer))

    @points_app.command("deactivate")
    def points_deactivate(code: Annotated[str, typer.Argument(help="Kode titik layanan.")]
                          ) -> None:
        """Nonaktifkan titik layanan: QR-nya memberi tahu warga loket tidak digunakan lagi."""
        run(lambda a: set_point_active(a, code, False))

    @points_app.command("activate")
    def points_activate(code: Annotated[str, typer.Argument(help="Kode titik layanan.")]
                        ) -> None:
        """Aktifkan kembali titik layanan."""
        run(lambda a: set_point_active(a, code, True))
