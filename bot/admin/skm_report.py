"""The SKM period report: per unit and overall, from storage's answer sums per unit.

``skm_report`` returns the JSON shape the CLI prints::

    {"period": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31",
     "units": [{"unit": code, "name": ..., "n": int, "population": int|null,
                "sample_size": int|null, "nrr": {key: float|null}, "ikm": float|null,
                "mutu": "A".."D"|null, "kinerja": str|null, "weakest": key|null}, ...],
     "overall": {same fields, "unit": null},
     "suggestions": [{"unit": code, "saran": text}, ...]}

A unit with no responses is listed with ``n = 0`` and nulls, never dropped. Every entry also
has ``sample_status`` (``cukup`` / ``kurang N responden`` / ``populasi belum diisi``,
:func:`kinerja.skm.sample_status`) and ``strongest``; built with :class:`ReportDetails` (as the
CLI does, :func:`gather`) also ``profiles``, ``segments``, ``trend``, ``saran_themes`` and,
for a unit's own entry, ``services`` — see :func:`skm_report`. The written report
(:func:`as_document`) and the PNG (:func:`as_png`) render this same dict.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from bot.jobs.skm_results import (  # the web publishes the same numbers
    NA,
    ReportDetails,
    descendants,
    skm_report,
)
from kinerja import skm
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index
from kinerja.periods import Period
from kinerja.render.escape import printable, spreadsheet_text


def as_json(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def as_csv(report: Mapping[str, Any]) -> str:
    """One row per unit (its own responses; ``pooled_*``: with the units below it) and one
    ``overall`` row; NRR columns ``nrr_<key>``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "unit", "name", "n", "sample_size", "ikm", "mutu", "kinerja",
                     "weakest", *(f"nrr_{k}" for k in UNSUR_KEYS), "parent", "depth",
                     "pooled_n", "pooled_ikm", "pooled_mutu"])
    for entry in [*report["units"], {**report["overall"], "unit": "overall"}]:
        pooled = entry.get("pooled") or {}
        writer.writerow([
            report["period"], spreadsheet_text(entry["unit"]), spreadsheet_text(entry["name"]),
            entry["n"],
            entry["sample_size"] if entry["sample_size"] is not None else "",
            "" if entry["ikm"] is None else f"{entry['ikm']:.2f}",
            entry["mutu"] or "", entry["kinerja"] or "", entry["weakest"] or "",
            *("" if entry["nrr"][k] is None else f"{entry['nrr'][k]:.4f}" for k in UNSUR_KEYS),
            entry.get("parent") or "", entry.get("depth", ""),
            pooled.get("n", ""),
            "" if pooled.get("ikm") is None else f"{pooled['ikm']:.2f}",
            pooled.get("mutu") or "",
        ])
    return out.getvalue()


def _score_lines(entry: Mapping[str, Any], pad: str) -> list[str]:
    sample = entry["sample_size"]
    reach = f" — sampel Krejcie–Morgan {sample}" if sample is not None else " — sampel"
    lines = [f"{pad}Responden: {entry['n']}{reach}: {entry['sample_status']}"]
    if entry["ikm"] is None:
        lines.append(f"{pad}IKM: belum ada data" if entry["n"] == 0 else
                     f"{pad}IKM: belum lengkap (ada unsur tanpa jawaban)")
    else:
        lines.append(f"{pad}IKM: {format_index(entry['ikm'])} — mutu {entry['mutu']} "
                     f"({entry['kinerja']})")
        for key in UNSUR_KEYS:
            value = entry["nrr"][key]
            mark = ("  ← terlemah" if key == entry["weakest"] else
                    "  ← tertinggi" if key == entry.get("strongest") else "")
            lines.append(f"{pad}  {UNSUR_NAMES[key]:<42} {format_index(value)}{mark}")
    return lines + _detail_lines(entry, pad)


