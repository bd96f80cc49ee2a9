"""The SKM period results: per unit (own and pooled with the units below) and overall,
with profiles, segments, trend, services and saran themes when asked.

Shared by ``kinerja report skm`` (bot/admin/skm_report.py, which formats them as text,
JSON, CSV, XLSX, PNG and the written report) and the public web pages (bot/web/results.py),
so both publish the same numbers from the same functions. :func:`skm_report` returns the
JSON shape the CLI prints (``{"period", "start", "end", "units": [...], "overall": {...},
"suggestions": [...]}``; every entry has ``unit``, ``name``, ``n``, ``population``,
``sample_size``, ``sample_status``, ``nrr``, ``ikm``, ``mutu``, ``kinerja``, ``weakest``,
``strongest``). A unit with no responses is listed with ``n = 0`` and nulls, never dropped.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.conversation.ports.survey import AnswerSums
from kinerja import skm
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS
from kinerja.periods import Period

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
