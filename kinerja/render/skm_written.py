"""The *Laporan Hasil Survei Kepuasan Masyarakat* of one unit and period (skm.md
"Publication, follow-up and the written report", BAB I–V), as a :class:`Document`.

Every number comes from the ``report skm`` data (the JSON the CLI prints), formatted by
:mod:`kinerja.numbers`: the written report computes nothing of its own, so it always says
what ``report skm --format json`` says. In Indonesian: the report is filed with Indonesian
authorities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index, format_number, format_percent
from kinerja.render.chart import ikm_trend_chart, ikm_unsur_chart
from kinerja.render.document import (
    Block,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    Title,
)
from kinerja.render.labels import t
from kinerja.saran import OTHER, PRAISE

__all__ = ["RtlRow", "Signer", "WrittenExtras", "written_report"]

_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")
_CHANNELS = {"telegram": "chat Telegram", "whatsapp": "chat WhatsApp", "console": "konsol",
             "paper": "formulir kertas", "demo": "data demo"}
_RTL_STATUS = {"rencana": "Rencana", "berjalan": "Berjalan", "selesai": "Selesai"}


@dataclass(frozen=True, slots=True)
class Signer:
    """The unit head who signs the report."""

    nama: str
    jabatan: str
    nip: str


@dataclass(frozen=True, slots=True)
class RtlRow:
    """One item of the rencana tindak lanjut as the report lists it. ``status``: rencana /
    berjalan / selesai; ``late``: past its target date and not selesai."""

    unsur: str | None
    problem: str
    action: str
    responsible: str | None
    target: date | None
    progress: int | None
    status: str
    late: bool = False


@dataclass(frozen=True, slots=True)
class WrittenExtras:
    """What the written report adds to ``report skm``: the head who signs, responses per
    channel (how the data was collected), the RTL and the saran the unit marked publishable,
    the date the report is signed."""

    head: Signer | None
    channels: Mapping[str, int]
    rtl: Sequence[RtlRow]
    quotes: Sequence[str]
    today: date
    points: Sequence[str] = field(default_factory=tuple)


def long_date(day: date) -> str:
    """``7 Desember 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _period_words(report: Mapping[str, Any]) -> str:
    start, end = date.fromisoformat(report["start"]), date.fromisoformat(report["end"])
    return f"{report['period']} ({long_date(start)} s.d. {long_date(end)})"


def _count(value: int) -> str:
    return format_number(value, "id", 0)


def _nrr_table(entry: Mapping[str, Any], caption: str) -> Table:
    """NRR, the 1/9 weight and NRR tertimbang per unsur, then Σ, the index and IKM."""
    rows: list[tuple[str, ...]] = []
    for number, key in enumerate(UNSUR_KEYS, 1):
        value = entry["nrr"][key]
        weighted = None if value is None else value / 9
        rows.append((f"U{number}", UNSUR_NAMES[key], format_index(value), "1/9",
                     format_number(weighted, "id", 4, trim=False)))
    ikm = entry["ikm"]
    rows.append(("", "Jumlah NRR tertimbang (indeks 1–4)", "", "",
                 format_number(None if ikm is None else ikm / 25, "id", 4, trim=False)))
    rows.append(("", "IKM unit pelayanan (× 25)", "", "", format_index(ikm)))
    rows.append(("", "Mutu pelayanan", "", "",
                 f"{entry['mutu']} ({entry['kinerja']})" if entry["mutu"] else "–"))
    return Table(("No", "Unsur", "NRR", "Bobot", "NRR tertimbang"), tuple(rows),
                 widths=(1, 7, 2, 1.5, 2.5), numeric=frozenset({2, 4}), caption=caption)


def _sample_table(scopes: Sequence[tuple[str, Mapping[str, Any]]]) -> Table:
    rows = tuple(
        (label, _count(e["n"]),
         _count(e["population"]) if e["population"] else "belum diisi",
         _count(e["sample_size"]) if e["sample_size"] is not None else "–",
         e["sample_status"])
        for label, e in scopes)
    return Table(("Cakupan", "Responden (n)", "Populasi per tahun", "Sampel Krejcie–Morgan (S)",
                  "Status"), rows, widths=(4, 2, 2.5, 2.5, 3), numeric=frozenset({1, 2, 3}),
                 caption="Jumlah responden terhadap ukuran sampel Krejcie & Morgan")


