"""Small named datasets for the summary and render tests (Asia/Jakarta, 2026-Q4)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from kinerja.models import UNSUR_KEYS
from kinerja.periods import Period, parse_period

WIB = ZoneInfo("Asia/Jakarta")
WORKED_EXAMPLE = [
    [4, 3, 3, 2, 4, 3, 4, 2, 3],
    [3, 3, 2, 2, 3, 4, 4, 3, 3],
    [4, 4, 3, 3, 4, 4, 4, 2, 4],
    [3, 2, 2, 4, 3, 3, 3, 1, 3],
    [4, 3, 3, 4, 4, 4, 4, 3, 4],
]


@pytest.fixture
def q4() -> Period:
    return parse_period("2026-Q4")


@pytest.fixture
def mid_q4() -> datetime:
    # 2026-Q4 has 92 days; 46 days have passed at 00:00 WIB on 16 Nov → elapsed 0.5
    return datetime(2026, 11, 16, tzinfo=WIB)


@pytest.fixture
def employees() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "employee_id": ["e1", "e2", "e3"],
            "nama": ["Ani", "Budi", "Citra"],
            "service_point": ["loket-1", None, "loket-3"],
        }
    )


@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["i1", "i2", "i3", "i4"],
            "employee_id": ["e1", "e1", "e2", "e3"],
            "rhk": ["Layanan KTP", "Layanan KTP", "Arsip", "Pengaduan"],
            "jenis": ["utama", "tambahan", "utama", "utama"],
            "indikator": ["KTP terbit", "Lama proses", "Dokumen diarsip", "Aduan dijawab"],
            "aspek": ["kuantitas", "waktu", "kuantitas", "kuantitas"],
            "target": [100.0, 3.0, 40.0, 20.0],
            "satuan": ["dokumen", "hari", "dokumen", "aduan"],
            "arah": ["naik", "turun", "naik", "naik"],
        }
    )


@pytest.fixture
def reports() -> pd.DataFrame:
    rows = [
        # e1: 30 + 25 approved KTP (55 ≥ 50 expected), one pending 10, one rejected
        ("r1", "e1", "i1", 30, "approved", datetime(2026, 10, 10, 9, tzinfo=WIB)),
        ("r2", "e1", "i1", 25, "approved", "2026-11-02T10:00:00+07:00"),
        ("r3", "e1", "i1", 10, "pending", datetime(2026, 11, 14, 3, tzinfo=UTC)),
        ("r4", "e1", "i1", 99, "rejected", datetime(2026, 11, 1, tzinfo=WIB)),
        # e1: processing days 2 and 4 → mean 3 = target → 100 %
        ("r5", "e1", "i2", 2, "approved", datetime(2026, 10, 20, tzinfo=WIB)),
        ("r6", "e1", "i2", 4, "approved", datetime(2026, 11, 3, tzinfo=WIB)),
        # e2: 15 of 20 expected → 75 % → attention
        ("r7", "e2", "i3", 15, "approved", datetime(2026, 11, 5, tzinfo=WIB)),
        # outside the period or after "now": ignored
        ("r8", "e2", "i3", 50, "approved", datetime(2026, 9, 30, 23, tzinfo=WIB)),
        ("r9", "e2", "i3", 50, "approved", datetime(2026, 12, 1, tzinfo=WIB)),
        # e3: nothing approved yet → 0 % → behind
        ("r10", "e3", "i4", 5, "pending", datetime(2026, 11, 10, tzinfo=WIB)),
    ]
    return pd.DataFrame(
        rows,
        columns=["report_id", "employee_id", "indicator_id", "realisasi", "status", "reported_at"],
    )


@pytest.fixture
def feedback() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "employee_id": ["e1", "e1", "e3"],
            # 16:30 UTC on 12 Nov is 23:30 WIB on 12 Nov; 18:00 UTC is already 13 Nov in WIB
            "given_at": [
                datetime(2026, 10, 1, tzinfo=WIB),
                datetime(2026, 11, 12, 18, tzinfo=UTC),
                datetime(2026, 11, 12, 16, 30, tzinfo=UTC),
            ],
        }
    )


def skm_frame(
    rows: list[list[int | None]], submitted_at: datetime, **extra: object
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(UNSUR_KEYS))
    frame["submitted_at"] = submitted_at
    for column, value in extra.items():
        frame[column] = value
    return frame


@pytest.fixture
def skm_responses() -> pd.DataFrame:
    current = skm_frame(WORKED_EXAMPLE, datetime(2026, 11, 3, 9, tzinfo=WIB))
    current["service_point"] = ["loket-1", "loket-1", "loket-2", "loket-2", "loket-1"]
    current["jenis_layanan"] = ["KTP", "KTP", "KK", "KK", "KTP"]
    current["jenis_kelamin"] = ["Perempuan", "Laki-laki", None, "Perempuan", "Lainnya?"]
    current["usia"] = ["19–25", "26–35", "26–35", None, "≥56"]
    current["saran"] = ["Antrian terlalu lama", None, "  ", "Tambah kursi", None]
    # previous quarter: all 3 → IKM 75.00
    previous = skm_frame([[3] * 9] * 2, datetime(2026, 9, 15, tzinfo=WIB))
    return pd.concat([current, previous], ignore_index=True)
