"""Summary commands: ``kinerja report kinerja`` and ``kinerja send-summaries``.

``report kinerja`` scores employees' progress for a period (default: this ISO week) with
:mod:`kinerja.summary` and writes it as text, JSON, CSV, XLSX or a PNG chart:

- ``--nip NIP``: that employee's direct team, or — without subordinates — their own progress
  per indicator (the PNG then charts their capaian as a one-person team);
- ``--unit CODE``: every employee of the unit; neither: every employee.

``send-summaries`` queues the weekly summary of a week (default: the latest due one) in the
outbox now, deduplicated exactly like the scheduler; ``--dry-run`` only lists who would get
what. Binary formats need ``--output``.

pandas, the summaries and their renderers are imported when a command runs, not when the
CLI starts (:mod:`bot.admin.common`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.admin.common import Language, err, fail, settings, with_core
from kinerja.render.escape import spreadsheet_text

if TYPE_CHECKING:
    import pandas as pd
    from rich.progress import Progress

    from bot.app.core import Core
    from bot.conversation.ports.people import EmployeeInfo
    from kinerja.periods import Period


class KinerjaFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    png = "png"


BINARY = {KinerjaFormat.xlsx, KinerjaFormat.png}


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-able dicts: NaN/NaT → None, numpy scalars → Python, dates → ISO text."""
    cleaned = frame.astype(object).where(frame.notna(), None)
    return json.loads(json.dumps(cleaned.to_dict("records"), default=_jsonable))


async def kinerja_frames(
    app: Core, period: Period, moment: datetime, unit: str | None, nip: str | None,
    progress: Progress | None = None, details: dict[int, dict[str, Any]] | None = None,
) -> tuple[str, pd.DataFrame, pd.DataFrame, str | None]:
    """(scope, frame, team frame for the chart, employee name for a one-person report).

    ``frame`` is a team_summary frame, or an employee_progress frame when ``nip`` has no
    subordinates. ``details``, when given, is filled with each selected employee's ``nip
    nama jabatan unit atasan_nip atasan_nama`` by employee id. Raises ``ValueError`` for an
    unknown NIP or unit.
    """
    from kinerja import summary
    from kinerja.periods import skp_year

    tz = app.settings.tz
    people: list[EmployeeInfo]
    me: EmployeeInfo | None = None
    async with app.store.reading() as r:
        if nip is not None:
            found = await r.employees_by_nip([nip])
            if not found:
                raise ValueError(f"NIP {nip} tidak dikenal")
            me = found[0]
            people = await r.subordinates(me.id)
            scope = f"tim {me.nama}" if people else me.nama
        elif unit is not None:
            if unit not in {str(u["code"]) for u in await r.units()}:
                raise ValueError(f"unit {unit!r} tidak dikenal")
            people = await r.employees_of_unit(unit)
            scope = f"unit {unit}"
        else:
            people = await r.employees_by_nip()
            scope = "semua pegawai"
        solo = me is not None and not people
        selected = [me] if solo and me is not None else people
        task = progress.add_task("Membaca data", total=2) if progress else None
        start, after = period.bounds(tz)
        frames = await r.staff_frames(
            skp_year(period), start, after, moment, [e.id for e in selected]
        )
        if details is not None:
            details.update(await r.staff_details([e.id for e in selected]))
    if progress and task is not None:
        progress.update(task, advance=1, description="Menghitung")
    indicators = summary.period_indicators(frames.indicators, period)
    team = summary.team_summary(
        frames.employees, indicators, frames.reports, period, moment, tz,
        feedback=frames.feedback, skm_responses=frames.skm_responses,
    )
    if progress and task is not None:
        progress.update(task, advance=1)
    if solo and me is not None:
        own = summary.employee_progress(indicators, frames.reports, me.id, period, moment, tz)
        return scope, own, team, me.nama
    return scope, team, team, None


PERSON_COLUMNS = ("nip", "nama", "jabatan", "unit", "atasan_nip", "atasan_nama")
#: internal ids: in JSON only
_INTERNAL = ("employee_id", "indicator_id")


