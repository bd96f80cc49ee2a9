"""The demo organisation: a few real-looking units so every flow can be tried at once.

Idempotent: running it again updates the same rows by code and adds no more
demo responses once they exist.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.conversation.ports.reports import NewReport
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store, Unit
from bot.storage.employees import EmployeeRow, TargetRow
from bot.storage.organisation import PointRow, ServiceRow, UnitRow
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS
from kinerja.periods import JAKARTA

UNITS = [
    UnitRow("PEMKOT", "Pemerintah Kota Contoh"),
    UnitRow("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "PEMKOT", 24000),
    UnitRow("DINKES", "Dinas Kesehatan", "PEMKOT"),
    UnitRow("PKM-SUKAMAJU", "Puskesmas Sukamaju", "DINKES", 18000),
    UnitRow("DPMPTSP", "Dinas Penanaman Modal dan PTSP", "PEMKOT", 6000),
]
SERVICES = [
    ServiceRow("DUK-KTP", "DISDUKCAPIL", "Perekaman dan Pencetakan KTP-el"),
    ServiceRow("DUK-KK", "DISDUKCAPIL", "Penerbitan Kartu Keluarga"),
    ServiceRow("DUK-AKTA", "DISDUKCAPIL", "Akta Kelahiran"),
    ServiceRow("PKM-UMUM", "PKM-SUKAMAJU", "Poli Umum"),
    ServiceRow("PKM-KIA", "PKM-SUKAMAJU", "Kesehatan Ibu dan Anak"),
    ServiceRow("PTSP-NIB", "DPMPTSP", "Nomor Induk Berusaha (NIB)"),
    ServiceRow("PTSP-PBG", "DPMPTSP", "Persetujuan Bangunan Gedung"),
]
POINTS = [
    PointRow("DUK-KTP-L1", "DUK-KTP", "Loket 1 KTP-el"),
    PointRow("DUK-KTP-L2", "DUK-KTP", "Loket 2 KTP-el"),
    PointRow("DUK-KK-L3", "DUK-KK", "Loket 3 Kartu Keluarga"),
    PointRow("DUK-AKTA-L4", "DUK-AKTA", "Loket 4 Akta"),
    PointRow("PKM-UMUM-P1", "PKM-UMUM", "Ruang Periksa Umum"),
    PointRow("PKM-KIA-P2", "PKM-KIA", "Ruang KIA"),
    PointRow("PTSP-NIB-M1", "PTSP-NIB", "Meja Layanan NIB"),
    PointRow("PTSP-PBG-M2", "PTSP-PBG", "Meja Layanan PBG"),
]

# How each unit tends to be rated (probabilities of 1..4): one good, one
# middling with weak complaint handling, one excellent.
_PROFILES = {
    "DISDUKCAPIL": (0.02, 0.10, 0.50, 0.38),
    "PKM-SUKAMAJU": (0.03, 0.15, 0.55, 0.27),
    "DPMPTSP": (0.00, 0.03, 0.35, 0.62),
}
_SUGGESTIONS = [
    "Antrean pagi terlalu panjang, mohon tambah loket.",
    "Petugas ramah dan cepat, terima kasih.",
    "Kotak pengaduan tidak jelas tindak lanjutnya.",
    "Ruang tunggu panas, mohon kipas angin ditambah.",
    "Informasi persyaratan di papan pengumuman kurang lengkap.",
]


# --- the demo staff: per unit a head, two section heads, three staff each -------

_NAMES = [
    "Drs. Hendra Gunawan, M.Si.", "Sri Wahyuni, S.E.", "Agus Setiawan, S.Kom.",
    "Rina Marlina", "Budi Santoso", "Yuli Astuti", "Dedi Kurniawan, S.H.", "Fitri Handayani",
    "Joko Susilo", "dr. Ratna Sari Dewi", "Ns. Teguh Prasetyo, S.Kep.", "Bdn. Lina Oktaviani",
    "Wahyu Hidayat", "Nurul Aini, A.Md.Keb.", "Rizki Ramadhan", "Eka Putri Lestari",
    "Slamet Riyadi", "Ani Suryani", "Ir. Bambang Wijaya, M.T.", "Dian Permata Sari, S.T.",
    "Fajar Nugroho, S.E.", "Indah Puspitasari", "Arif Rahman", "Maya Anggraini",
    "Taufik Hidayatullah", "Kartika Dewi", "Yoga Pratama",
]
_STRUCTURE = {
    "DISDUKCAPIL": ("Kepala Dinas", ("Kepala Bidang Pelayanan Pendaftaran Penduduk",
                                     "Kepala Bidang Pencatatan Sipil"),
                    ("Verifikator KTP-el", "Operator Kartu Keluarga", "Petugas Loket")),
    "PKM-SUKAMAJU": ("Kepala Puskesmas", ("Koordinator Pelayanan Medis",
                                          "Koordinator KIA"),
                     ("Dokter Umum", "Perawat", "Bidan")),
    "DPMPTSP": ("Kepala Dinas", ("Kepala Bidang Pelayanan Perizinan",
                                 "Kepala Bidang Pengaduan"),
                ("Analis Perizinan", "Verifikator PBG", "Petugas Front Office")),
}
#: (rhk, indikator, aspek, target, satuan, arah) per kind of position.
_TARGETS = {
    "head": [("Kinerja pelayanan unit meningkat", "Indeks Kepuasan Masyarakat", "kualitas",
              85, "nilai IKM", "naik"),
             ("Pembinaan pegawai", "Rapat evaluasi kinerja", "kuantitas", 12, "kali", "naik")],
    "section": [("Layanan bidang tepat waktu", "Laporan bulanan bidang", "kuantitas", 12,
                 "laporan", "naik"),
                ("Layanan bidang tepat waktu", "Rata-rata waktu penyelesaian", "waktu", 3,
                 "hari", "turun")],
    "staff": [("Pelayanan kepada masyarakat", "Berkas layanan diselesaikan", "kuantitas",
               1200, "berkas", "naik"),
              ("Pelayanan kepada masyarakat", "Pengaduan ditindaklanjuti", "kualitas", 100,
               "%", "naik"),
              ("Pengembangan diri", "Pelatihan diikuti", "kuantitas", 20, "jam pelajaran",
               "naik")],
}
#: Which staff position (unit, section, position) serves at which demo point (officer_nip).
_POINT_OFFICERS = {
    "DUK-KTP-L1": ("DISDUKCAPIL", 0, 0), "DUK-KTP-L2": ("DISDUKCAPIL", 0, 2),
    "DUK-KK-L3": ("DISDUKCAPIL", 0, 1), "PKM-UMUM-P1": ("PKM-SUKAMAJU", 0, 0),
    "PKM-KIA-P2": ("PKM-SUKAMAJU", 1, 2), "PTSP-NIB-M1": ("DPMPTSP", 0, 0),
    "PTSP-PBG-M2": ("DPMPTSP", 0, 1),
}


def _nip(rng: random.Random, seq: int) -> str:
    """A valid-looking NIP: birth date (8), TMT CPNS year-month (6), gender (1), number (3)."""
    born = date(1966, 1, 1) + timedelta(days=rng.randint(0, 365 * 30))
    tmt_year = max(born.year + 22, 1990) + rng.randint(0, 8)
    tmt_month = rng.choice((1, 3, 4, 12))
    return f"{born:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{rng.choice((1, 2))}{seq:03d}"


def demo_staff() -> tuple[list[EmployeeRow], dict[tuple[str, int, int], str]]:
    """The demo employees (3 levels per unit) and the NIP of each (unit, section, position)."""
    rng = random.Random(2022)
    names = iter(_NAMES)
    rows: list[EmployeeRow] = []
    staff_nips: dict[tuple[str, int, int], str] = {}
    seq = 1
    for unit, (head_title, sections, positions) in _STRUCTURE.items():
        head = _nip(rng, seq)
        seq += 1
        rows.append(EmployeeRow(head, next(names), head_title, unit))
        for s, section_title in enumerate(sections):
            section = _nip(rng, seq)
            seq += 1
            rows.append(EmployeeRow(section, next(names), section_title, unit, head))
            for p, position in enumerate(positions):
                nip = _nip(rng, seq)
                seq += 1
                staff_nips[(unit, s, p)] = nip
                rows.append(EmployeeRow(nip, next(names), position, unit, section))
    return rows, staff_nips


def demo_targets(employees: list[EmployeeRow], tahun: int) -> list[TargetRow]:
    """This year's SKP indicators for every demo employee, by level."""
    tops = {e.nip for e in employees if e.atasan is None}
    sections = {e.nip for e in employees if e.atasan in tops}
    rows: list[TargetRow] = []
    for e in employees:
        level = "head" if e.nip in tops else "section" if e.nip in sections else "staff"
        for i, (rhk, indikator, aspek, target, satuan, arah) in enumerate(_TARGETS[level]):
            rows.append(TargetRow(e.nip, tahun, rhk, "utama" if i < 2 else "tambahan",
                                  indikator, aspek, float(target), satuan, arah))
    return rows


