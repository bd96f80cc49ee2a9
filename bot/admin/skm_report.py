"""The SKM period report: per unit and overall, from storage's answer sums per unit.

``skm_report`` returns the JSON shape the CLI prints::

    {"period": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31",
     "units": [{"unit": code, "name": ..., "n": int, "population": int|null,
                "sample_size": int|null, "nrr": {key: float|null}, "ikm": float|null,
                "mutu": "A".."D"|null, "kinerja": str|null, "weakest": key|null}, ...],
     "overall": {same fields, "unit": null},
     "suggestions": [{"unit": code, "saran": text}, ...]}

A unit with no responses is listed with ``n = 0`` and nulls, never dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.conversation.ports.survey import AnswerSums
from kinerja import skm
from kinerja.models import UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index
from kinerja.periods import Period
from kinerja.render.escape import printable, spreadsheet_text

_NO_ANSWERS = AnswerSums(0, dict.fromkeys(UNSUR_KEYS, 0), dict.fromkeys(UNSUR_KEYS, 0))


def _entry(
    sums: AnswerSums,
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


def _total(parts: Sequence[AnswerSums]) -> AnswerSums:
    """The sums of several units as one (the overall entry)."""
    return AnswerSums(
        n=sum(p.n for p in parts),
        sums={k: sum(p.sums[k] for p in parts) for k in UNSUR_KEYS},
        counts={k: sum(p.counts[k] for p in parts) for k in UNSUR_KEYS},
    )


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


def skm_report(
    sums: Mapping[str, AnswerSums],
    suggestions: Sequence[tuple[str, str]],
    units: Sequence[Mapping[str, Any]],
    period: Period,
) -> dict[str, Any]:
    """Score every listed unit and all of them together for ``period``.

    ``sums`` is storage's ``answer_sums_by_unit`` for the period (a unit without
    responses may be absent), ``suggestions`` its ``(unit code, saran)`` pairs; ``units``
    the units to list (``code``, ``name``, ``population``), in order. Units' populations
    are people served per year; the Krejcie–Morgan size is taken for the share of the
    year the period covers.
    """
    parts = [sums.get(str(unit["code"]), _NO_ANSWERS) for unit in units]
    entries = [
        _entry(part, unit["code"], unit["name"], unit.get("population"), period.days)
        for unit, part in zip(units, parts, strict=True)
    ]
    codes = {u["code"] for u in units}
    total_population = sum(int(u["population"]) for u in units if u.get("population"))
    overall = _entry(_total(parts), None, "Semua unit", total_population or None, period.days)
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


def as_json(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def as_csv(report: Mapping[str, Any]) -> str:
    """One row per unit and one ``overall`` row; NRR columns ``nrr_<key>``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "unit", "name", "n", "sample_size", "ikm", "mutu", "kinerja",
                     "weakest", *(f"nrr_{k}" for k in UNSUR_KEYS)])
    for entry in [*report["units"], {**report["overall"], "unit": "overall"}]:
        writer.writerow([
            report["period"], spreadsheet_text(entry["unit"]), spreadsheet_text(entry["name"]),
            entry["n"],
            entry["sample_size"] if entry["sample_size"] is not None else "",
            "" if entry["ikm"] is None else f"{entry['ikm']:.2f}",
            entry["mutu"] or "", entry["kinerja"] or "", entry["weakest"] or "",
            *("" if entry["nrr"][k] is None else f"{entry['nrr'][k]:.4f}" for k in UNSUR_KEYS),
        ])
    return out.getvalue()


def _entry_text(entry: Mapping[str, Any]) -> list[str]:
    head = f"{entry['name']}" + (f" ({entry['unit']})" if entry["unit"] else "")
    lines = [head]
    sample = entry["sample_size"]
    reach = ""
    if sample is not None:
        reach = " — sampel cukup" if entry["n"] >= sample else f" — belum mencapai sampel {sample}"
    lines.append(f"  Responden: {entry['n']}{reach}")
    if entry["ikm"] is None:
        lines.append("  IKM: belum ada data" if entry["n"] == 0 else
                     "  IKM: belum lengkap (ada unsur tanpa jawaban)")
        return lines
    lines.append(f"  IKM: {format_index(entry['ikm'])} — mutu {entry['mutu']} ({entry['kinerja']})")
    for key in UNSUR_KEYS:
        value = entry["nrr"][key]
        mark = "  ← terlemah" if key == entry["weakest"] else ""
        shown = format_index(value)
        lines.append(f"    {UNSUR_NAMES[key]:<42} {shown}{mark}")
    return lines


def as_text(report: Mapping[str, Any]) -> str:
    """Plain text for a terminal or an e-mail: one block per unit, then the overall."""
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