def with_people(
    frame: pd.DataFrame, details: dict[int, dict[str, Any]], solo_id: int | None
) -> pd.DataFrame:
    """``frame`` with who each row is about in front (:data:`PERSON_COLUMNS`): by its
    ``employee_id``, or — an employee's own indicators — ``solo_id`` on every row."""
    import pandas as pd

    ids = (pd.Series([solo_id] * len(frame), index=frame.index, dtype="object")
           if solo_id is not None else frame["employee_id"])
    people = pd.DataFrame({
        column: [details.get(int(i), {}).get(column) if i is not None else None for i in ids]
        for column in PERSON_COLUMNS
    }, index=frame.index)
    rest = frame.drop(columns=[c for c in PERSON_COLUMNS if c in frame.columns])
    return pd.concat([people, rest], axis=1)


def for_people(frame: pd.DataFrame, lang: str, tz: Any, *, rounded: bool) -> pd.DataFrame:
    """The table as officers read it (CSV, XLSX): no internal ids; statuses and ratings
    in words (``lang``); datetimes in ``KINERJA_TIMEZONE``; with ``rounded`` every
    fractional number to 2 decimals (CSV: a workbook keeps the exact value and shows 2
    decimals). Column headers stay keys: the writer translates them."""
    import pandas as pd

    from kinerja.models import Rating
    from kinerja.render.labels import t

    out = frame.drop(columns=[c for c in _INTERNAL if c in frame.columns]).copy()
    if "status" in out.columns:
        out["status"] = [t(f"status_{v}", lang) if isinstance(v, str) else v
                         for v in out["status"]]
    if "suggested_rating" in out.columns:
        out["suggested_rating"] = [Rating(v).label if v in set(Rating) else v
                                   for v in out["suggested_rating"]]
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series) and series.dt.tz is not None:
            out[column] = series.dt.tz_convert(tz).dt.tz_localize(None)
        elif rounded and pd.api.types.is_float_dtype(series):
            out[column] = series.round(2)
    return out


