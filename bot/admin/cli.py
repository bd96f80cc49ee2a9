"""``kinerja …``: the administrator's commands.

Every command reads the settings (``KINERJA_*``, ``.env``); ``--db`` overrides
the database file for one call. Errors an administrator can fix (a bad
import file, an unknown period, a database newer than the program) print a
clear message and exit with status 1, never a traceback.

Only typer is imported at the top: each command imports what it uses in its body and
opens only what it needs (:mod:`bot.admin.common`), so ``kinerja --help`` and the light
commands start fast.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.admin import common, import_help, ops, roster, rtl, staff, summaries
from bot.admin import web as web_commands  # poster, web-login (issue 16)
from bot.admin.common import (
    Language,
    err,
    fail,
    settings,
    state,
    with_app,
    with_core,
    write_output,
)
from bot.admin.i18n import IndonesianGroup

if TYPE_CHECKING:
    from bot.app.compose import App
    from bot.app.core import Core

app = typer.Typer(
    name="kinerja",
    help="Chatbot SKM & kinerja pegawai Pemda — perintah admin.",
    no_args_is_help=True,
    add_completion=False,
    # click's plain help: typer's rich panels import rich.markdown and markdown-it first,
    # ~0.2 s of every `kinerja --help` on the project's machine (bench/cli_startup.py)
    rich_markup_mode=None,
    # Click's own words ("Usage", "Options", errors) in Indonesian (bot/admin/i18n.py)
    cls=IndonesianGroup,
    context_settings={"max_content_width": 120, "help_option_names": ["-h", "--help"]},
)
import_app = typer.Typer(help="Impor data dari CSV atau XLSX (semua atau tidak sama sekali).",
                         cls=IndonesianGroup)
report_app = typer.Typer(help="Laporan periode.", cls=IndonesianGroup)
app.add_typer(import_app, name="import")
app.add_typer(report_app, name="report")

def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"kinerja {version('kinerja')}")
        raise typer.Exit()


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Berkas SQLite atau postgresql://… (menimpa KINERJA_DB)."),
    ] = None,
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Tampilkan versi lalu keluar.")
    ] = False,
) -> None:
    state.db = db


@app.command()
def init() -> None:
    """Buat atau perbarui basis data (menjalankan migrasi)."""

    async def go(a: Core) -> int:
        return await a.store.schema_version()

    version = with_core(go, create=True)
    from bot.storage.dialect import redacted

    typer.echo(f"Basis data siap: {redacted(settings().db)} (skema {version}).")


@app.command()
def demo() -> None:
    """Isi organisasi contoh (Disdukcapil, Puskesmas, DPMPTSP) dan respons contoh."""
    from bot.admin.demo import load_demo

    async def go(a: Core) -> dict[str, int]:
        return await load_demo(a.store, now=datetime.now(UTC))

    counts = with_core(go, create=True)
    from bot.storage.dialect import redacted

    typer.echo(
        f"Data demo siap di {redacted(settings().db)}: {counts['units']} unit, "
        f"{counts['services']} layanan, {counts['points']} titik layanan, "
        f"{counts['employees']} pegawai dengan "
        f"{counts['targets']} indikator"
        + (f", {counts['responses']} respons contoh" if counts["responses"] else "")
        + (f", {counts['reports']} laporan kemajuan contoh (disetujui, ditolak, menunggu)."
           if counts.get("reports") else ".")
    )
    typer.echo("Mulai mengobrol: kinerja chat   •   Tautan & QR: kinerja link")
    typer.echo(
        "Mencoba alur pegawai: kinerja invite --unit DPMPTSP, lalu di kinerja chat: "
        "/daftar <kode>, /lapor, /status (atasan: /tinjau, /nilai, /ringkasan)"
    )


@app.command()
def chat(
    user: Annotated[str, typer.Option(help="ID orang yang mengobrol; beda ID = beda orang.")] = "1",
    files: Annotated[
        Path | None,
        typer.Option("--files", help="Folder tempat lampiran balasan disimpan "
                                     "(bawaan: folder sementara kinerja-chat)."),
    ] = None,
) -> None:
    """Mengobrol dengan bot di terminal (juga bisa lewat pipa/skrip).

    Pesan dorongan untuk --user ini (permintaan persetujuan, keputusan, pengingat,
    ringkasan) tampil saat tiba, tombolnya dipilih dengan nomor. Bukti: /lampir PATH
    atau ketik path berkas.
    """
    import tempfile

    from bot.app.console import chat as console_chat
    from bot.conversation.links import sign

    files_dir = files if files is not None else Path(tempfile.gettempdir()) / "kinerja-chat"

    async def go(a: App) -> int:
        if sys.stdin.isatty():
            async with a.store.reading() as r:
                points = await r.all_points()
            typer.echo("Obrolan konsol. Ketik /menu, atau tempel kode titik layanan, mis.:")
            for point in points[:3]:
                typer.echo(f"  /start {sign(point.code, a.secret_key)}   ({point.name})")
            if not points:
                typer.echo("  (belum ada titik layanan — jalankan: kinerja demo)")
            typer.echo(f"Pesan untuk pengguna {user} tampil saat tiba (🔔). Bukti: /lampir PATH. "
                       f"Lampiran disimpan di {files_dir}")
            typer.echo("Ctrl-D untuk keluar.\n")
        return await console_chat(a, user, files_dir)

    with_app(go)


@app.command("send-reminders")
def send_reminders() -> None:
    """Antrekan sekarang pengingat laporan minggu ini bagi pegawai terhubung yang belum
    melapor (tanpa kirim ganda; `kinerja run` mengirimnya, `kinerja chat --user ID`
    menampilkannya)."""
    from bot.jobs.weekly import ScheduleConfig, enqueue, plan_reminders
    from kinerja.periods import period_of

    schedule = ScheduleConfig.from_settings(settings())
    now = datetime.now(UTC)
    week = period_of("week", now, schedule.tz)

    async def go(a: Core) -> tuple[int, int]:
        async with a.store.reading() as r:
            pushes = await plan_reminders(r, week, schedule)
        return await enqueue(a.store, pushes, now), len(pushes)

    queued, planned = with_core(go)
    typer.echo(f"{queued} pengingat {week.label} diantrekan "
               f"({planned - queued} sudah pernah diantrekan).")


class LinkFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def link(
    format: Annotated[
        LinkFormat, typer.Option("--format", help="text atau json")
    ] = LinkFormat.text,
    qr: Annotated[
        Path | None, typer.Option("--qr", help="Tulis satu PNG kode QR per titik ke folder ini.")
    ] = None,
) -> None:
    """Setiap titik layanan dengan payload, tautan Telegram/WhatsApp, dan kode QR."""
    from bot.admin.links import point_links, write_qr_codes

    async def go(a: Core) -> list[dict[str, Any]]:
        return await point_links(a)

    rows = with_core(go)
    if qr is not None:
        active = [row for row in rows if row["active"]]
        written = write_qr_codes(active, qr, settings().link_channel)
        skipped = len(rows) - len(active)
        err().print(f"{len(written)} kode QR ditulis ke {qr}"
                    + (f" ({skipped} titik nonaktif tanpa QR)" if skipped else ""))
    if format is LinkFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        inactive = "" if row["active"] else "\t[NONAKTIF: tidak ada QR baru]"
        typer.echo(f"{row['code']}\t{row['unit']} / {row['service']} / {row['name']}{inactive}")
        typer.echo(f"  payload:  {row['payload']}")
        typer.echo(f"  telegram: {row['telegram_url'] or '-'}")
        if row.get("whatsapp_url"):
            typer.echo(f"  whatsapp: {row['whatsapp_url']}")


# --- imports -----------------------------------------------------------------

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
SheetOpt = Annotated[
    str | None,
    typer.Option("--sheet", help="Lembar XLSX (bawaan: lembar pertama yang punya kolom wajib)."),
]


def _import(kind: str, path: Path, sheet: str | None = None) -> None:
    from bot.admin.imports.apply import import_table

    common.import_file(
        path, kind,
        lambda core, table, progress: import_table(core, kind, table, progress=progress),
        sheet,
    )


@import_app.command("units")
def import_units(file: FileArg, sheet: SheetOpt = None) -> None:
    """Unit pelayanan: code, name, parent, population."""
    _import("units", file, sheet)


@import_app.command("services")
def import_services(file: FileArg, sheet: SheetOpt = None) -> None:
    """Jenis layanan: code, unit, name."""
    _import("services", file, sheet)


@import_app.command("points")
def import_points(file: FileArg, sheet: SheetOpt = None) -> None:
    """Titik layanan: code, service, name, officer_nip, active."""
    _import("points", file, sheet)


@import_app.command("skm")
def import_skm(file: FileArg, sheet: SheetOpt = None) -> None:
    """Hasil survei kertas: tanggal, point, 9 unsur, profil, saran, no_kuesioner."""
    _import("skm", file, sheet)


# --- reports -----------------------------------------------------------------


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    png = "png"
    docx = "docx"
    pdf = "pdf"


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Tulis ke berkas ini (bawaan: layar).")
]
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help="Bahasa judul kolom dan status: id atau en "
                                "(bawaan: KINERJA_LANGUAGE)."),
]


@report_app.command("skm")
def report_skm(
    unit: Annotated[
        str | None, typer.Option(help="Kode unit (termasuk unit di bawahnya).")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="2026, 2026-S2, 2026-Q4, 2026-11 atau 2026-W47 (bawaan: tahun ini)."),
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.text,
    output: OutputOption = None,
    lang: LangOption = None,
    trend: Annotated[
        int, typer.Option("--trend", min=1, max=12,
                          help="Tren: jumlah periode sejenis terakhir (termasuk periode ini).")
    ] = 4,
) -> None:
    """Indeks Kepuasan Masyarakat per unit (pohon unit: sendiri dan gabungan) dan keseluruhan,
    dengan status sampel Krejcie–Morgan, responden per profil (NA), IKM per segmen dan tren.

    xlsx (perlu --output): IKM per unit, NRR per unsur, responden per profil (dengan NA),
    IKM per segmen, tren, saran dengan tanggal, layanan dan titik layanan. png (perlu
    --output): grafik per unsur dan grafik tren (unit --unit, atau semua unit).
    docx/pdf (perlu --unit dan --output): Laporan Hasil Survei Kepuasan Masyarakat (BAB I–V).
    """
    from bot.admin import skm_report as reports
    from kinerja.periods import period_of

    config = settings()
    language = (lang or Language(config.language)).value
    binary = (ReportFormat.xlsx, ReportFormat.png, ReportFormat.docx, ReportFormat.pdf)
    if format in binary and output is None:
        raise fail(f"format {format.value} perlu --output BERKAS")
    written = format in (ReportFormat.docx, ReportFormat.pdf)
    if written and unit is None:
        raise fail(f"format {format.value} (laporan tertulis) perlu --unit KODE")
    chosen = common.chosen_period(period, period_of("year", datetime.now(UTC), config.tz))

    async def go(a: Core) -> tuple[dict[str, Any], list[Any], list[Any], Any]:
        detailed: list[Any] = []
        extras = None
        async with a.store.reading() as r:
            units = await r.units()
            if unit is not None:
                if unit not in {u["code"] for u in units}:
                    raise fail(f"unit {unit!r} tidak dikenal")
                wanted = reports.descendants(units, unit)
                units = [u for u in units if u["code"] in wanted]
            report, profiles = await reports.gather(
                r, units, chosen, config.tz, trend=trend,
                min_responses=config.public_ikm_min_responses)
            if format is ReportFormat.xlsx:
                start, end = chosen.bounds(config.tz)
                detailed = await r.suggestions_detailed(
                    start, end, [str(u["code"]) for u in units])
            if written:
                assert unit is not None
                extras = await reports.gather_written(r, unit, units, chosen, config.tz)
        return report, profiles, detailed, extras

    report, profiles, detailed, extras = with_core(go)
    content: str | bytes
    if format is ReportFormat.json:
        content = reports.as_json(report) + "\n"
    elif format is ReportFormat.csv:
        content = reports.as_csv(report)
    elif format is ReportFormat.xlsx:
        content = reports.as_xlsx(report, profiles, detailed, language, config.tz)
    elif format is ReportFormat.png:
        content = reports.as_png(report, unit, language)
    elif written:
        content = reports.as_document(report, unit or "", extras, format.value)
    else:
        content = reports.as_text(report) + "\n"
    write_output(content, output)


# --- running -----------------------------------------------------------------


@app.command()
def run() -> None:
    """Jalankan semua kanal yang dikonfigurasi (Telegram, WhatsApp), pengirim outbox dan
    halaman web (publik dan dasbor); tanpa kanal chat, hanya halaman web."""
    from bot.app.run import NothingConfigured, SecondPollingReplica, run_channels
    from bot.storage import SchemaTooNew

    config = settings()
    common.require_database(config)
    if config.telegram_token is None and config.whatsapp_missing():
        err().print(
            "[yellow]![/yellow] Tidak ada kanal chat yang dikonfigurasi: hanya halaman web "
            f"yang dijalankan (http://{config.web_host}:{config.web_port}/). Set "
            "KINERJA_TELEGRAM_TOKEN dan/atau KINERJA_WHATSAPP_* (lihat README). Untuk mencoba "
            "lokal: kinerja chat",
            highlight=False, soft_wrap=True,
        )
    if not config.secret("secret_key"):
        err().print(
            "[yellow]![/yellow] KINERJA_SECRET_KEY tidak diset: kunci yang menandatangani kode "
            f"QR hanya ada di basis data {common.database_label(config)}. Bot yang dijalankan "
            "dengan basis data lain akan membuat kunci baru dan semua kode QR tercetak tidak "
            "berlaku. Salin kuncinya ke .env (lihat README, Cadangan) dan cadangkan basis data.",
            highlight=False, soft_wrap=True,
        )
    try:
        common.run(run_channels(config, web_tools=web_commands.admin_tools))
    except (NothingConfigured, SecondPollingReplica) as exc:
        raise fail(str(exc)) from exc
    except SchemaTooNew as exc:
        raise fail(str(exc)) from exc
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass


@app.command("migrate-db")
def migrate_db(
    source: Annotated[str, typer.Option("--from", help="Berkas SQLite yang dipindahkan.")],
    target: Annotated[str, typer.Option("--to", help="postgresql://… (basis data kosong).")],
) -> None:
    """Pindahkan basis data SQLite ke PostgreSQL (semua tabel, id tetap), lalu periksa."""
    from bot.admin.migrate_db import ReportsDiffer
    from bot.admin.migrate_db import migrate_db as move
    from bot.storage import SchemaTooNew
    from bot.storage.copy import CopyRefused
    from bot.storage.dialect import parse_target, redacted

    if parse_target(source).dialect.postgresql or not parse_target(target).dialect.postgresql:
        raise fail("--from: berkas SQLite; --to: postgresql://…")
    if not Path(parse_target(source).location).is_file():
        raise fail(f"berkas {source} tidak ada")
    try:
        counts, years = common.run(move(source, target, settings().tz))
    except (CopyRefused, ReportsDiffer, SchemaTooNew) as exc:
        raise fail(str(exc)) from exc
    rows = sum(counts.values())
    typer.echo(
        f"Disalin ke {redacted(target)}: {len(counts)} tabel, {rows} baris (jumlah per tabel "
        f"sama); laporan SKM sama untuk {', '.join(years) or 'tidak ada tahun dengan respons'}."
    )


staff.register(app, import_app, report_app)
ops.register(app)
roster.register(app)
import_help.describe(import_app)
summaries.register(app, import_app, report_app)
rtl.register(app, import_app, report_app)
web_commands.register(app)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
