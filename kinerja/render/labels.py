"""User-facing words of the renderers, per language: Indonesian ("id") first, English ("en").

Official terms (unsur names, mutu, predikat, BerAKHLAK) stay Indonesian in both catalogs.
Placeholders for numbers receive text already formatted by :mod:`kinerja.numbers` (a
percentage arrives with its ``%``), so no template formats a number itself.
"""

from __future__ import annotations

from datetime import date

from kinerja.periods import Period

__all__ = ["LABELS", "LANGUAGES", "column_label", "period_title", "t"]

LANGUAGES: tuple[str, ...] = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "id": {
        # headings
        "team_title": "Ringkasan tim — {period}",
        "employee_title": "Kemajuan kinerja {nama} — {period}",
        "unit_title": "Survei Kepuasan Masyarakat — {period}",
        "predikat_title": "Predikat kinerja — {period}",
        "elapsed": "{pct} periode telah berjalan.",
        # statuses
        "status_on_track": "Sesuai jalur",
        "status_attention": "Perlu perhatian",
        "status_behind": "Tertinggal",
        "status_no_data": "Belum ada data",
        # team lines
        "team_line": "{icon} {nama}: {capaian} dari target berjalan ({status})",
        "team_reports": "   Laporan {reports} (disetujui {approved}, menunggu {pending})",
        "team_warga": "   Penilaian warga: perilaku {perilaku}, kompetensi {kompetensi} (n={n})",
        "team_feedback": "   Umpan balik terakhir: {date}",
        "team_no_feedback": "   Belum pernah diberi umpan balik",
        "team_pending_total": "{pending} laporan menunggu persetujuan Anda.",
        "team_empty": "Belum ada anggota tim.",
        # employee lines
        "employee_line": "{icon} {indikator}: {realisasi} dari {target_to_date} {satuan} "
        "({capaian}; target periode {target})",
        "employee_pending": "   {pending} laporan menunggu persetujuan",
        "employee_empty": "Belum ada indikator kinerja.",
        # unit SKM
        "unit_respondents": "Responden: {n}",
        "unit_sample_ok": "Sampel minimal {s} (populasi {population}): tercapai.",
        "unit_sample_short": "Sampel minimal {s} (populasi {population}): belum tercapai, "
        "kurang {missing}.",
        "unit_sample_unknown": "Jumlah populasi belum diketahui; kecukupan sampel tidak dinilai.",
        "unit_ikm": "IKM: {ikm} — mutu {mutu} ({kinerja})",
        "unit_no_ikm": "IKM belum dapat dihitung (ada unsur tanpa jawaban).",
        "unit_change_up": "Naik {change} dari periode sebelumnya ({previous}).",
        "unit_change_down": "Turun {change} dari periode sebelumnya ({previous}).",
        "unit_change_same": "Sama dengan periode sebelumnya.",
        "unit_nrr_heading": "Nilai per unsur (NRR, skala 1–4):",
        "unit_nrr_line": "• {nama}: {nrr}",
        "unit_weakest": "Unsur terendah: {nama} ({nrr}) — prioritas perbaikan.",
        "unit_suggestions": "Saran dan masukan ({count}):",
        "unit_more_suggestions": "… dan {count} lainnya (lihat lampiran).",
        # predikat
        "predikat_line": "• {nama}: {predikat}{provisional}",
        "predikat_provisional": " (sementara)",
        "predikat_none": "belum lengkap",
        "predikat_counts": "Sebaran: {counts}",
        "predikat_warning": "⚠ {message}",
        # charts
        "chart_team_title": "Capaian terhadap target berjalan — {period}",
        "chart_team_y": "Capaian (%)",
        "chart_target": "Target berjalan (100%)",
        "chart_ikm_title": "NRR per unsur — IKM {ikm} (mutu {mutu})",
        "chart_ikm_x": "NRR (1–4)",
        "chart_no_data": "Belum ada data",
        # periods
        "period_year": "Tahun {year}",
        "period_semester": "Semester {n} {year}",
        "period_quarter": "Triwulan {roman} {year}",
        "period_month": "{month} {year}",
        "period_week": "Minggu {week} {year} ({start}–{end})",
        # columns (XLSX headers)
        "col_employee_id": "ID pegawai",
        "col_nama": "Nama",
        "col_reports": "Laporan",
        "col_approved": "Disetujui",
        "col_pending": "Menunggu",
        "col_indicators": "Indikator",
        "col_indicators_behind": "Indikator tertinggal",
        "col_capaian": "Capaian (%)",
        "col_status": "Status",
        "col_warga_perilaku": "Warga: perilaku",
        "col_warga_kompetensi": "Warga: kompetensi",
        "col_warga_n": "Warga: n",
        "col_last_feedback": "Umpan balik terakhir",
        "col_indicator_id": "ID indikator",
        "col_rhk": "Rencana hasil kerja",
        "col_jenis": "Jenis",
        "col_indikator": "Indikator kinerja",
        "col_aspek": "Aspek",
        "col_satuan": "Satuan",
        "col_arah": "Arah",
        "col_target": "Target",
        "col_target_to_date": "Target berjalan",
        "col_realisasi": "Realisasi",
        "col_capaian_to_date": "Capaian berjalan (%)",
        "col_suggested_rating": "Usulan penilaian",
        "col_unsur": "Kode unsur",
        "col_nama_unsur": "Unsur",
        "col_answers": "Jawaban",
        "col_nrr": "NRR",
        "col_nrr_tertimbang": "NRR tertimbang",
        "col_nrr_previous": "NRR periode lalu",
        "col_change": "Perubahan",
        "col_jenis_layanan": "Jenis layanan",
        "col_n": "Responden",
        "col_ikm": "IKM",
        "col_mutu": "Mutu",
        "col_weakest": "Unsur terendah",
        "col_field": "Profil",
        "col_option": "Pilihan",
        "col_count": "Jumlah",
        "col_rated_by_superior": "Dinilai atasan",
        "col_hasil_kerja": "Hasil kerja",
        "col_perilaku": "Perilaku kerja",
        "col_predikat": "Predikat",
        "col_provisional": "Sementara",
        "col_share": "Persentase (%)",
        "col_saran": "Saran/masukan",
        "col_period": "Periode",
        "col_population": "Populasi (N)",
        "col_sample_size": "Sampel minimal (Krejcie–Morgan)",
        "col_sample_reached": "Sampel tercapai",
        "col_kinerja": "Kinerja unit",
        "col_ikm_previous": "IKM periode lalu",
        "col_ikm_change": "Perubahan IKM",
        "sheet_summary": "Ringkasan",
        "sheet_unsur": "Unsur",
        "sheet_services": "Layanan",
        "sheet_profile": "Profil responden",
        "sheet_suggestions": "Saran",
        "summary_item": "Keterangan",
        "summary_value": "Nilai",
        "yes": "Ya",
        "no": "Tidak",
    },
    "en": {
        "team_title": "Team summary — {period}",
        "employee_title": "Performance progress of {nama} — {period}",
        "unit_title": "Citizen Satisfaction Survey (SKM) — {period}",
        "predikat_title": "Performance predikat — {period}",
        "elapsed": "{pct} of the period has passed.",
        "status_on_track": "On track",
        "status_attention": "Needs attention",
        "status_behind": "Behind",
        "status_no_data": "No data yet",
        "team_line": "{icon} {nama}: {capaian} of the target to date ({status})",
        "team_reports": "   Reports {reports} (approved {approved}, pending {pending})",
        "team_warga": "   Citizens' rating: perilaku {perilaku}, kompetensi {kompetensi} (n={n})",
        "team_feedback": "   Last feedback: {date}",
        "team_no_feedback": "   No feedback given yet",
        "team_pending_total": "{pending} reports are waiting for your approval.",
        "team_empty": "No team members yet.",
        "employee_line": "{icon} {indikator}: {realisasi} of {target_to_date} {satuan} "
        "({capaian}; period target {target})",
        "employee_pending": "   {pending} reports waiting for approval",
        "employee_empty": "No performance indicators yet.",
        "unit_respondents": "Respondents: {n}",
        "unit_sample_ok": "Minimum sample {s} (population {population}): reached.",
        "unit_sample_short": "Minimum sample {s} (population {population}): not reached, "
        "{missing} short.",
        "unit_sample_unknown": "Population unknown; sample adequacy not assessed.",
        "unit_ikm": "IKM: {ikm} — mutu {mutu} ({kinerja})",
        "unit_no_ikm": "IKM cannot be computed yet (some unsur have no answers).",
        "unit_change_up": "Up {change} from the previous period ({previous}).",
        "unit_change_down": "Down {change} from the previous period ({previous}).",
        "unit_change_same": "Same as the previous period.",
        "unit_nrr_heading": "Score per unsur (NRR, scale 1–4):",
        "unit_nrr_line": "• {nama}: {nrr}",
        "unit_weakest": "Weakest unsur: {nama} ({nrr}) — improve this first.",
        "unit_suggestions": "Suggestions ({count}):",
        "unit_more_suggestions": "… and {count} more (see the attachment).",
        "predikat_line": "• {nama}: {predikat}{provisional}",
        "predikat_provisional": " (provisional)",
        "predikat_none": "incomplete",
        "predikat_counts": "Distribution: {counts}",
        "predikat_warning": "⚠ {message}",
        "chart_team_title": "Capaian against the target to date — {period}",
        "chart_team_y": "Capaian (%)",
        "chart_target": "Target to date (100%)",
        "chart_ikm_title": "NRR per unsur — IKM {ikm} (mutu {mutu})",
        "chart_ikm_x": "NRR (1–4)",
        "chart_no_data": "No data yet",
        "period_year": "Year {year}",
        "period_semester": "Semester {n} {year}",
        "period_quarter": "Quarter {roman} {year}",
        "period_month": "{month} {year}",
        "period_week": "Week {week} {year} ({start}–{end})",
        "col_employee_id": "Employee ID",
        "col_nama": "Name",
        "col_reports": "Reports",
        "col_approved": "Approved",
        "col_pending": "Pending",
        "col_indicators": "Indicators",
        "col_indicators_behind": "Indicators behind",
        "col_capaian": "Capaian (%)",
        "col_status": "Status",
        "col_warga_perilaku": "Citizens: perilaku",
        "col_warga_kompetensi": "Citizens: kompetensi",
        "col_warga_n": "Citizens: n",
        "col_last_feedback": "Last feedback",
        "col_indicator_id": "Indicator ID",
        "col_rhk": "RHK (planned result)",
        "col_jenis": "Kind",
        "col_indikator": "Indicator",
        "col_aspek": "Aspect",
        "col_satuan": "Unit",
        "col_arah": "Direction",
        "col_target": "Target",
        "col_target_to_date": "Target to date",
        "col_realisasi": "Realisasi",
        "col_capaian_to_date": "Capaian to date (%)",
        "col_suggested_rating": "Suggested rating",
        "col_unsur": "Unsur key",
        "col_nama_unsur": "Unsur",
        "col_answers": "Answers",
        "col_nrr": "NRR",
        "col_nrr_tertimbang": "Weighted NRR",
        "col_nrr_previous": "Previous NRR",
        "col_change": "Change",
        "col_jenis_layanan": "Service",
        "col_n": "Respondents",
        "col_ikm": "IKM",
        "col_mutu": "Mutu",
        "col_weakest": "Weakest unsur",
        "col_field": "Profile field",
        "col_option": "Option",
        "col_count": "Count",
        "col_rated_by_superior": "Rated by superior",
        "col_hasil_kerja": "Hasil kerja",
        "col_perilaku": "Perilaku kerja",
        "col_predikat": "Predikat",
        "col_provisional": "Provisional",
        "col_share": "Share (%)",
        "col_saran": "Suggestion",
        "col_period": "Period",
        "col_population": "Population (N)",
        "col_sample_size": "Minimum sample (Krejcie–Morgan)",
        "col_sample_reached": "Sample reached",
        "col_kinerja": "Unit performance",
        "col_ikm_previous": "Previous IKM",
        "col_ikm_change": "IKM change",
        "sheet_summary": "Summary",
        "sheet_unsur": "Unsur",
        "sheet_services": "Services",
        "sheet_profile": "Respondent profile",
        "sheet_suggestions": "Suggestions",
        "summary_item": "Item",
        "summary_value": "Value",
        "yes": "Yes",
        "no": "No",
    },
}