def register(app: typer.Typer, import_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add ``report kinerja`` and ``send-summaries`` to the CLI."""

    def choose_period(label: str | None, default: Period) -> Period:
        from kinerja.periods import parse_period

        try:
            return parse_period(label) if label else default
        except ValueError as exc:
            raise fail(f"periode tidak dikenal: {exc}") from exc

    @report_app.command("kinerja")
    def report_kinerja(
        unit: Annotated[str | None, typer.Option(help="Kode unit: semua pegawainya.")] = None,
        nip: Annotated[
            str | None, typer.Option(help="NIP: timnya, atau kinerjanya sendiri.")
        ] = None,
        period: Annotated[
            str | None,
            typer.Option(help="2026, 2026-S2, 2026-Q4, 2026-11 atau 2026-W47 (bawaan: "
                              "minggu ini)."),
        ] = None,
        format: Annotated[KinerjaFormat, typer.Option("--format")] = KinerjaFormat.text,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Tulis ke berkas ini.")
        ] = None,
        lang: Annotated[
            Language | None,
            typer.Option("--lang", help="Bahasa judul kolom dan status: id atau en (bawaan: "
                                        "KINERJA_LANGUAGE)."),
        ] = None,
    ) -> None:
        """Kemajuan kinerja pegawai (capaian terhadap target berjalan) per periode.

        json/csv/xlsx: NIP, nama, jabatan, unit dan atasan tiap pegawai; csv/xlsx dengan
        judul kolom dan status dalam bahasa pilihan, angka 2 desimal (json: nilai mentah).
        """
        from rich.progress import Progress

        from kinerja.periods import period_of
        from kinerja.render import chart, text, xlsx
        from kinerja.render.labels import column_label, t

        config = settings()
        language = lang.value if lang is not None else config.language
        now = datetime.now(UTC)
        chosen = choose_period(period, period_of("week", now, config.tz))
        if unit is not None and nip is not None:
            raise fail("pilih salah satu: --unit atau --nip")
        if format in BINARY and output is None:
            raise fail(f"format {format.value} perlu --output BERKAS")
        moment = min(now, chosen.bounds(config.tz)[1])

        details: dict[int, dict[str, Any]] = {}

        async def go(a: Core) -> tuple[str, pd.DataFrame, pd.DataFrame, str | None]:
            with Progress(console=err(), transient=True) as progress:
                try:
                    return await kinerja_frames(a, chosen, moment, unit, nip, progress,
                                                details)
                except ValueError as exc:
                    raise fail(str(exc)) from exc

        scope, frame, team, solo = with_core(go)
        solo_id = next(iter(details)) if solo and len(details) == 1 else None
        lang = language
        elapsed = chosen.elapsed_fraction(moment, config.tz)
        content: str | bytes
        if format is KinerjaFormat.json:
            rows = frame_records(with_people(frame, details, solo_id))
            for row in rows:
                if isinstance(row.get("status"), str):
                    row["status_label"] = t(f"status_{row['status']}", lang)
            content = json.dumps(
                {"period": chosen.label, "start": chosen.start.isoformat(),
                 "end": chosen.end.isoformat(), "scope": scope,
                 "kind": "employee" if solo else "team", "elapsed": elapsed,
                 "rows": rows},
                ensure_ascii=False, indent=2,
            ) + "\n"
        elif format is KinerjaFormat.csv:
            table = for_people(with_people(frame, details, solo_id), lang, config.tz,
                               rounded=True)
            table = table.map(  # names and texts as text: no formula, no control character
                lambda v: spreadsheet_text(v) if isinstance(v, str) else v
            )
            content = table.rename(columns=lambda c: column_label(str(c), lang)).to_csv(
                index=False)
        elif format is KinerjaFormat.xlsx:
            table = for_people(with_people(frame, details, solo_id), lang, config.tz,
                               rounded=False)
            content = xlsx.frames_to_xlsx({chosen.label: table}, lang)
        elif format is KinerjaFormat.png:
            content = chart.team_capaian_chart(team, chosen, lang)
        else:
            messages = (
                text.employee_text(frame, solo, chosen, lang, elapsed_fraction=elapsed)
                if solo else text.team_text(frame, chosen, lang, elapsed_fraction=elapsed)
            )
            content = "\n\n".join(messages) + "\n"
        if output is None:
            typer.echo(content, nl=False)
        elif isinstance(content, bytes):
            output.write_bytes(content)
            err().print(f"Ditulis: {output} ({len(content)} bita)", highlight=False)
        else:
            output.write_text(content, encoding="utf-8")
            err().print(f"Ditulis: {output}", highlight=False)

    @app.command("send-summaries")
    def send_summaries(
        period: Annotated[
            str | None,
            typer.Option(help="Minggu, mis. 2026-W47 (bawaan: minggu terakhir yang jatuh "
                              "tempo)."),
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Hanya tampilkan siapa menerima apa.")
        ] = False,
    ) -> None:
        """Antrekan ringkasan mingguan sekarang (tanpa kirim ganda)."""
        from rich.progress import Progress

        from bot.jobs.weekly import ScheduleConfig, enqueue, latest_due_summary, plan_summaries

        config = settings()
        schedule = ScheduleConfig.from_settings(config)
        now = datetime.now(UTC)
        chosen = choose_period(period, latest_due_summary(now, schedule))

        async def go(a: Core) -> tuple[int, list[Any]]:
            with Progress(console=err(), transient=True) as progress:
                task = progress.add_task(f"Ringkasan {chosen.label}", total=2)
                async with a.store.reading() as r:
                    pushes = await plan_summaries(r, chosen, now, schedule,
                                                  linked_only=not dry_run)
                progress.update(task, advance=1, description="Mengantrekan")
                queued = 0 if dry_run else await enqueue(a.store, pushes, now)
                progress.update(task, advance=1)
            return queued, pushes

        queued, pushes = with_core(go)
        if dry_run:
            for push in pushes:
                where = f"{push.channel}:{push.chat_id}" if push.channel else "(belum terhubung)"
                first = push.reply.text.split("\n\n", 2)[1].split("\n", 1)[0] \
                    if "\n\n" in push.reply.text else push.reply.text
                typer.echo(f"{push.nip}\t{push.nama}\t{where}\t{len(push.reply.text)} karakter"
                           f"\t{first}")
            typer.echo(f"{len(pushes)} ringkasan {chosen.label} akan diantrekan (uji coba, "
                       "tidak ada yang disimpan).")
            return
        typer.echo(f"{queued} ringkasan {chosen.label} diantrekan "
                   f"({len(pushes) - queued} sudah pernah diantrekan).")
