"""Summaries → chat text for a phone: short lines, no raw tables, messages ≤ 4096 characters.

Every ``*_text`` function returns a list of messages already split with :func:`split_message`.
Numbers go through :mod:`kinerja.numbers`, the one format for people: quantities and targets
``format_number`` ("1.234,5", "55"), capaian ``format_percent`` ("97,5%"), IKM, NRR and
citizens' mean answers ``format_index`` ("80,00").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd

from kinerja.models import UNSUR_KEYS, UNSUR_NAMES, CurveWarning, Mutu, Predikat, Status
from kinerja.numbers import NO_VALUE, format_index, format_number, format_percent
from kinerja.periods import Period, parse_period
from kinerja.render.labels import period_title, t
from kinerja.skm import sample_status
from kinerja.summary import UnitSkmSummary

__all__ = [
    "MESSAGE_LIMIT",
    "employee_text",
    "predikat_text",
    "split_message",
    "team_text",
    "unit_skm_text",
]

MESSAGE_LIMIT = 4096
"""Telegram's limit per text message (WhatsApp allows more)."""

STATUS_ICONS: dict[str, str] = {
    Status.ON_TRACK: "🟢",
    Status.ATTENTION: "🟡",
    Status.BEHIND: "🔴",
    Status.NO_DATA: "⚪",
}


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _date(value: date | None) -> str:
    return value.isoformat() if isinstance(value, date) else NO_VALUE