# agregasi (how an indicator's reports add up): the report column and its words
LABELS["id"].update({
    "col_agregasi": "Agregasi",
    "agregasi_jumlah": "jumlah laporan",
    "agregasi_rata-rata": "rata-rata laporan",
    "agregasi_terakhir": "laporan terakhir",
    "employee_agregasi": "   dihitung: {agregasi}",
})
LABELS["en"].update({
    "col_agregasi": "Agregasi (adding up)",
    "agregasi_jumlah": "sum of reports",
    "agregasi_rata-rata": "mean of reports",
    "agregasi_terakhir": "latest report",
    "employee_agregasi": "   adds up as: {agregasi}",
})

_MONTHS: dict[str, tuple[str, ...]] = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_ROMAN = ("I", "II", "III", "IV")


def t(key: str, lang: str = "id", /, **values: object) -> str:
    """The text ``key`` in ``lang`` (falls back to Indonesian, then to the key itself),
    formatted with ``values``."""
    catalog = LABELS.get(lang, LABELS["id"])
    text = catalog.get(key, LABELS["id"].get(key, key))
    return text.format(**values) if values else text


def column_label(column: str, lang: str = "id") -> str:
    """Header for a summary column (``col_<name>`` in the catalog), else the column name."""
    key = f"col_{column}"
    return t(key, lang) if key in LABELS["id"] else column


