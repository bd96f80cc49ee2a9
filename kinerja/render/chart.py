"""Summaries → PNG chart bytes (matplotlib's Agg canvas; no display, no pyplot state).

Numbers on a chart are written by :mod:`kinerja.numbers` in the chart's language (capaian
"97,5%", NRR and IKM "3,20"). Charts have a fixed pixel size (``width`` × ``height`` at
``DPI``), so callers and tests can rely on it. Each call builds and closes its own figure
(no pyplot global state).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kinerja.models import UNSUR_KEYS, UNSUR_NAMES, Status
from kinerja.numbers import NO_VALUE, format_index, format_percent
from kinerja.periods import Period
from kinerja.render.labels import period_title, t

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["DPI", "ikm_trend_chart", "ikm_unsur_chart", "skm_report_chart", "team_capaian_chart"]

DPI = 100
STATUS_COLOURS: dict[str, str] = {
    Status.ON_TRACK: "#2e7d32",
    Status.ATTENTION: "#f9a825",
    Status.BEHIND: "#c62828",
    Status.NO_DATA: "#9e9e9e",
}
# NRR (1..4) lower bound of each mutu band, converted from the 25..100 table (÷ 25)
MUTU_NRR_BANDS: tuple[tuple[str, float, float, str], ...] = (
    ("D", 1.0, 65.00 / 25, "#ffebee"),
    ("C", 65.00 / 25, 76.61 / 25, "#fff8e1"),
    ("B", 76.61 / 25, 88.31 / 25, "#e8f5e9"),
    ("A", 88.31 / 25, 4.0, "#c8e6c9"),
)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _figure(width: int, height: int) -> Figure:
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # render with Agg whatever the process-wide backend is
    return figure


def _number(value: object) -> float | None:
    """A finite float, or None for None, NaN and pandas' NA (whose float() raises)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def team_capaian_chart(
    team: pd.DataFrame,
    period: Period,
    lang: str = "id",
    width: int = 800,
    height: int = 500,
) -> bytes:
    """Horizontal bars of each employee's ``capaian`` (percent of the target to date, from a
    :func:`kinerja.summary.team_summary` frame) coloured by status, with the 100 % line.

    Employees without a capaian get no bar; an empty team gives a chart saying "no data".
    Returns PNG bytes of ``width`` × ``height`` pixels.
    """
    figure = _figure(width, height)
    axes = figure.add_subplot()
    axes.set_title(t("chart_team_title", lang, period=period_title(period, lang)))
    axes.set_xlabel(t("chart_team_y", lang))
    if team.empty:
        axes.text(0.5, 0.5, t("chart_no_data", lang), ha="center", va="center")
        axes.set_axis_off()
        return _png(figure)
    names = [str(name) for name in team["nama"]][::-1]
    values = [_number(v) for v in team["capaian"]][::-1]
    colours = [STATUS_COLOURS.get(str(s), "#9e9e9e") for s in team["status"]][::-1]
    axes.barh(names, [v or 0.0 for v in values], color=colours)
    for index, value in enumerate(values):
        label = format_percent(value, lang)
        axes.text((value or 0.0) + 1, index, label, va="center", fontsize=8)
    top = max([100.0, *(v for v in values if v is not None)])
    axes.set_xlim(0, top * 1.15)
    axes.axvline(100, color="#37474f", linestyle="--", linewidth=1, label=t("chart_target", lang))
    axes.legend(loc="lower right", fontsize=8)
    return _png(figure)


def ikm_unsur_chart(
    nrr: Mapping[str, float | None],
    ikm: float | None,
    mutu: str | None,
    lang: str = "id",
    width: int = 800,
    height: int = 500,
) -> bytes:
    """Horizontal bars of NRR per unsur (1..4, regulation order top to bottom) over shaded
    mutu bands (D/C/B/A, the 25..100 thresholds ÷ 25); the weakest bar is outlined.

    Unsur without an NRR get no bar. Returns PNG bytes of ``width`` × ``height`` pixels.
    """
    figure = _figure(width, height)
    _unsur_axes(figure.add_subplot(), nrr, ikm, mutu, lang)
    return _png(figure)


