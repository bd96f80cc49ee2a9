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
from datetime import tzinfo
from typing import Any

from bot.jobs.skm_results import (  # moved there: the web publishes the same numbers
    _entry,  # noqa: F401
    descendants,  # noqa: F401
    skm_report,  # noqa: F401
    tree_order,  # noqa: F401
)
from kinerja import skm
from kinerja.models import UNSUR_KEYS, UNSUR_NAMES
from kinerja.numbers import format_index


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
            report["period"], entry["unit"], entry["name"], entry["n"],
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
    reach = ""
    if sample is not None:
        reach = " — sampel cukup" if entry["n"] >= sample else f" — belum mencapai sampel {sample}"
    lines = [f"{pad}Responden: {entry['n']}{reach}"]
    if entry["ikm"] is None:
        lines.append(f"{pad}IKM: belum ada data" if entry["n"] == 0 else
                     f"{pad}IKM: belum lengkap (ada unsur tanpa jawaban)")
        return lines
    lines.append(f"{pad}IKM: {format_index(entry['ikm'])} — mutu {entry['mutu']} "
                 f"({entry['kinerja']})")
    for key in UNSUR_KEYS:
        value = entry["nrr"][key]
        mark = "  ← terlemah" if key == entry["weakest"] else ""
        lines.append(f"{pad}  {UNSUR_NAMES[key]:<42} {format_index(value)}{mark}")
    return lines


def _entry_text(entry: Mapping[str, Any]) -> list[str]:
    pad = "   " * int(entry.get("depth") or 0)
    head = f"{pad}{entry['name']}" + (f" ({entry['unit']})" if entry["unit"] else "")
    pooled = entry.get("pooled")
    if not pooled:
        return [head, *_score_lines(entry, pad + "  ")]
    others = pooled["units"] - 1
    return [
        head,
        f"{pad}  Unit ini sendiri:",
        *_score_lines(entry, pad + "    "),
        f"{pad}  Gabungan dengan {others} unit di bawahnya (jawaban dijumlahkan, "
        "bukan rata-rata IKM):",
        *_score_lines(pooled, pad + "    "),
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
        lines += [f"  • [{s['unit']}] {s['saran']}" for s in report["suggestions"]]
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
    return frames_to_xlsx({
        t("sheet_ikm_units", lang): pd.DataFrame(ikm_rows),
        t("sheet_nrr_unsur", lang): pd.DataFrame(nrr_rows),
        t("sheet_respondents", lang): pd.DataFrame(profile_rows),
        t("sheet_suggestions", lang): pd.DataFrame(suggestion_rows, columns=columns),
    }, lang)
