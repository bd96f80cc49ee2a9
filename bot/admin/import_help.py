"""What each ``kinerja import …`` help says: the columns, which are required, and their
formats — kept in one place, applied to the commands where they are registered
(:func:`describe`), so the help and README say the same."""

from __future__ import annotations

import typer

_COMMON = (
    "\n\nCSV (pemisah , atau ;) atau XLSX. Judul kolom tidak membedakan huruf besar/kecil. "
    "Satu masalah saja membatalkan seluruh berkas; setiap masalah disebut dengan berkas, "
    "baris dan kolomnya."
)

IMPORT_HELP: dict[str, str] = {
    "units": (
        "Unit pelayanan.\n\n\b\n"
        "Wajib:    code (huruf, angka, _ -), name\n"
        "Pilihan:  parent (kode unit induk), population (jumlah orang dilayani per tahun,\n"
        "          bilangan bulat > 0: untuk ukuran sampel Krejcie–Morgan)"
    ),
    "services": (
        "Jenis layanan.\n\n\b\n"
        "Wajib:    code, unit (kode unit), name"
    ),
    "points": (
        "Titik layanan (loket, meja, ruang) — kode QR dibuat per titik.\n\n\b\n"
        "Wajib:    code (huruf, angka, _ -; maks. 51 karakter), service (kode layanan), name\n"
        "Pilihan:  officer_nip (NIP 18 angka petugas), active (ya/tidak; bawaan ya)"
    ),
    "skm": (
        "Hasil survei kertas (SKM), dinilai bersama respons chat.\n\n\b\n"
        "Wajib:    tanggal (dd/mm/yyyy atau yyyy-mm-dd), point (kode titik layanan),\n"
        "          persyaratan prosedur waktu biaya produk kompetensi perilaku pengaduan\n"
        "          sarana (1–4, atau kosong bila responden tidak menjawab)\n"
        "Pilihan:  jenis_kelamin, usia, pendidikan, pekerjaan (kosong = NA), saran\n"
        "Berkas yang sama diimpor dua kali tidak menambah apa pun."
    ),
    "employees": (
        "Pegawai.\n\n\b\n"
        "Wajib:    nip (18 angka; di Excel format kolomnya sebagai Teks), nama, jabatan,\n"
        "          unit (kode unit)\n"
        "Pilihan:  atasan_nip (kosong untuk pimpinan), phone\n"
        "Diperbarui per NIP; atasan yang tidak dikenal atau melingkar ditolak."
    ),
    "targets": (
        "Target SKP per indikator.\n\n\b\n"
        "Wajib:    nip, tahun, rhk, jenis (utama/tambahan), indikator,\n"
        "          aspek (kuantitas/kualitas/waktu/biaya), target (angka: 2,5 atau 2.5),\n"
        "          satuan\n"
        "Pilihan:  arah (naik: makin besar makin baik / turun: makin kecil makin baik;\n"
        "          bawaan naik), agregasi (jumlah / rata-rata / terakhir)\n"
        "Diperbarui per (nip, tahun, rhk, indikator)."
    ),
}


def describe(import_app: typer.Typer) -> None:
    """Give each registered import command its help from :data:`IMPORT_HELP`."""
    for info in import_app.registered_commands:
        text = IMPORT_HELP.get(info.name or "")
        if text is not None:
            info.help = text + _COMMON
            info.short_help = text.split("\n", 1)[0]