def _hard_split(line: str, limit: int) -> list[str]:
    """Split one over-long line at spaces where possible, else at ``limit`` characters."""
    pieces: list[str] = []
    rest = line
    while len(rest) > limit:
        cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip(" ")
    if rest:
        pieces.append(rest)
    return pieces


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` characters.

    Breaks at paragraph boundaries (blank lines) when possible, then at line ends, then at
    spaces, and only as a last resort inside a word. Pieces keep their order; leading and
    trailing blank lines of each message are dropped. Empty/blank text → []. Raises
    ValueError when ``limit`` < 1.
    """
    if limit < 1:
        raise ValueError("limit must be >= 1")
    if not text.strip():
        return []
    pieces: list[tuple[str, str]] = []  # (separator before, text)
    for paragraph in text.strip("\n").split("\n\n"):
        if len(paragraph) <= limit:
            pieces.append(("\n\n", paragraph))
            continue
        for index, line in enumerate(paragraph.split("\n")):
            separator = "\n\n" if index == 0 else "\n"
            for part, chunk in enumerate(_hard_split(line, limit) or [""]):
                pieces.append((separator if part == 0 else " ", chunk))
    messages: list[str] = []
    current = ""
    for separator, piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            messages.append(current.strip("\n"))
        current = piece
    if current.strip():
        messages.append(current.strip("\n"))
    return messages


# --------------------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """``frame.to_dict("records")`` built from whole columns (much cheaper per call)."""
    names = list(frame.columns)
    columns = [frame[name].tolist() for name in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _pending(value: object) -> float:
    """A pending count as a number (blank or not numeric → 0)."""
    if not isinstance(value, int | float):
        value = pd.to_numeric(value, errors="coerce")
    return 0.0 if _missing(value) else float(value)  # type: ignore[arg-type]


def team_text(
    team: pd.DataFrame,
    period: Period,
    lang: str = "id",
    elapsed_fraction: float | None = None,
) -> list[str]:
    """A supervisor's team (a :func:`kinerja.summary.team_summary` frame) as chat messages.

    One short paragraph per employee (status icon, capaian vs target to date, reports, citizens'
    rating when any, last feedback), weakest first (behind → attention → no data → on track).
    """
    lines = [t("team_title", lang, period=period_title(period, lang))]
    if elapsed_fraction is not None:
        lines.append(t("elapsed", lang, pct=format_percent(100 * elapsed_fraction, lang)))
    if team.empty:
        return split_message("\n".join([*lines, "", t("team_empty", lang)]))
    order = {Status.BEHIND: 0, Status.ATTENTION: 1, Status.NO_DATA: 2, Status.ON_TRACK: 3}
    records = _records(team)

    def rank(row: dict[str, object]) -> tuple[int, bool, float]:
        # plain-Python stable sort (rank, then capaian, missing last): a week's run renders
        # a thousand teams, where a pandas sort per team would dominate
        capaian = row["capaian"]
        missing = _missing(capaian)
        return order.get(row["status"], 4), missing, 0.0 if missing else float(capaian)  # type: ignore[arg-type,call-overload]

    paragraphs = ["\n".join(lines)]
    for row in sorted(records, key=rank):
        status = str(row["status"])
        block = [
            t(
                "team_line",
                lang,
                icon=STATUS_ICONS.get(status, "⚪"),
                nama=row["nama"],
                capaian=format_percent(row["capaian"], lang),
                status=t(f"status_{status}", lang),
            ),
            t(
                "team_reports",
                lang,
                reports=row["reports"],
                approved=row["approved"],
                pending=row["pending"],
            ),
        ]
        if not _missing(row["warga_n"]) and int(row["warga_n"]) > 0:
            block.append(
                t(
                    "team_warga",
                    lang,
                    perilaku=format_index(row["warga_perilaku"], lang),
                    kompetensi=format_index(row["warga_kompetensi"], lang),
                    n=int(row["warga_n"]),
                )
            )
        if _missing(row["last_feedback"]):
            block.append(t("team_no_feedback", lang))
        else:
            block.append(t("team_feedback", lang, date=_date(row["last_feedback"])))
        paragraphs.append("\n".join(block))
    pending = int(sum(_pending(row["pending"]) for row in records))
    if pending:
        paragraphs.append(t("team_pending_total", lang, pending=pending))
    return split_message("\n\n".join(paragraphs))


def employee_text(
    progress: pd.DataFrame,
    nama: str,
    period: Period,
    lang: str = "id",
    elapsed_fraction: float | None = None,
) -> list[str]:
    """One employee's progress (an :func:`kinerja.summary.employee_progress` frame) as chat
    messages: one line per indicator with realisasi, target to date and capaian."""
    head = [t("employee_title", lang, nama=nama, period=period_title(period, lang))]
    if elapsed_fraction is not None:
        head.append(t("elapsed", lang, pct=format_percent(100 * elapsed_fraction, lang)))
    if progress.empty:
        return split_message("\n".join([*head, "", t("employee_empty", lang)]))
    paragraphs = ["\n".join(head)]
    for row in progress.to_dict("records"):
        block = [
            t(
                "employee_line",
                lang,
                icon=STATUS_ICONS.get(str(row["status"]), "⚪"),
                indikator=row["indikator"],
                realisasi=format_number(row["realisasi"], lang),
                target_to_date=format_number(row["target_to_date"], lang),
                satuan=row["satuan"] or "",
                capaian=format_percent(row["capaian_to_date"], lang),
                target=format_number(row["target"], lang),
            )
        ]
        if not _missing(row.get("agregasi")):
            block.append(t("employee_agregasi", lang,
                           agregasi=t(f"agregasi_{row['agregasi']}", lang)))
        if not _missing(row["pending"]) and int(row["pending"]) > 0:
            block.append(t("employee_pending", lang, pending=int(row["pending"])))
        paragraphs.append("\n".join(block))
    return split_message("\n\n".join(paragraphs))


def unit_skm_text(
    summary: UnitSkmSummary, lang: str = "id", max_suggestions: int = 10
) -> list[str]:
    """A unit's SKM report as chat messages: respondents vs sample size, IKM and mutu, change
    against the previous period, NRR per unsur (weakest marked), and up to
    ``max_suggestions`` citizens' suggestions (the rest are counted, not shown)."""
    period = parse_period(summary.period)
    score = summary.score
    head = [
        t("unit_title", lang, period=period_title(period, lang)),
        t("unit_respondents", lang, n=summary.n),
    ]
    sample = sample_status(summary.n, summary.sample_size)  # the one rule of every report
    if sample.kind == "populasi_kosong":
        head.append(t("unit_sample_unknown", lang))
    elif sample.kind == "cukup":
        head.append(t("unit_sample_ok", lang, s=summary.sample_size, population=summary.population))
    else:
        head.append(
            t(
                "unit_sample_short",
                lang,
                s=summary.sample_size,
                population=summary.population,
                missing=sample.missing,
            )
        )
    if score.ikm is None or score.mutu is None:
        head.append(t("unit_no_ikm", lang))
    else:
        head.append(
            t(
                "unit_ikm",
                lang,
                ikm=format_index(score.ikm, lang),
                mutu=score.mutu.value,
                kinerja=Mutu(score.mutu).kinerja,
            )
        )
        if summary.ikm_change is not None and summary.previous.ikm is not None:
            previous = format_index(summary.previous.ikm, lang)
            change = format_index(abs(summary.ikm_change), lang)
            key = (
                "unit_change_up"
                if summary.ikm_change > 0
                else "unit_change_down"
                if summary.ikm_change < 0
                else "unit_change_same"
            )
            head.append(t(key, lang, change=change, previous=previous))
    paragraphs = ["\n".join(head)]
    if summary.n:
        nrr_lines = [t("unit_nrr_heading", lang)]
        for key in UNSUR_KEYS:
            value = score.nrr.get(key)
            marker = " ⬇" if key == score.weakest else ""
            nrr_lines.append(
                t("unit_nrr_line", lang, nama=UNSUR_NAMES[key], nrr=format_index(value, lang))
                + marker
            )
        paragraphs.append("\n".join(nrr_lines))
        if score.weakest is not None:
            paragraphs.append(
                t(
                    "unit_weakest",
                    lang,
                    nama=UNSUR_NAMES[score.weakest],
                    nrr=format_index(score.nrr[score.weakest], lang),
                )
            )
    if summary.suggestions:
        shown = summary.suggestions[: max(0, max_suggestions)]
        block = [t("unit_suggestions", lang, count=len(summary.suggestions))]
        block.extend(f"• {text}" for text in shown)
        if len(summary.suggestions) > len(shown):
            block.append(
                t("unit_more_suggestions", lang, count=len(summary.suggestions) - len(shown))
            )
        paragraphs.append("\n".join(block))
    return split_message("\n\n".join(paragraphs))


def predikat_text(
    table: pd.DataFrame,
    period: Period,
    warnings: Sequence[CurveWarning] = (),
    lang: str = "id",
) -> list[str]:
    """The predikat table (a :func:`kinerja.summary.predikat_table` frame) as chat messages:
    one line per employee, the distribution, then any curve warnings."""
    paragraphs = [t("predikat_title", lang, period=period_title(period, lang))]
    lines = []
    for row in table.to_dict("records"):
        value = row.get("predikat")
        lines.append(
            t(
                "predikat_line",
                lang,
                nama=row["nama"],
                predikat=t("predikat_none", lang) if _missing(value) else value,
                provisional=t("predikat_provisional", lang) if row.get("provisional") else "",
            )
        )
    if lines:
        paragraphs.append("\n".join(lines))
        values = table["predikat"].dropna()
        counts = [f"{member.value} {int((values == member.value).sum())}" for member in Predikat]
        paragraphs.append(t("predikat_counts", lang, counts=", ".join(counts)))
    if warnings:
        paragraphs.append(
            "\n".join(t("predikat_warning", lang, message=w.message) for w in warnings)
        )
    return split_message("\n\n".join(paragraphs))