def _unsur_axes(
    axes: Axes, nrr: Mapping[str, float | None], ikm: float | None, mutu: str | None, lang: str
) -> None:
    shown_ikm = format_index(ikm, lang)
    axes.set_title(t("chart_ikm_title", lang, ikm=shown_ikm, mutu=mutu or NO_VALUE))
    axes.set_xlabel(t("chart_ikm_x", lang))
    for grade, low, high, colour in MUTU_NRR_BANDS:
        axes.axvspan(low, high, color=colour, zorder=0)
        axes.text((low + high) / 2, len(UNSUR_KEYS) - 0.4, grade, ha="center", fontsize=9)
    keys = list(UNSUR_KEYS)[::-1]
    values = [_number(nrr.get(key)) for key in keys]
    present = [v for v in values if v is not None]
    lowest = min(present) if present else None
    bars = axes.barh(
        [UNSUR_NAMES[key] for key in keys],
        [v if v is not None else 0.0 for v in values],
        color="#1565c0",
        zorder=2,
    )
    for bar, value in zip(bars, values, strict=True):
        if value is None:
            bar.set_visible(False)
            continue
        if value == lowest:
            bar.set_edgecolor("#c62828")
            bar.set_linewidth(2)
        axes.text(
            value + 0.03,
            bar.get_y() + bar.get_height() / 2,
            format_index(value, lang),
            va="center",
            fontsize=8,
            zorder=3,
        )
    axes.set_xlim(1, 4.4)
    axes.set_ylim(-0.6, len(UNSUR_KEYS) - 0.1)
    axes.tick_params(axis="y", labelsize=8)


# IKM (25..100) lower bound of each mutu band (kinerja.skm.MUTU_BANDS) and its shade
MUTU_IKM_BANDS: tuple[tuple[str, float, float, str], ...] = tuple(
    (grade, low * 25, high * 25, colour) for grade, low, high, colour in MUTU_NRR_BANDS
)


def _trend_axes(axes: Axes, trend: Sequence[Mapping[str, Any]], lang: str) -> None:
    axes.set_title(t("chart_trend_title", lang))
    axes.set_ylabel("IKM")
    labels = [str(row["period"]) for row in trend]
    values = [_number(row.get("ikm")) for row in trend]
    present = [v for v in values if v is not None]
    low = min([65.0, *present]) - 5
    for grade, band_low, band_high, colour in MUTU_IKM_BANDS:
        if band_high <= low:
            continue
        axes.axhspan(max(band_low, low), band_high, color=colour, zorder=0)
        axes.text(len(labels) - 0.55, (max(band_low, low) + band_high) / 2, grade,
                  va="center", fontsize=9)
    if not present:
        axes.text(0.5, 0.5, t("chart_no_data", lang), ha="center", va="center",
                  transform=axes.transAxes)
    xs = [i for i, v in enumerate(values) if v is not None]
    axes.plot(xs, [values[i] for i in xs], marker="o", color="#1565c0", zorder=2)
    for i in xs:
        axes.text(i, (values[i] or 0) + 1.2, format_index(values[i], lang), ha="center",
                  fontsize=8, zorder=3)
    axes.set_xticks(range(len(labels)), labels)
    axes.set_xlim(-0.5, len(labels) - 0.3)
    axes.set_ylim(low, 100)


def ikm_trend_chart(
    trend: Sequence[Mapping[str, Any]], lang: str = "id", width: int = 800, height: int = 400
) -> bytes:
    """The IKM (25..100) of the last periods (rows with ``period`` and ``ikm``, oldest first,
    as in ``report skm``'s ``trend``) as a line over shaded mutu bands; a period without an
    IKM has no point. Returns PNG bytes of ``width`` × ``height`` pixels."""
    figure = _figure(width, height)
    _trend_axes(figure.add_subplot(), trend, lang)
    return _png(figure)


def skm_report_chart(
    nrr: Mapping[str, float | None],
    ikm: float | None,
    mutu: str | None,
    trend: Sequence[Mapping[str, Any]],
    title: str,
    lang: str = "id",
    width: int = 900,
    height: int = 900,
) -> bytes:
    """``report skm --format png``: the NRR per unsur (:func:`ikm_unsur_chart`) above the
    IKM trend (:func:`ikm_trend_chart`) under one ``title``. PNG of ``width`` × ``height``."""
    figure = _figure(width, height)
    figure.suptitle(title)
    top, bottom = figure.subplots(2, 1, height_ratios=(3, 2))
    _unsur_axes(top, nrr, ikm, mutu, lang)
    _trend_axes(bottom, trend, lang)
    return _png(figure)