def _detail_lines(entry: Mapping[str, Any], pad: str) -> list[str]:
    """Trend, then per profile field the respondents of each value (with NA) and, where the
    segment has the minimum respondents, its IKM — when the report has them. Nothing but
    the trend for an entry without respondents."""
    from kinerja.render.labels import t

    lines: list[str] = []
    trend = entry.get("trend") or []
    if any(row["n"] for row in trend):
        shown = []
        for row in trend:
            change = row["change"]
            delta = "" if change is None else (
                f" ({'+' if change > 0 else ''}{format_index(change)})")
            shown.append(f"{row['period']} {format_index(row['ikm'])}{delta}")
        lines.append(f"{pad}Tren IKM: " + " → ".join(shown))
    if not entry["n"]:
        return lines
    segments = entry.get("segments") or {}
    for field, counts in (entry.get("profiles") or {}).items():
        ikm = {row["value"]: row["ikm"] for row in segments.get(field, [])}
        parts = [
            f"{value} {n}" + (f" (IKM {format_index(ikm[value])})"
                              if ikm.get(value) is not None else "")
            for value, n in counts.items() if n
        ]
        lines.append(f"{pad}{t(f'field_{field}')}: {', '.join(parts) or '–'}")
    return lines


def _entry_text(entry: Mapping[str, Any]) -> list[str]:
    pad = "   " * int(entry.get("depth") or 0)
    head = f"{pad}{entry['name']}" + (f" ({entry['unit']})" if entry["unit"] else "")
    pooled = entry.get("pooled")
    if not pooled:
        return [head, *_score_lines(entry, pad + "  "), *_service_lines(entry, pad + "  ")]
    others = pooled["units"] - 1
    return [
        head,
        f"{pad}  Unit ini sendiri:",
        *_score_lines(entry, pad + "    "),
        *_service_lines(entry, pad + "    "),
        f"{pad}  Gabungan dengan {others} unit di bawahnya (jawaban dijumlahkan, "
        "bukan rata-rata IKM):",
        *_score_lines(pooled, pad + "    "),
    ]


def _service_lines(entry: Mapping[str, Any], pad: str) -> list[str]:
    """A unit with several services: each service's respondents, IKM and mutu."""
    return [
        f"{pad}Layanan {s['name']}: {s['n']} responden, IKM {format_index(s['ikm'])}"
        + (f" — mutu {s['mutu']}" if s["mutu"] else "")
        for s in entry.get("services") or []
    ]


def as_text(report: Mapping[str, Any]) -> str:
    """Plain text for a terminal or an e-mail: the units as a tree (a parent with its own and
    its pooled result), then the overall."""
    lines = [f"Indeks Kepuasan Masyarakat — periode {report['period']} "
             f"({report['start']} s.d. {report['end']})", ""]
    for entry in report["units"]:
        lines += [*_entry_text(entry), ""]
    lines += _entry_text(report["overall"])
    if report["suggestions"]:
        lines += ["", "Saran dan masukan:"]
        # a saran is a citizen's text: shown, never obeyed by the terminal (ESC …)
        lines += [f"  • [{s['unit']}] {printable(s['saran'])}" for s in report["suggestions"]]
    return "\n".join(lines)


