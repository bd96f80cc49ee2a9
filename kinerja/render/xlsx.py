"""Summaries → XLSX workbook bytes (openpyxl): one sheet per table, bold frozen header row.

Number formats: integers "0", other numbers "0.00" (percent columns are plain numbers of
percent, e.g. 87.5), dates "yyyy-mm-dd", datetimes "yyyy-mm-dd hh:mm" (aware datetimes are
written as local wall time without the zone, since XLSX has no time zones).

Text is written as text, whatever it holds: control characters (which XLSX cannot hold)
become U+FFFD, and a value beginning with ``=`` stays a string, never a formula
(:mod:`kinerja.render.escape`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import date, datetime
from numbers import Integral, Real

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.render.escape import printable
from kinerja.render.labels import column_label, t
from kinerja.summary import UnitSkmSummary

__all__ = ["frames_to_xlsx", "unit_skm_xlsx"]

_INVALID_SHEET_CHARS = str.maketrans({c: "-" for c in "[]:*?/\\"})
_INTEGER_FORMAT = "0"
_DECIMAL_FORMAT = "0.00"
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _cell_value(value: object) -> tuple[object, str | None]:
    """(value openpyxl can store, number format or None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None, None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), _DATETIME_FORMAT
    if isinstance(value, date):
        return value, _DATE_FORMAT
    if isinstance(value, bool):
        return value, None
    if isinstance(value, Integral):
        return int(value), _INTEGER_FORMAT
    if isinstance(value, Real):
        number = float(value)
        return (
            (None, None) if math.isnan(number) or math.isinf(number) else (number, _DECIMAL_FORMAT)
        )
    if hasattr(value, "value") and isinstance(value.value, str):  # enums
        return printable(value.value), None
    return printable(str(value)), None


def _sheet_title(name: str, used: set[str]) -> str:
    base = (name.translate(_INVALID_SHEET_CHARS).strip() or "Sheet")[:31]
    title, counter = base, 2
    while title.casefold() in used:
        suffix = f" ({counter})"
        title = base[: 31 - len(suffix)] + suffix
        counter += 1
    used.add(title.casefold())
    return title


def frames_to_xlsx(sheets: Mapping[str, pd.DataFrame], lang: str = "id") -> bytes:
    """Write each frame to its own sheet (named by the mapping key, made valid and unique) and
    return the workbook's bytes.

    Row 1 holds the headers — column names translated through the label catalog
    (``col_<name>``), else the name itself — in bold, frozen below. Values: None/NaN → empty
    cell; enums → their value. Column widths fit the content (max 60). An empty mapping
    gives a workbook with one empty sheet.
    """
    workbook = Workbook()
    default = workbook.active
    used: set[str] = set()
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(_sheet_title(str(name), used))
        widths: list[int] = []
        for col, column in enumerate(frame.columns, start=1):
            header = printable(column_label(str(column), lang))
            cell = sheet.cell(row=1, column=col, value=header)
            cell.font = bold
            widths.append(len(header))
        for row_index, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            for col, raw in enumerate(row, start=1):
                value, number_format = _cell_value(raw)
                cell = sheet.cell(row=row_index, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it begins with "=" (no formula)
                if number_format:
                    cell.number_format = number_format
                shown = len(str(value)) if value is not None else 0
                widths[col - 1] = max(widths[col - 1], min(shown, 60))
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 62)
        sheet.freeze_panes = "A2"
    if sheets and default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit_skm_xlsx(summary: UnitSkmSummary, lang: str = "id") -> bytes:
    """A unit's SKM report as a workbook: summary, unsur, services, respondent profile and
    suggestions sheets (titles from the label catalog)."""
    score = summary.score
    overview = pd.DataFrame(
        [
            ("period", summary.period),
            ("n", summary.n),
            ("population", summary.population),
            ("sample_size", summary.sample_size),
            (
                "sample_reached",
                None
                if summary.sample_reached is None
                else t("yes" if summary.sample_reached else "no", lang),
            ),
            ("ikm", score.ikm),
            ("mutu", score.mutu.value if score.mutu else None),
            ("kinerja", score.kinerja),
            ("weakest", score.weakest),
            ("ikm_previous", summary.previous.ikm),
            ("ikm_change", summary.ikm_change),
        ],
        columns=["summary_item", "summary_value"],
    )
    overview["summary_item"] = [column_label(item, lang) for item in overview["summary_item"]]
    sheets = {
        t("sheet_summary", lang): overview.rename(
            columns={
                "summary_item": t("summary_item", lang),
                "summary_value": t("summary_value", lang),
            }
        ),
        t("sheet_unsur", lang): summary.unsur,
        t("sheet_services", lang): summary.by_service,
        t("sheet_profile", lang): summary.profile,
        t("sheet_suggestions", lang): pd.DataFrame({"saran": summary.suggestions}, dtype="object"),
    }
    return frames_to_xlsx(sheets, lang)
