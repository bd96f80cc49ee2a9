"""Operating the installation: ``kinerja status``, ``kinerja backup FILE`` and ``kinerja
unblock``.

- ``status`` says which database this call would use (path, schema version, what it holds),
  where the signing key comes from and which channels are configured — the first thing to
  run when numbers look wrong or QR codes stop working.
- ``backup FILE`` copies the database consistently while the bot runs (SQLite's online
  backup, :mod:`bot.storage.backup`) and prints the copy's counts.
- ``unblock`` lists the chats locked out by wrong activation codes, and lifts the lockout
  of one (``telegram:12345``) or all (``--all``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.admin.common import fail, local_time, settings, with_store
from kinerja.numbers import format_number

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.storage import Store

_COUNT_WORDS = (
    ("units", "unit"), ("services", "layanan"), ("points", "titik layanan aktif"),
    ("points_inactive", "titik layanan nonaktif"), ("responses", "respons survei"),
    ("employees", "pegawai aktif"), ("employees_inactive", "pegawai nonaktif"),
    ("employees_linked", "pegawai terhubung ke chat"), ("indicators", "indikator SKP"),
    ("reports", "laporan kemajuan"), ("pending", "laporan menunggu tinjauan"),
    ("outbox", "pesan menunggu dikirim"),
)


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


def channels_status(config: Settings) -> dict[str, str]:
    """Per channel: ``"webhook"``/``"polling"`` (Telegram), ``"on"``, ``"partial: …"``
    (WhatsApp with some settings missing, which will not run) or ``"off"``."""
    telegram = "off"
    if config.telegram_token is not None:
        telegram = "webhook" if config.webhook_url else "polling"
    missing = config.whatsapp_missing()
    whatsapp = "on" if not missing else "off" if len(missing) == 4 else \
        "partial: " + ", ".join(missing)
    return {"telegram": telegram, "whatsapp": whatsapp}


async def collect_status(config: Settings, store: Store) -> dict[str, Any]:
    """Everything ``kinerja status`` prints, as JSON-able values."""
    from bot.app.core import secret_source
    from bot.storage.db import bundled_migrations

    async with store.reading() as r:
        counts = await r.status_counts()
        replicas = len(await r.live_replicas(datetime.now(UTC)))
        inbox = (await r.inbox_counts())["pending"]
    return {
        "database": store.path,
        "size_bytes": None,
        "schema_version": await store.schema_version(),
        "schema_latest": bundled_migrations()[-1].version,
        "secret_key": await secret_source(config, store),
        "timezone": config.timezone,
        "language": config.language,
        "evidence_dir": str(config.evidence_dir.expanduser().resolve()),
        "channels": channels_status(config),
        "counts": counts,
        "replicas": replicas,
        "inbox_pending": inbox,
    }


def status_text(status: dict[str, Any]) -> str:
    """The status in Indonesian, one fact a line."""
    size = status["size_bytes"]
    shown_size = f", {format_number(size / 1_048_576, decimals=1)} MB" if size is not None else ""
    key = {
        "settings": "dari pengaturan (KINERJA_SECRET_KEY)",
        "database": "hanya di basis data — set KINERJA_SECRET_KEY dan cadangkan "
                    "(kinerja backup): tanpa kunci ini kode QR yang tercetak tidak berlaku",
        None: "belum dibuat (dibuat saat pertama diperlukan dan disimpan di basis data)",
    }[status["secret_key"]]
    channels = status["channels"]
    telegram = {"off": "tidak dikonfigurasi (KINERJA_TELEGRAM_TOKEN)",
                "polling": "dikonfigurasi (long polling)",
                "webhook": "dikonfigurasi (webhook)"}[channels["telegram"]]
    whatsapp = channels["whatsapp"]
    whatsapp = ("dikonfigurasi" if whatsapp == "on" else
                "tidak dikonfigurasi (KINERJA_WHATSAPP_*)" if whatsapp == "off" else
                "TIDAK AKAN BERJALAN, belum diset: " + whatsapp.removeprefix("partial: "))
    lines = [
        f"Basis data:   {status['database']}{shown_size}",
        f"Skema:        {status['schema_version']} (program ini: {status['schema_latest']})",
        f"Kunci QR:     {key}",
        f"Telegram:     {telegram}",
        f"WhatsApp:     {whatsapp}",
        f"Zona waktu:   {status['timezone']}, bahasa {status['language']}",
        f"Folder bukti: {status['evidence_dir']}",
        f"Bot berjalan: {status['replicas']} proses (replika) hidup, "
        f"{status['inbox_pending']} pesan masuk belum diproses",
        "Isi:",
    ]
    lines += [f"  {status['counts'][key]:>7}  {words}" for key, words in _COUNT_WORDS]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add ``status``, ``backup`` and ``unblock`` to the CLI."""

    @app.command()
    def status(
        format: Annotated[StatusFormat, typer.Option("--format")] = StatusFormat.text,
    ) -> None:
        """Basis data yang dipakai (lokasi, skema, isi), asal kunci QR, dan kanal yang aktif."""
        config = settings()

        async def go(store: Store) -> dict[str, Any]:
            return await collect_status(config, store)

        found = with_store(go)
        if found["database"] != ":memory:" and not found["database"].startswith("postgres"):
            path = Path(found["database"]).resolve()
            found["database"] = str(path)
            found["size_bytes"] = path.stat().st_size
        if format is StatusFormat.json:
            typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        else:
            typer.echo(status_text(found))

    @app.command()
    def backup(
        file: Annotated[Path, typer.Argument(help="Berkas cadangan baru (tidak ditimpa).")],
    ) -> None:
        """Salinan basis data yang konsisten, juga saat bot berjalan (backup daring SQLite)."""
        from bot.admin.common import require_database
        from bot.storage.backup import BackupError, backup_database
        from bot.storage.dialect import parse_target

        config = settings()
        target = parse_target(config.db)
        if target.dialect.postgresql:
            raise fail(
                "kinerja backup hanya untuk basis data SQLite. Untuk PostgreSQL gunakan "
                "pg_dump, mis.: pg_dump --format=custom --file=kinerja.dump "
                "'postgresql://…' (pulihkan dengan pg_restore)."
            )
        require_database(config)
        try:
            result = backup_database(Path(target.location), file)
        except BackupError as exc:
            raise fail(str(exc)) from exc
        counts = ", ".join(f"{table} {n}" for table, n in result.counts.items())
        typer.echo(f"Cadangan dibuat: {result.path} ({format_number(result.size)} bita, skema "
                   f"{result.schema_version}).")
        typer.echo(f"Isi: {counts}")
        if not config.secret("secret_key"):
            typer.echo("Catatan: KINERJA_SECRET_KEY tidak diset — kunci QR ada di dalam "
                       "cadangan ini; simpan cadangan serahasia berkas .env.")

    @app.command()
    def unblock(
        chat: Annotated[
            str | None,
            typer.Argument(help="Chat yang dibuka, mis. telegram:12345 (seperti tertulis di "
                                "pesan yang diterima pegawai)."),
        ] = None,
        all_chats: Annotated[
            bool, typer.Option("--all", help="Buka semua chat yang terkunci.")
        ] = False,
    ) -> None:
        """Buka kunci /daftar setelah 5 kode salah; tanpa argumen: daftar chat terkunci."""
        from bot.conversation.flows.staff.register import FAILURE_WINDOW, MAX_FAILURES

        config = settings()
        now = datetime.now(UTC)
        if chat is not None and all_chats:
            raise fail("pilih salah satu: CHAT atau --all")
        channel = chat_id = None
        if chat is not None:
            channel, sep, chat_id = chat.partition(":")
            if not sep or not channel or not chat_id:
                raise fail(f"chat {chat!r} tidak dikenali: tulis KANAL:ID, mis. telegram:12345")

        async def go(store: Store) -> tuple[int, list[Any]]:
            async with store.reading() as r:
                blocked = await r.blocked_chats(now - FAILURE_WINDOW, MAX_FAILURES)
            if chat is None and not all_chats:
                return 0, blocked
            async with store.unit() as uow:
                cleared = await uow.clear_failed_activations(channel, chat_id)
            return cleared, blocked

        cleared, blocked = with_store(go)
        if chat is None and not all_chats:
            if not blocked:
                typer.echo("Tidak ada chat yang terkunci.")
                return
            for item in blocked:
                typer.echo(f"{item.channel}:{item.chat_id}\t{item.failures} kode salah, "
                           f"terakhir {local_time(item.last_at, config.tz)}")
            typer.echo("Buka dengan: kinerja unblock KANAL:ID (atau --all).")
            return
        if chat is not None and not cleared:
            typer.echo(f"{chat} tidak terkunci (tidak ada kode salah tercatat).")
            return
        scope = chat if chat is not None else "semua chat"
        typer.echo(f"Kunci dibuka untuk {scope}: boleh mencoba /daftar KODE lagi.")