#: (indikator → (low, high, decimals) of one report's amount) for the demo staff reports
_AMOUNTS = {
    "Berkas layanan diselesaikan": (15, 30, 0),
    "Pengaduan ditindaklanjuti": (85, 100, 0),
    "Pelatihan diikuti": (2, 6, 0),
    "Laporan bulanan bidang": (1, 1, 0),
    "Rata-rata waktu penyelesaian": (2, 4, 1),
    "Rapat evaluasi kinerja": (1, 1, 0),
}
_WORK = {
    "Berkas layanan diselesaikan": "Menyelesaikan berkas permohonan warga",
    "Pengaduan ditindaklanjuti": "Menindaklanjuti pengaduan yang masuk minggu ini",
    "Pelatihan diikuti": "Mengikuti pelatihan daring pelayanan prima",
    "Laporan bulanan bidang": "Menyusun laporan bulanan bidang",
    "Rata-rata waktu penyelesaian": "Rekap waktu penyelesaian layanan minggu ini",
    "Rapat evaluasi kinerja": "Memimpin rapat evaluasi kinerja bulanan",
}
_REJECTIONS = ("Bukti dukung belum dilampirkan, mohon kirim ulang dengan foto berkas.",
               "Jumlahnya tidak sesuai rekap loket, mohon dicek kembali.")