def as_xlsx(
    report: Mapping[str, Any],
    profiles: Sequence[tuple[str, str, str | None, int]],
    suggestions: Sequence[Mapping[str, Any]],
    lang: str,
    tz: tzinfo,
) -> bytes:
    """The report as a workbook for officers (headers in ``lang``): IKM per unit (own and
    pooled rows), NRR per unsur, respondents per profile value with NA, and every
    suggestion with its local date, service and point.

    ``profiles`` are storage's ``profile_counts`` and ``suggestions`` its
    ``suggestions_detailed`` for the same period and units. Every option of a profile field
    is listed, with 0 when nobody chose it, so the sheets of two periods line up.
    """
    import pandas as pd

    from kinerja.render.labels import column_label, t
    from kinerja.render.xlsx import frames_to_xlsx

    def head(name: str) -> str:
        return column_label(name, lang)

    entries: list[tuple[Mapping[str, Any], str]] = []
    for entry in report["units"]:
        entries.append((entry, "scope_own"))
        if entry.get("pooled"):
            entries.append(({**entry["pooled"], "parent": entry["parent"],
                             "depth": entry["depth"]}, "scope_pooled"))
    entries.append((report["overall"], "scope_all"))
    ikm_rows = [{
        head("unit"): e["unit"] or "", head("unit_name"): e["name"],
        head("parent"): e.get("parent") or "", head("depth"): e.get("depth"),
        head("scope"): t(scope, lang), head("n"): e["n"],
        head("population"): e["population"], head("sample_size"): e["sample_size"],
        head("ikm"): e["ikm"], head("mutu"): e["mutu"], head("kinerja"): e["kinerja"],
        head("weakest"): UNSUR_NAMES[e["weakest"]] if e["weakest"] else None,
        head("strongest"): UNSUR_NAMES[e["strongest"]] if e.get("strongest") else None,
        head("sample_status"): e.get("sample_status"),
    } for e, scope in entries]
    nrr_rows = [{
        head("unit"): e["unit"] or "", head("unit_name"): e["name"],
        head("scope"): t(scope, lang),
        **{UNSUR_NAMES[k]: e["nrr"][k] for k in UNSUR_KEYS},
    } for e, scope in entries]
    counted: dict[tuple[str, str, str | None], int] = {
        (unit, field, value): n for unit, field, value, n in profiles}
    parents = {e["unit"]: e["parent"] for e in report["units"]}
    below = skm.units_below(parents)
    profile_rows = []
    for entry in report["units"]:
        code = entry["unit"]
        scopes = [("scope_own", [code])]
        if below[code]:
            scopes.append(("scope_pooled", [code, *below[code]]))
        for scope, members in scopes:
            for field, options in PROFILE_OPTIONS.items():
                extra = sorted({str(v) for (u, f, v) in counted if u in members and f == field
                                and v is not None and v not in options})
                for value in (*options, *extra, None):
                    profile_rows.append({
                        head("unit"): code, head("scope"): t(scope, lang),
                        head("field"): t(f"field_{field}", lang),
                        head("option"): value if value is not None else t("profile_na", lang),
                        head("count"): sum(counted.get((m, field, value), 0) for m in members),
                    })
    suggestion_rows = [{
        head("date"): s["submitted_at"].astimezone(tz).date() if s["submitted_at"] else None,
        head("unit"): s["unit"], head("service"): s["service"], head("point"): s["point"],
        head("saran"): s["saran"],
    } for s in suggestions]
    columns = [head(c) for c in ("date", "unit", "service", "point", "saran")]
    segment_rows = [{
        head("unit"): e["unit"] or "", head("scope"): t(scope, lang),
        head("field"): t(f"field_{field}", lang),
        head("option"): row["value"] if row["value"] != NA else t("profile_na", lang),
        head("n"): row["n"], head("ikm"): row["ikm"], head("mutu"): row["mutu"],
    } for e, scope in entries for field, rows in (e.get("segments") or {}).items()
        for row in rows]
    trend_rows = [{
        head("unit"): e["unit"] or "", head("scope"): t(scope, lang),
        head("period"): row["period"], head("n"): row["n"], head("ikm"): row["ikm"],
        head("mutu"): row["mutu"], head("change"): row["change"],
    } for e, scope in entries for row in (e.get("trend") or [])]
    service_rows = [{
        head("unit"): e["unit"], head("service"): s["name"], head("n"): s["n"],
        head("ikm"): s["ikm"], head("mutu"): s["mutu"],
        head("weakest"): UNSUR_NAMES[s["weakest"]] if s["weakest"] else None,
        **{UNSUR_NAMES[k]: s["nrr"][k] for k in UNSUR_KEYS},
    } for e in report["units"] for s in e.get("services") or []]
    service_columns = [head(c) for c in ("unit", "service", "n", "ikm", "mutu", "weakest")] + [
        UNSUR_NAMES[k] for k in UNSUR_KEYS]
    return frames_to_xlsx({
        t("sheet_ikm_units", lang): pd.DataFrame(ikm_rows),
        t("sheet_nrr_unsur", lang): pd.DataFrame(nrr_rows),
        t("sheet_respondents", lang): pd.DataFrame(profile_rows),
        t("sheet_suggestions", lang): pd.DataFrame(suggestion_rows, columns=columns),
        t("sheet_segments", lang): pd.DataFrame(segment_rows),
        t("sheet_trend", lang): pd.DataFrame(trend_rows),
        t("sheet_ikm_services", lang): pd.DataFrame(service_rows, columns=service_columns),
    }, lang)


# --- reading what the report needs (the CLI's side) ------------------------------------------