def _short(day: date, lang: str) -> str:
    return f"{day.day} {_MONTHS.get(lang, _MONTHS['id'])[day.month - 1][:3]}"


def period_title(period: Period, lang: str = "id") -> str:
    """Human title of a period, e.g. "Triwulan IV 2026", "November 2026", "Minggu 47 2026 …"."""
    year = period.label[:4]
    if period.kind == "year":
        return t("period_year", lang, year=year)
    if period.kind == "semester":
        return t("period_semester", lang, n=period.label[-1], year=year)
    if period.kind == "quarter":
        return t("period_quarter", lang, roman=_ROMAN[int(period.label[-1]) - 1], year=year)
    if period.kind == "month":
        month = _MONTHS.get(lang, _MONTHS["id"])[period.start.month - 1]
        return t("period_month", lang, month=month, year=year)
    return t(
        "period_week",
        lang,
        week=int(period.label[-2:]),
        year=year,
        start=_short(period.start, lang),
        end=_short(period.end, lang),
    )


# --- officers' reports (kinerja report skm --format xlsx, report kinerja csv/xlsx) ---------
LABELS["id"].update({
    "col_nip": "NIP",
    "col_jabatan": "Jabatan",
    "col_unit": "Unit",
    "col_unit_name": "Nama unit",
    "col_atasan_nip": "NIP atasan",
    "col_atasan_nama": "Atasan",
    "col_parent": "Unit induk",
    "col_depth": "Tingkat",
    "col_scope": "Cakupan",
    "col_units": "Jumlah unit",
    "col_date": "Tanggal",
    "col_service": "Layanan",
    "col_point": "Titik layanan",
    "scope_own": "Unit sendiri",
    "scope_pooled": "Gabungan dengan unit di bawahnya",
    "scope_all": "Semua unit",
    "sheet_ikm_units": "IKM per unit",
    "sheet_nrr_unsur": "NRR per unsur",
    "sheet_respondents": "Responden per profil",
    "profile_na": "NA (tidak menjawab)",
    "field_jenis_kelamin": "Jenis kelamin",
    "field_usia": "Usia",
    "field_pendidikan": "Pendidikan",
    "field_pekerjaan": "Pekerjaan",
})
LABELS["en"].update({
    "col_nip": "NIP",
    "col_jabatan": "Position",
    "col_unit": "Work unit",
    "col_unit_name": "Unit name",
    "col_atasan_nip": "Atasan NIP",
    "col_atasan_nama": "Atasan (supervisor)",
    "col_parent": "Parent unit",
    "col_depth": "Level",
    "col_scope": "Scope",
    "col_units": "Units",
    "col_date": "Date",
    "col_service": "Service",
    "col_point": "Service point",
    "scope_own": "Unit itself",
    "scope_pooled": "Pooled with the units below",
    "scope_all": "All units",
    "sheet_ikm_units": "IKM per unit",
    "sheet_nrr_unsur": "NRR per unsur",
    "sheet_respondents": "Respondents by profile",
    "profile_na": "NA (not answered)",
    "field_jenis_kelamin": "Sex",
    "field_usia": "Age",
    "field_pendidikan": "Education",
    "field_pekerjaan": "Occupation",
})


# --- the SKM period report: trend, segments, PNG (kinerja report skm) ----------------------
LABELS["id"].update({
    "chart_trend_title": "Tren IKM",
    "chart_report_title": "{name} — {period}",
    "sheet_segments": "IKM per segmen",
    "sheet_trend": "Tren",
    "sheet_ikm_services": "IKM per layanan",
    "col_sample_status": "Status sampel",
    "col_strongest": "Unsur tertinggi",
})
LABELS["en"].update({
    "chart_trend_title": "IKM trend",
    "chart_report_title": "{name} — {period}",
    "sheet_segments": "IKM per segment",
    "sheet_trend": "Trend",
    "sheet_ikm_services": "IKM per service",
    "col_sample_status": "Sample status",
    "col_strongest": "Strongest unsur",
})
