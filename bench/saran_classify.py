"""How long kinerja.saran.classify takes per saran (it runs for every saran /saran, the RTL
flow and ``kinerja report saran`` show, and for every survey turn with a saran, for alerts).

Run: ``.venv/bin/python bench/saran_classify.py``. Prints microseconds per saran over a mix
of real-looking Indonesian saran (complaints, praise, negations).
"""

from __future__ import annotations

import time

from kinerja.saran import classify

SARAN = [
    "Antrian lama sekali dan petugasnya kurang ramah, mohon ditambah loket dan parkir diperluas",
    "Pelayanan cepat, terima kasih",
    "Tidak ada pungli, petugas sopan",
    "Ada calo di depan kantor yang minta uang rokok supaya cepat",
    "Toilet kotor, AC mati, ruang tunggu panas",
    "Mohon informasi persyaratan ditempel di papan pengumuman",
    "Sistem error terus, harus bolak balik tiga kali",
    "Pertahankan",
]


def main(rounds: int = 2000) -> None:
    texts = SARAN * rounds
    start = time.perf_counter()
    for text in texts:
        classify(text)
    elapsed = time.perf_counter() - start
    print(f"{len(texts)} saran: {elapsed:.2f} s, {elapsed / len(texts) * 1e6:.0f} µs per saran")


if __name__ == "__main__":
    main()