def _profile_tables(entry: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    for field_name in PROFILE_OPTIONS:
        counts = entry["profiles"][field_name]
        total = sum(counts.values())
        rows = tuple(
            (value, _count(n), format_percent(100 * n / total if total else None))
            for value, n in counts.items())
        rows += (("Jumlah", _count(total), format_percent(100.0 if total else None)),)
        blocks.append(Table(("Kategori", "Responden", "Persentase"), rows,
                            widths=(5, 2, 2), numeric=frozenset({1, 2}),
                            caption=f"Responden menurut {t(f'field_{field_name}').lower()}"))
    return blocks


def _segment_table(entry: Mapping[str, Any], minimum: int) -> Table:
    rows: list[tuple[str, ...]] = []
    for field_name in PROFILE_OPTIONS:
        for row in entry["segments"][field_name]:
            if not row["n"]:
                continue
            shown = format_index(row["ikm"]) if row["ikm"] is not None else (
                f"< {minimum} responden")
            rows.append((t(f"field_{field_name}"), row["value"], _count(row["n"]), shown,
                         row["mutu"] or "–"))
    return Table(("Profil", "Kategori", "Responden", "IKM", "Mutu"), tuple(rows),
                 widths=(3, 4, 2, 3, 1.5), numeric=frozenset({2, 3}),
                 caption=f"IKM per segmen responden (ditampilkan bila ≥ {minimum} responden)")


def _trend_table(trend: Sequence[Mapping[str, Any]]) -> Table:
    rows = []
    for row in trend:
        change = row["change"]
        shown = "–" if change is None else (
            ("+" if change > 0 else "") + format_index(change))
        rows.append((row["period"], _count(row["n"]), format_index(row["ikm"]),
                     row["mutu"] or "–", shown))
    return Table(("Periode", "Responden", "IKM", "Mutu", "Perubahan"), tuple(rows),
                 widths=(3, 2, 2, 1.5, 2), numeric=frozenset({1, 2, 4}),
                 caption="Tren IKM periode sejenis")


def _theme_table(themes: Mapping[str, int]) -> Table:
    names = {**UNSUR_NAMES, PRAISE: "Pujian / terima kasih", OTHER: "Lainnya"}
    rows = tuple((names[key], _count(n)) for key, n in themes.items() if n)
    return Table(("Tema saran", "Jumlah saran"), rows, widths=(6, 2), numeric=frozenset({1}),
                 caption="Saran dan masukan menurut tema (satu saran dapat memiliki "
                         "beberapa tema)")


def _rtl_table(rtl: Sequence[RtlRow]) -> Table:
    rows = []
    for number, item in enumerate(rtl, 1):
        status = _RTL_STATUS.get(item.status, item.status)
        if item.late:
            status += " (terlambat)"
        rows.append((
            str(number), UNSUR_NAMES.get(item.unsur or "", item.unsur or "–"), item.problem,
            item.action, item.responsible or "–",
            long_date(item.target) if item.target else "–",
            format_percent(item.progress, "id", 0) if item.progress is not None else "–",
            status,
        ))
    return Table(("No", "Unsur", "Permasalahan", "Rencana tindak lanjut", "Penanggung jawab",
                  "Target", "Progres", "Status"), tuple(rows),
                 widths=(0.8, 2.6, 3.2, 3.6, 2.6, 2.2, 1.6, 2), numeric=frozenset({6}),
                 caption="Rencana tindak lanjut (RTL)")


def _result_blocks(entry: Mapping[str, Any], scope: str) -> list[Block]:
    if entry["n"] == 0:
        return [Paragraph(f"{scope}: tidak ada responden pada periode ini.")]
    blocks: list[Block] = [_nrr_table(entry, f"NRR per unsur — {scope}")]
    if entry["ikm"] is None:
        blocks.append(Paragraph("IKM belum dapat dihitung: ada unsur tanpa jawaban."))
    else:
        blocks.append(Paragraph(
            f"IKM {scope.lower()} adalah {format_index(entry['ikm'])} dengan mutu pelayanan "
            f"{entry['mutu']} ({entry['kinerja']}), dari {_count(entry['n'])} responden."))
    return blocks


def written_report(
    report: Mapping[str, Any], unit_code: str, extras: WrittenExtras
) -> Document:
    """The written report of ``unit_code`` from ``report`` (``report skm`` with details,
    restricted to the unit and the units below it) and ``extras``.

    The headline result is the unit's pooled result when it has units below it (its own
    result is shown beside it), else its own. Raises KeyError when the unit is not in the
    report."""
    entry = next(e for e in report["units"] if e["unit"] == unit_code)
    pooled = entry.get("pooled")
    main = pooled or entry
    name = entry["name"]
    period = _period_words(report)
    minimum = int(report.get("min_segment_responses", 10))
    scopes: list[tuple[str, Mapping[str, Any]]] = [("Unit ini sendiri", entry)]
    if pooled:
        scopes.append((f"Gabungan dengan {pooled['units'] - 1} unit di bawahnya", pooled))
    head = extras.head
    blocks: list[Block] = [
        Title(("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", name.upper(),
               f"Periode {period}")),
        PageBreak(),
        # --- BAB I
        Heading("BAB I PENDAHULUAN"),
        Heading("1.1 Latar Belakang", 2),
        Paragraph(
            f"Pelayanan publik yang baik diukur dari kepuasan masyarakat yang menerimanya. "
            f"{name} melaksanakan Survei Kepuasan Masyarakat (SKM) untuk mengetahui "
            "pendapat pengguna layanan tentang sembilan unsur pelayanan, mengukur Indeks "
            "Kepuasan Masyarakat (IKM), dan menetapkan perbaikan yang perlu dilakukan."),
        Heading("1.2 Dasar Hukum", 2),
        Paragraph("Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;", bullet=True),
        Paragraph("Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
                  "Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan "
                  "Masyarakat Unit Penyelenggara Pelayanan Publik.", bullet=True),
        Heading("1.3 Maksud dan Tujuan", 2),
        Paragraph("Survei ini dimaksudkan untuk mengukur tingkat kepuasan masyarakat atas "
                  "pelayanan yang diberikan, dengan tujuan: mengetahui kelemahan dan "
                  "kekuatan setiap unsur pelayanan, mengetahui kinerja unit secara berkala, "
                  "dan menjadi dasar rencana tindak lanjut perbaikan pelayanan."),
        Heading("1.4 Periode Survei", 2),
        Paragraph(f"Survei ini mencakup periode {period}."),
        # --- BAB II
        Heading("BAB II PENGUMPULAN DATA"),
        Heading("2.1 Pelaksana", 2),
        Paragraph(f"Survei dilaksanakan secara mandiri oleh {name}."),
        Heading("2.2 Metode Pengumpulan Data", 2),
        Paragraph(
            "Responden mengisi kuesioner sembilan unsur pelayanan (skala 1–4) beserta profil "
            "responden dan saran secara anonim, melalui chat (dengan memindai kode QR di "
            "tempat layanan) dan formulir kertas yang kemudian diimpor."),
    ]
    if extras.channels:
        total = sum(extras.channels.values())
        blocks.append(Table(
            ("Cara pengisian", "Responden", "Persentase"),
            tuple((_CHANNELS.get(c, c), _count(n), format_percent(100 * n / total))
                  for c, n in extras.channels.items()),
            widths=(5, 2, 2), numeric=frozenset({1, 2}), caption="Responden menurut cara "
            "pengisian"))
    blocks += [
        Heading("2.3 Lokasi dan Waktu", 2),
        Paragraph(f"Survei dilakukan di tempat layanan {name}"
                  + (f" ({', '.join(extras.points)})" if extras.points else "")
                  + f" selama periode {period}."),
        Heading("2.4 Jumlah Responden", 2),
        Paragraph(
            "Jumlah responden dibandingkan dengan ukuran sampel minimal menurut tabel "
            "Krejcie & Morgan untuk populasi penerima layanan pada periode ini (populasi "
            "per tahun dikalikan bagian tahun yang dicakup periode)."),
        _sample_table(scopes),
        # --- BAB III
        Heading("BAB III HASIL SURVEI"),
        Heading("3.1 Profil Responden", 2),
        *_profile_tables(main),
        Heading("3.2 Nilai per Unsur dan IKM", 2),
        Paragraph("NRR per unsur adalah jumlah nilai unsur dibagi jumlah jawaban unsur itu; "
                  "NRR tertimbang adalah NRR × 1/9 (bobot pecahan tepat 1/9); IKM adalah "
                  "jumlah NRR tertimbang × 25, dibulatkan sekali menjadi dua desimal."),
    ]
    for label, scoped in scopes:
        blocks += _result_blocks(scoped, label)
    blocks.append(Image(ikm_unsur_chart(main["nrr"], main["ikm"], main["mutu"], "id",
                                        width=900, height=540),
                        15, caption="Grafik NRR per unsur"))
    services = entry.get("services") or []
    if services:
        blocks.append(Heading("3.3 Hasil per Jenis Layanan", 2))
        blocks.append(Table(
            ("Layanan", "Responden", "IKM", "Mutu", "Unsur terendah"),
            tuple((s["name"], _count(s["n"]), format_index(s["ikm"]), s["mutu"] or "–",
                   UNSUR_NAMES[s["weakest"]] if s["weakest"] else "–") for s in services),
            widths=(5, 2, 2, 1.5, 4), numeric=frozenset({1, 2}),
            caption="IKM per jenis layanan"))
        for service in services:
            blocks.append(_nrr_table(service, f"NRR per unsur — layanan {service['name']}"))
    below = [e for e in report["units"]
             if e["unit"] in _members(report, unit_code) and e["unit"] != unit_code]
    section = 4 if services else 3
    if below:
        blocks.append(Heading(f"3.{section} Hasil Unit di Bawahnya", 2))
        blocks.append(Table(
            ("Unit", "Responden", "IKM", "Mutu", "Status sampel"),
            tuple(("   " * (int(e.get("depth") or 0) - int(entry.get("depth") or 0) - 1)
                   + e["name"], _count(e["n"]), format_index(e["ikm"]), e["mutu"] or "–",
                   e["sample_status"]) for e in below),
            widths=(5, 2, 2, 1.5, 3.5), numeric=frozenset({1, 2}),
            caption="IKM tiap unit di bawahnya (jawaban unit itu sendiri)"))
        section += 1
    blocks += [
        Heading(f"3.{section} IKM per Segmen Responden", 2),
        _segment_table(main, minimum),
        # --- BAB IV
        Heading("BAB IV ANALISIS"),
        Heading("4.1 Unsur Terendah dan Tertinggi", 2),
    ]
    weakest, strongest = main.get("weakest"), main.get("strongest")
    if weakest and strongest:
        blocks.append(Paragraph(
            f"Unsur dengan nilai terendah adalah {UNSUR_NAMES[weakest]} (NRR "
            f"{format_index(main['nrr'][weakest])}); unsur ini menjadi prioritas perbaikan. "
            f"Unsur dengan nilai tertinggi adalah {UNSUR_NAMES[strongest]} (NRR "
            f"{format_index(main['nrr'][strongest])}) dan perlu dipertahankan."))
    else:
        blocks.append(Paragraph("Belum ada jawaban pada periode ini."))
    trend = main["trend"]
    blocks += [
        Heading("4.2 Tren terhadap Periode Sebelumnya", 2),
        _trend_table(trend),
        Image(ikm_trend_chart(trend, "id", width=900, height=420), 15,
              caption="Grafik tren IKM"),
    ]
    if len(trend) >= 2 and trend[-1]["change"] is not None:
        change = trend[-1]["change"]
        word = "naik" if change > 0 else "turun" if change < 0 else "tetap"
        blocks.append(Paragraph(
            f"Dibandingkan periode {trend[-2]['period']}, IKM {word}"
            + (f" {format_index(abs(change))} poin." if change else ".")))
    themes = main.get("saran_themes") or {}
    saran_total = sum(1 for s in report["suggestions"]
                      if s["unit"] in _members(report, unit_code))
    blocks.append(Heading("4.3 Ringkasan Saran dan Masukan", 2))
    if saran_total:
        blocks += [Paragraph(f"Terdapat {_count(saran_total)} saran dan masukan pada periode "
                             "ini, dikelompokkan menurut unsur yang dibicarakan."),
                   _theme_table(themes)]
    else:
        blocks.append(Paragraph("Tidak ada saran dan masukan pada periode ini."))
    if extras.quotes:
        blocks.append(Paragraph("Beberapa saran yang dipublikasikan unit:"))
        blocks += [Paragraph(f"“{quote}”", bullet=True) for quote in extras.quotes]
    blocks.append(Heading("4.4 Rencana Tindak Lanjut", 2))
    if extras.rtl:
        blocks.append(_rtl_table(extras.rtl))
    else:
        blocks.append(Paragraph("Belum ada rencana tindak lanjut."))
    # --- BAB V
    blocks += [Heading("BAB V PENUTUP"), Heading("5.1 Kesimpulan", 2)]
    if main["ikm"] is not None:
        blocks.append(Paragraph(
            f"Indeks Kepuasan Masyarakat {name} periode {report['period']} adalah "
            f"{format_index(main['ikm'])}, mutu pelayanan {main['mutu']} dengan kinerja unit "
            f"pelayanan \"{main['kinerja']}\", dari {_count(main['n'])} responden (status "
            f"sampel: {main['sample_status']})."))
    else:
        blocks.append(Paragraph(f"IKM {name} periode {report['period']} belum dapat "
                                "dihitung."))
    if weakest:
        blocks.append(Paragraph(
            f"Perbaikan diutamakan pada unsur {UNSUR_NAMES[weakest]}"
            + (f", dengan {len(extras.rtl)} rencana tindak lanjut." if extras.rtl else ".")))
    blocks.append(Heading("5.2 Pengesahan", 2))
    blocks.append(Signature(
        (f"Ditetapkan tanggal {long_date(extras.today)}",
         head.jabatan if head else f"Kepala {name}"),
        head.nama if head else "(nama kepala unit)",
        (f"NIP {head.nip}" if head else "NIP ……………………",),
    ))
    return Document(f"Laporan SKM {name} {report['period']}", tuple(blocks))


def _members(report: Mapping[str, Any], unit_code: str) -> set[str]:
    """``unit_code`` and the units below it among ``report``'s units."""
    children: dict[str | None, list[str]] = {}
    for e in report["units"]:
        children.setdefault(e.get("parent"), []).append(e["unit"])
    found, queue = set(), [unit_code]
    while queue:
        code = queue.pop()
        if code not in found:
            found.add(code)
            queue += children.get(code, [])
    return found