DEMO_REPORT_WEEKS = 4


async def _demo_reports(uow: Unit, employees: list[EmployeeRow], now: datetime,
                        timezone: ZoneInfo) -> int:
    """Progress reports over the last :data:`DEMO_REPORT_WEEKS` weeks and this one, for
    every demo employee but the unit heads: most of the earlier weeks' approved by the
    atasan, some rejected with a reason, the rest — and all of this week's — pending, so
    /status, /tinjau, /ringkasan and the charts have something real to show. Only days of
    this year (the demo's targets are this year's) and not after ``now``."""
    rng = random.Random(2026)
    today = now.astimezone(timezone).date()
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=DEMO_REPORT_WEEKS)
    found = {e.nip: e for e in await uow.employees_by_nip([e.nip for e in employees])}
    added = 0
    for row in employees:
        if row.atasan is None:
            continue  # heads report to nobody here: their IKM target speaks for itself
        employee, atasan = found[row.nip], found[row.atasan]
        for indicator in await uow.indicators_of(employee.id, today.year):
            low, high, decimals = _AMOUNTS.get(indicator.indikator, (1, 3, 0))
            monthly = high == low == 1
            day = first
            while day <= today:
                reports_this_week = 1 if monthly else rng.choice((1, 1, 2))
                for _ in range(reports_this_week):
                    work = day + timedelta(days=rng.randint(0, 4))
                    if work > today or work.year != today.year or (
                            monthly and work.day > 7):
                        continue
                    at = min(now, datetime.combine(work, time(15, rng.randint(0, 59)),
                                                   timezone))
                    amount = round(rng.uniform(low, high), decimals)
                    report_id = await uow.submit_report(NewReport(
                        indicator_id=indicator.id, employee_id=employee.id,
                        amount=float(amount), description=_WORK.get(indicator.indikator,
                                                                     indicator.indikator),
                        work_date=work, channel="demo", created_at=at,
                    ))
                    added += 1
                    if work >= this_monday:
                        continue  # this week's wait for the atasan's /tinjau
                    decided = at + timedelta(days=1, hours=rng.randint(0, 6))
                    chance = rng.random()
                    if chance < 0.75:
                        await uow.decide_report(report_id, atasan.id, "approve", None, decided)
                    elif chance < 0.88:
                        await uow.decide_report(report_id, atasan.id, "reject",
                                                rng.choice(_REJECTIONS), decided)
                day += timedelta(weeks=1)
    return added


