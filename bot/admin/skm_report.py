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

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from bot.conversation.ports.survey import AnswerSums
from kinerja import skm
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index
from kinerja.periods import Period
from kinerja.render.escape import printable, spreadsheet_csv

#: how a profile field left unanswered is reported (skm.md "Respondent profile")
NA = "NA"

_NO_ANSWERS = AnswerSums(0, dict.fromkeys(UNSUR_KEYS, 0), dict.fromkeys(UNSUR_KEYS, 0))


def _entry(
    sums: skm.Totals,
    code: str | None,
    name: str,
    population: int | None,
    period: Period,
) -> dict[str, Any]:
    result = skm.score_from_sums(sums.sums, sums.counts, sums.n)
    scaled = skm.period_population(population, period)
    sample = skm.krejcie_morgan(scaled) if scaled is not None else None
    return {
        "unit": code,
        "name": name,
        "n": result.n,
        "population": population,
        "sample_size": sample,
        "sample_status": skm.sample_status(result.n, sample).text,
        "nrr": {k: (round(v, 4) if v is not None else None) for k, v in result.nrr.items()},
        "ikm": result.ikm,
        "mutu": result.mutu.value if result.mutu else None,
        "kinerja": result.kinerja,
        "weakest": result.weakest,
        "strongest": skm.strongest(result.nrr),
    }


def descendants(units: Sequence[Mapping[str, Any]], root: str) -> list[str]:
    """``root`` and every unit below it (by parent links), root first."""
    children: dict[str | None, list[str]] = {}
    for unit in units:
        children.setdefault(unit["parent"], []).append(unit["code"])
    found, queue = [], [root]
    while queue:
        code = queue.pop(0)
        if code in found:
            continue
        found.append(code)
        queue.extend(sorted(children.get(code, [])))
    return found