async def gather(
    r: Any,
    units: Sequence[Mapping[str, Any]],
    period: Period,
    tz: Any,
    *,
    trend: int,
    min_responses: int,
) -> tuple[dict[str, Any], list[tuple[str, str, str | None, int]]]:
    """Read everything ``report skm`` shows for ``units`` and ``period`` from a reading ``r``
    (``store.reading()``) and build the report: sums, saran, profiles, segments, services and
    the ``trend`` periods of the same kind ending with ``period``. Returns the report and the
    raw profile counts (the workbook lists them per unit)."""
    from kinerja.periods import trend_periods

    codes = [str(u["code"]) for u in units]
    start, end = period.bounds(tz)
    sums = await r.answer_sums_by_unit(start, end, codes)
    suggestions = await r.suggestions(start, end, codes)
    profiles = await r.profile_counts(start, end, codes)
    earlier = []
    for before in trend_periods(period, trend)[:-1]:
        first, after = before.bounds(tz)
        earlier.append((before, await r.answer_sums_by_unit(first, after, codes)))
    details = ReportDetails(
        profiles=profiles,
        segments=await r.segment_sums(start, end, codes),
        trend=earlier,
        services=await r.service_sums(start, end, codes),
        min_responses=min_responses,
    )
    return skm_report(sums, suggestions, units, period, details), profiles


async def rtl_rows(
    r: Any, unit: Mapping[str, Any], period: Period, end: Any, today: Any
) -> list[Any]:
    """The unit's RTL items as the written report lists them
    (:class:`kinerja.render.skm_written.RtlRow`): those of ``period`` and those of earlier
    periods created before ``end`` that are not selesai yet (still being worked on);
    ``late`` judged on ``today`` (:func:`kinerja.rtl.is_late`, by storage)."""
    from kinerja.render.skm_written import RtlRow

    items = await r.rtl_items(int(unit["id"]), today=today)
    return [
        RtlRow(unsur=i.unsur, problem=i.problem or "–", action=i.action,
               responsible=i.responsible_nama, target=i.target_date, progress=i.progress,
               status=i.status, late=i.late)
        for i in items
        if i.period == period.label or (i.status != "selesai" and i.created_at < end)
    ]


async def publishable_saran(r: Any, unit: Mapping[str, Any], start: Any, end: Any,
                            tz: Any, limit: int = 5) -> list[str]:
    """At most ``limit`` saran of [start, end) given at the unit's own points that the unit
    marked ``dipublikasikan``, newest first: the only saran a written report quotes."""
    entries = await r.unit_saran(int(unit["id"]), start, end, tz, limit=limit,
                                 marks=["dipublikasikan"])
    return [e.text for e in entries]


async def gather_written(
    r: Any, unit_code: str, units: Sequence[Mapping[str, Any]], period: Period, tz: Any,
    today: Any = None,
) -> Any:
    """What the written report adds to ``report skm`` for ``unit_code``: the head who signs,
    the responses per channel, the RTL (late as of ``today``), the publishable saran (at
    most five), and ``today`` (the signing date; default: today in ``tz``)."""
    from datetime import UTC, datetime

    from kinerja.render.skm_written import Signer, WrittenExtras

    start, end = period.bounds(tz)
    members = descendants(units, unit_code)
    unit = next(u for u in units if u["code"] == unit_code)
    head = await r.unit_head(unit_code)
    today = today or datetime.now(UTC).astimezone(tz).date()
    return WrittenExtras(
        head=Signer(head["nama"], head["jabatan"], head["nip"]) if head else None,
        channels=await r.channel_counts(start, end, members),
        rtl=await rtl_rows(r, unit, period, end, today),
        quotes=await publishable_saran(r, unit, start, end, tz),
        today=today,
    )


def as_document(report: Mapping[str, Any], unit_code: str, extras: Any, fmt: str) -> bytes:
    """The written report of ``unit_code`` as ``fmt`` (``docx`` or ``pdf``) bytes."""
    from kinerja.render.document import to_docx, to_pdf
    from kinerja.render.skm_written import written_report

    document = written_report(report, unit_code, extras)
    return to_docx(document) if fmt == "docx" else to_pdf(document)


def as_png(report: Mapping[str, Any], unit_code: str | None, lang: str) -> bytes:
    """The per-unsur chart and the trend chart of ``unit_code`` (its pooled result when it
    has units below it) or, without a unit, of all units together."""
    from kinerja.render.chart import skm_report_chart
    from kinerja.render.labels import t

    entry = report["overall"]
    if unit_code is not None:
        own = next(e for e in report["units"] if e["unit"] == unit_code)
        entry = own.get("pooled") or own
    title = t("chart_report_title", lang, name=entry["name"], period=report["period"])
    return skm_report_chart(entry["nrr"], entry["ikm"], entry["mutu"], entry.get("trend", []),
                            f"{title} — n = {entry['n']} ({entry['sample_status']})", lang)
