"""The demo organisation: a few real-looking units so every flow can be tried at once.

Idempotent: running it again updates the same rows by code and adds no more
demo responses once they exist.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bot.conversation.ports import NewResponse
from bot.storage import Store
from bot.storage.organisation import PointRow, ServiceRow, UnitRow
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS

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


async def load_demo(
    store: Store, *, now: datetime, responses_per_point: int = 12
) -> dict[str, int]:
    """Write the demo organisation and, once, demo responses over the last 120 days."""
    async with store.transaction():
        await store.upsert_units(UNITS)
        await store.upsert_services(SERVICES)
        await store.upsert_points(POINTS)
        seeded = await store.get_meta("demo_responses")
        added = 0
        if seeded is None:
            rng = random.Random(2017)
            unit_of_service = {s.code: s.unit for s in SERVICES}
            batch: list[NewResponse] = []
            for point in POINTS:
                info = await store.point_by_code(point.code)
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
            await store.insert_responses(batch)
            await store.set_meta("demo_responses", str(len(batch)))
            added = len(batch)
    return {"units": len(UNITS), "services": len(SERVICES), "points": len(POINTS),
            "responses": added}