def tree_order(units: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], int]]:
    """``units`` as a tree, depth first (children by code), each with its depth: a unit
    whose parent is not among ``units`` is a root."""
    codes = {str(u["code"]) for u in units}
    children: dict[str | None, list[Mapping[str, Any]]] = {}
    for unit in units:
        parent = unit.get("parent")
        children.setdefault(parent if parent in codes else None, []).append(unit)
    out: list[tuple[Mapping[str, Any], int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: str(u["code"])):
            if unit["code"] in seen:
                continue
            seen.add(str(unit["code"]))
            out.append((unit, depth))
            walk(str(unit["code"]), depth + 1)

    walk(None, 0)
    out += [(u, 0) for u in units if str(u["code"]) not in seen]  # a cycle: listed flat
    return out


@dataclass(frozen=True)
class ReportDetails:
    """What ``report skm`` shows beyond the index, read from storage for the same units:

    - ``profiles``: ``profile_counts`` of the period (respondents per profile value, NA);
    - ``segments``: ``segment_sums`` of the period (answer sums per profile value);
    - ``trend``: the earlier periods of the trend, oldest first, each with its
      ``answer_sums_by_unit`` (the report's own period is added last by :func:`skm_report`);
    - ``services``: ``service_sums`` of the period (a unit with several services is also
      reported per service);
    - ``min_responses``: a segment's IKM is shown from this many respondents
      (``KINERJA_PUBLIC_IKM_MIN_RESPONSES``).
    """

    profiles: Sequence[tuple[str, str, str | None, int]] = ()
    segments: Sequence[tuple[str, str, str | None, AnswerSums]] = ()
    trend: Sequence[tuple[Period, Mapping[str, AnswerSums]]] = ()
    services: Sequence[tuple[str, str, str, AnswerSums]] = ()
    min_responses: int = 10


def _profiles(counted: Mapping[tuple[str, str, str | None], int],
              members: Sequence[str]) -> dict[str, dict[str, int]]:
    """Respondents per profile field of ``members``' responses: every option (0 when nobody
    chose it), any other stored value, then ``NA``."""
    out: dict[str, dict[str, int]] = {}
    for field, options in PROFILE_OPTIONS.items():
        extra = sorted({str(v) for (u, f, v) in counted if u in members and f == field
                        and v is not None and v not in options})
        out[field] = {
            (value if value is not None else NA): sum(
                counted.get((m, field, value), 0) for m in members)
            for value in (*options, *extra, None)
        }
    return out


def _segments(sums: Mapping[tuple[str, str, str | None], AnswerSums], members: Sequence[str],
              minimum: int) -> dict[str, list[dict[str, Any]]]:
    """Per profile field, per value (options, other stored values, NA): respondents and the
    IKM and mutu where the segment has at least ``minimum`` respondents
    (:func:`kinerja.skm.segment_score`), else null."""
    out: dict[str, list[dict[str, Any]]] = {}
    for field, options in PROFILE_OPTIONS.items():
        extra = sorted({str(v) for (u, f, v) in sums if u in members and f == field
                        and v is not None and v not in options})
        rows = []
        for value in (*options, *extra, None):
            pooled = skm.pool(sums[(m, field, value)] for m in members
                              if (m, field, value) in sums)
            scored = skm.segment_score(pooled, minimum)
            rows.append({
                "value": value if value is not None else NA,
                "n": pooled.n,
                "ikm": scored.ikm if scored else None,
                "mutu": scored.mutu.value if scored and scored.mutu else None,
            })
        out[field] = rows
    return out


def _trend(series: Sequence[tuple[str, AnswerSums]]) -> list[dict[str, Any]]:
    """``(period label, totals)`` oldest first → the trend rows with the change of the IKM
    against the period before (:func:`kinerja.skm.ikm_change`)."""
    rows: list[dict[str, Any]] = []
    previous: float | None = None
    for label, totals in series:
        result = skm.score_from_sums(totals.sums, totals.counts, totals.n)
        rows.append({
            "period": label, "n": result.n, "ikm": result.ikm,
            "mutu": result.mutu.value if result.mutu else None,
            "change": skm.ikm_change(result.ikm, previous),
        })
        previous = result.ikm
    return rows


def _add_details(
    report: dict[str, Any],
    details: ReportDetails,
    sums: Mapping[str, AnswerSums],
    suggestions: Sequence[tuple[str, str]],
    period: Period,
) -> None:
    """Profiles, segments, trend, services and saran themes for every entry of ``report``
    (own, pooled and overall), each over the same units as the entry's index."""
    from kinerja.saran import theme_counts

    parents = {e["unit"]: e["parent"] for e in report["units"]}
    below = skm.units_below(parents)
    counted = {(u, f, v): n for u, f, v, n in details.profiles}
    segment_sums = {(u, f, v): t for u, f, v, t in details.segments}
    series = [*((p.label, by_unit) for p, by_unit in details.trend), (report["period"], sums)]
    saran_of: dict[str, list[str]] = {}
    for unit, text in suggestions:
        saran_of.setdefault(unit, []).append(text)
    themes_of = {unit: theme_counts(texts) for unit, texts in saran_of.items()}
    empty_themes = theme_counts(())
    services: dict[str, list[tuple[str, str, AnswerSums]]] = {}
    for unit, code, name, totals in details.services:
        services.setdefault(unit, []).append((code, name, totals))

    def fill(entry: dict[str, Any], members: Sequence[str]) -> None:
        entry["profiles"] = _profiles(counted, members)
        entry["segments"] = _segments(segment_sums, members, details.min_responses)
        entry["trend"] = _trend([
            (label, skm.pool(by_unit[m] for m in members if m in by_unit))
            for label, by_unit in series])
        # counts of disjoint sets of saran add up: each unit's saran are classified once
        entry["saran_themes"] = {
            theme: sum(themes_of[m][theme] for m in members if m in themes_of)
            for theme in empty_themes}

    for entry in report["units"]:
        code = entry["unit"]
        fill(entry, [code])
        own_services = services.get(code, [])
        entry["services"] = [
            {**_entry(totals, code, name, None, period), "service": service}
            for service, name, totals in own_services
        ] if len(own_services) > 1 else []
        for row in entry["services"]:
            del row["population"], row["sample_size"], row["sample_status"]
        if entry["pooled"]:
            fill(entry["pooled"], [code, *below[code]])
    fill(report["overall"], list(parents))
    report["trend_periods"] = [label for label, _ in series]
    report["min_segment_responses"] = details.min_responses


def skm_report(
    sums: Mapping[str, AnswerSums],
    suggestions: Sequence[tuple[str, str]],
    units: Sequence[Mapping[str, Any]],
    period: Period,
    details: ReportDetails | None = None,
) -> dict[str, Any]:
    """Score every listed unit and all of them together for ``period``.

    ``sums`` is storage's ``answer_sums_by_unit`` for the period (a unit without
    responses may be absent), ``suggestions`` its ``(unit code, saran)`` pairs; ``units``
    the units to list (``code``, ``name``, ``parent``, ``population``). Units come out as a
    tree (``depth``, ``parent``); each entry is the unit's own responses, and a unit with
    units below it also has ``pooled``: its own and theirs together (skm.md "Units inside
    units", :func:`kinerja.skm.pooled_by_unit`; its population is the sum of the known
    ones). Units' populations are people served per year; the Krejcie–Morgan size is taken
    for the share of the year the period covers; ``sample_status`` says whether ``n``
    reached it (:func:`kinerja.skm.sample_status`).

    With ``details`` every entry (own, pooled, overall) also has ``profiles`` (respondents
    per profile value, ``NA``), ``segments`` (per value: n, IKM and mutu from
    ``details.min_responses`` respondents), ``trend`` (the periods of ``details.trend`` and
    this one: n, IKM, mutu, change), ``saran_themes`` (:func:`kinerja.saran.theme_counts`),
    and a unit's own entry ``services`` (per service, when it has several).
    """
    ordered = tree_order(units)
    codes = {str(u["code"]) for u in units}
    parents = {str(u["code"]): (u.get("parent") if u.get("parent") in codes else None)
               for u in units}
    own = {code: sums[code] for code in codes if code in sums}
    pooled = skm.pooled_by_unit(parents, own)
    below = skm.units_below(parents)
    population = {str(u["code"]): (int(u["population"]) if u.get("population") else None)
                  for u in units}
    entries = []
    for unit, depth in ordered:
        code = str(unit["code"])
        entry = _entry(sums.get(code, _NO_ANSWERS), code, unit["name"], population[code],
                       period)
        entry["parent"] = parents[code]
        entry["depth"] = depth
        entry["pooled"] = None
        if below[code]:
            known = [population[c] for c in (code, *below[code]) if population[c]]
            entry["pooled"] = {
                **_entry(pooled[code], code, unit["name"], sum(known) or None, period),
                "units": len(below[code]) + 1,
            }
        entries.append(entry)
    total_population = sum(p for p in population.values() if p)
    overall = _entry(skm.pool(own.values()), None, "Semua unit", total_population or None,
                     period)
    report = {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "units": entries,
        "overall": overall,
        "suggestions": [
            {"unit": unit, "saran": saran} for unit, saran in suggestions if unit in codes
        ],
    }
    if details is not None:
        _add_details(report, details, sums, [(u, t) for u, t in suggestions if u in codes],
                     period)
    return report


def as_json(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def as_csv(report: Mapping[str, Any]) -> str:
    """One row per unit (its own responses; ``pooled_*``: with the units below it) and one
    ``overall`` row; NRR columns ``nrr_<key>``."""
    header = ["period", "unit", "name", "n", "sample_size", "ikm", "mutu", "kinerja",
              "weakest", *(f"nrr_{k}" for k in UNSUR_KEYS), "parent", "depth",
              "pooled_n", "pooled_ikm", "pooled_mutu"]
    rows = []
    for entry in [*report["units"], {**report["overall"], "unit": "overall"}]:
        pooled = entry.get("pooled") or {}
        rows.append([
            report["period"], entry["unit"], entry["name"],
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
    return spreadsheet_csv(header, rows)


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

    from kinerja.models import PROFILE_OPTIONS
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