async def write_organisation(uow: Unit) -> None:
    """The demo organisation alone — its units, services and service points, no officer,
    staff or response: what a test or a benchmark starts from."""
    await uow.upsert_units(UNITS)
    await uow.upsert_services(SERVICES)
    await uow.upsert_points(POINTS)


async def load_demo(
    store: Store,
    *,
    now: datetime,
    responses_per_point: int = 12,
    timezone: ZoneInfo = JAKARTA,
) -> dict[str, int]:
    """Write the demo organisation and staff and, once, demo responses over the last 120 days.

    Staff: per demo unit a head, two section heads and three staff each, with this
    year's targets; some service points are served by a staff member (officer_nip); and,
    once, a few weeks of their progress reports (approved, rejected, pending).
    """
    employees, staff_nips = demo_staff()
    points = [
        replace(p, officer_nip=staff_nips[_POINT_OFFICERS[p.code]])
        if p.code in _POINT_OFFICERS else p
        for p in POINTS
    ]
    targets = demo_targets(employees, now.astimezone(timezone).year)
    async with store.unit() as uow:
        await uow.upsert_units(UNITS)
        await uow.upsert_services(SERVICES)
        await uow.upsert_points(points)
        await uow.upsert_employees(employees)
        await uow.upsert_targets(targets)
        seeded = await uow.get_meta("demo_responses")
        added = 0
        if seeded is None:
            rng = random.Random(2017)
            unit_of_service = {s.code: s.unit for s in SERVICES}
            batch: list[NewResponse] = []
            for point in POINTS:
                info = await uow.point_by_code(point.code)
                assert info is not None
                weights = _PROFILES[unit_of_service[point.service]]
                for _ in range(responses_per_point):
                    answers: dict[str, int | None] = {
                        k: rng.choices((1, 2, 3, 4), weights)[0] for k in UNSUR_KEYS
                    }
                    if point.service.startswith("PKM"):  # the weak spot the report points at
                        answers["pengaduan"] = rng.choices((1, 2, 3, 4), (0.2, 0.4, 0.3, 0.1))[0]
                    batch.append(
                        NewResponse(
                            point_id=info.id,
                            submitted_at=now - timedelta(days=rng.randint(0, 120),
                                                         hours=rng.randint(0, 8)),
                            channel="demo",
                            answers=answers,
                            profile={
                                f: (rng.choice(opts) if rng.random() < 0.85 else None)
                                for f, opts in PROFILE_OPTIONS.items()
                            },
                            saran=rng.choice(_SUGGESTIONS) if rng.random() < 0.2 else None,
                        )
                    )
            await uow.insert_responses(batch)
            await uow.set_meta("demo_responses", str(len(batch)))
            added = len(batch)
        reports = 0
        if await uow.get_meta("demo_reports") is None:
            reports = await _demo_reports(uow, employees, now, timezone)
            await uow.set_meta("demo_reports", str(reports))
    return {"units": len(UNITS), "services": len(SERVICES), "points": len(POINTS),
            "responses": added, "employees": len(employees), "targets": len(targets),
            "reports": reports}
