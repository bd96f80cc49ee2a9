"""The SKM period results: per unit (own and pooled with the units below) and overall.

Shared by ``kinerja report skm`` (bot/admin/skm_report.py, which re-exports these names)
and the public web pages (bot/web/results.py), so both publish the same numbers from the
same functions. ``skm_report`` returns the JSON shape the CLI prints::

    {"period": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31",
     "units": [{"unit": code, "name": ..., "n": int, "population": int|null,
                "sample_size": int|null, "nrr": {key: float|null}, "ikm": float|null,
                "mutu": "A".."D"|null, "kinerja": str|null, "weakest": key|null}, ...],
     "overall": {same fields, "unit": null},
     "suggestions": [{"unit": code, "saran": text}, ...]}

A unit with no responses is listed with ``n = 0`` and nulls, never dropped. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.conversation.ports.survey import AnswerSums
from kinerja import skm
from kinerja.models import UNSUR_KEYS
from kinerja.periods import Period

_NO_ANSWERS = AnswerSums(0, dict.fromkeys(UNSUR_KEYS, 0), dict.fromkeys(UNSUR_KEYS, 0))


def _entry(
    sums: skm.Totals,
    code: str | None,
    name: str,
    population: int | None,
    period_days: int,
) -> dict[str, Any]:
    result = skm.score_from_sums(sums.sums, sums.counts, sums.n)
    sample = None
    if population:
        scaled = max(1, round(population * period_days / 365))
        sample = skm.krejcie_morgan(scaled)
    return {
        "unit": code,
        "name": name,
        "n": result.n,
        "population": population,
        "sample_size": sample,
        "nrr": {k: (round(v, 4) if v is not None else None) for k, v in result.nrr.items()},
        "ikm": result.ikm,
        "mutu": result.mutu.value if result.mutu else None,
        "kinerja": result.kinerja,
        "weakest": result.weakest,
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


def skm_report(
    sums: Mapping[str, AnswerSums],
    suggestions: Sequence[tuple[str, str]],
    units: Sequence[Mapping[str, Any]],
    period: Period,
) -> dict[str, Any]:
    """Score every listed unit and all of them together for ``period``.

    ``sums`` is storage's ``answer_sums_by_unit`` for the period (a unit without
    responses may be absent), ``suggestions`` its ``(unit code, saran)`` pairs; ``units``
    the units to list (``code``, ``name``, ``parent``, ``population``). Units come out as a
    tree (``depth``, ``parent``); each entry is the unit's own responses, and a unit with
    units below it also has ``pooled``: its own and theirs together (skm.md "Units inside
    units", :func:`kinerja.skm.pooled_by_unit`; its population is the sum of the known
    ones). Units' populations are people served per year; the Krejcie–Morgan size is taken
    for the share of the year the period covers.
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
                       period.days)
        entry["parent"] = parents[code]
        entry["depth"] = depth
        entry["pooled"] = None
        if below[code]:
            known = [population[c] for c in (code, *below[code]) if population[c]]
            entry["pooled"] = {
                **_entry(pooled[code], code, unit["name"], sum(known) or None, period.days),
                "units": len(below[code]) + 1,
            }
        entries.append(entry)
    total_population = sum(p for p in population.values() if p)
    overall = _entry(skm.pool(own.values()), None, "Semua unit", total_population or None,
                     period.days)
    return {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "units": entries,
        "overall": overall,
        "suggestions": [
            {"unit": unit, "saran": saran} for unit, saran in suggestions if unit in codes
        ],
    }
