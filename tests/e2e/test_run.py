"""``kinerja run`` as deployed: settings → every piece wired → the fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime
from pathlib import Path

from bot.admin.demo import write_organisation
from bot.app.compose import open_app
from bot.app.run import run_channels
from bot.config import Settings
from bot.conversation.links import sign
from bot.conversation.messages import Reply
from tests.bot.staff_fixtures import STAF_A, invite, load_staff
from tests.conftest import read
from tests.fakes.telegram_api import (
    FakeTelegramAPI,
    bot_settings,
    telegram_api,  # noqa: F401  (pytest fixture)
)


async def seed(settings: Settings, *, invite_code: str | None = None) -> None:
    """The demo organisation, and with ``invite_code`` the test staff and a code for STAF_A."""
    app = await open_app(settings)
    try:
        async with app.store.unit() as uow:
            await write_organisation(uow)
        if invite_code is not None:
            await load_staff(app.store)
            await invite(app.store, STAF_A, invite_code, datetime.now(UTC))
    finally:
        await app.close()


async def test_run_serves_telegram_and_drains_the_outbox(
    telegram_api: FakeTelegramAPI, tmp_path: Path  # noqa: F811
) -> None:
    settings = bot_settings(telegram_api, db=tmp_path / "run.db", secret_key="run-secret")
    app = await open_app(settings)
    async with app.store.unit() as uow:
        await write_organisation(uow)
        await uow.enqueue("telegram", "700", Reply("Ada laporan baru untuk ditinjau."),
                                at=datetime.now(UTC),
                                kind="approval", dedup_key="report:1")
    await app.close()

    stop = asyncio.Event()
    running = asyncio.create_task(run_channels(settings, stop))
    try:
        await telegram_api.wait_for(lambda: telegram_api.texts(700), within=10)
        assert telegram_api.texts(700) == ["Ada laporan baru untuk ditinjau."]
        payload = sign("DUK-KTP-L1", b"run-secret")
        telegram_api.send_text(701, f"/start {payload}")
        await telegram_api.wait_for(
            lambda: any("Pertanyaan 1 dari 9" in t for t in telegram_api.texts(701)), within=10
        )
        commands = telegram_api.method_calls("setMyCommands")
        assert commands, "the commands menu is registered"
        assert telegram_api.method_calls("deleteWebhook"), "long polling drops any webhook"
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=15)

    app = await open_app(settings)
    try:
        [row] = await read(app.store, lambda r: r.items())
        assert row["status"] == "sent"
    finally:
        await app.close()


async def test_a_reply_telegram_could_not_take_arrives_later_through_the_outbox(
    telegram_api: FakeTelegramAPI, tmp_path: Path  # noqa: F811
) -> None:
    settings = bot_settings(telegram_api, db=tmp_path / "run.db", secret_key="run-secret")
    await seed(settings)
    stop = asyncio.Event()
    running = asyncio.create_task(run_channels(settings, stop))
    chat = 703
    try:
        await telegram_api.wait_for(lambda: telegram_api.method_calls("setMyCommands"), within=10)
        telegram_api.fail("sendMessage", 500, times=4, chat_id=chat)  # every retry of the reply
        telegram_api.send_text(chat, f"/start {sign('DUK-KTP-L1', b'run-secret')}")
        await telegram_api.wait_for(lambda: telegram_api.texts(chat), within=20)
        [late] = telegram_api.messages(chat)  # intro and first question, as one message
        assert "Survei Kepuasan Masyarakat" in (late.text or "")
        assert "Pertanyaan 1 dari 9" in (late.text or "") and len(late.flat_buttons) == 4

        telegram_api.tap(late, label=late.flat_buttons[3][0])  # and the survey goes on
        await telegram_api.wait_for(
            lambda: any("Pertanyaan 2 dari 9" in t for t in telegram_api.texts(chat)), within=10
        )
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=15)

    app = await open_app(settings)
    try:
        [row] = await read(app.store, lambda r: r.items())
        assert (row["kind"], row["status"]) == ("reply", "sent")
    finally:
        await app.close()


async def test_a_photo_sent_on_telegram_is_kept_as_evidence_with_its_hash(
    telegram_api: FakeTelegramAPI, tmp_path: Path  # noqa: F811
) -> None:
    import hashlib

    from tests.conftest import SECRET

    settings = bot_settings(telegram_api, db=tmp_path / "run.db", secret_key=SECRET.decode(),
                            evidence_dir=tmp_path / "bukti")
    await seed(settings, invite_code="ABCD2345")

    stop = asyncio.Event()
    running = asyncio.create_task(run_channels(settings, stop))
    chat = 702
    content = b"\x89PNG bukti rapat"

    async def says(text: str) -> None:
        await telegram_api.wait_for(
            lambda: any(text in t for t in telegram_api.texts(chat)), within=10
        )

    try:
        telegram_api.send_text(chat, "/daftar ABCD2345")
        await says("Berhasil")
        telegram_api.send_text(chat, "/lapor")
        await says("indikator")
        for text in ("1", "2", "Rekap verifikasi KTP-el"):
            before = len(telegram_api.texts(chat))
            telegram_api.send_text(chat, text)
            await telegram_api.wait_for(lambda b=before: len(telegram_api.texts(chat)) > b)
        telegram_api.send_photo(chat, content)
        await says("Tanggal kegiatan")
        telegram_api.send_text(chat, "1")
        await says("Kirim")
        telegram_api.send_text(chat, "Kirim")
        await says("tersimpan")
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=15)

    digest = hashlib.sha256(content).hexdigest()
    saved = list((tmp_path / "bukti").iterdir())
    assert [p.name.split(".")[0] for p in saved] == [digest]
    assert saved[0].read_bytes() == content


async def test_kinerja_run_on_whatsapp_survey_and_image_evidence(tmp_path: Path) -> None:
    """`kinerja run` with only WhatsApp configured: the webhook, a survey start, and a photo
    sent as /lapor evidence downloaded by media id and kept under its SHA-256."""
    import hashlib
    import socket

    import httpx

    from tests.conftest import SECRET
    from tests.fakes import graph_api as meta
    from tests.fakes.graph_api import FakeGraphAPI, Person

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    person = Person(wa_id="6281277770000", user_id="ID.7770001112223334", name="Andi")
    content = b"\xff\xd8 foto kegiatan"
    async with FakeGraphAPI() as graph:
        graph.add_media("media-77", content, "image/jpeg")
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            db=tmp_path / "wa.db", secret_key=SECRET.decode(), evidence_dir=tmp_path / "bukti",
            whatsapp_phone_id=meta.PHONE_ID, whatsapp_token=meta.TOKEN,
            whatsapp_app_secret=meta.APP_SECRET, whatsapp_verify_token=meta.VERIFY_TOKEN,
            whatsapp_base_url=graph.base_url, web_port=port,
        )
        await seed(settings, invite_code="WXYZ2345")

        stop = asyncio.Event()
        running = asyncio.create_task(run_channels(settings, stop))
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                async with asyncio.timeout(30):  # until the server listens, however long
                    while True:
                        try:
                            if (await http.get("/healthz")).status_code == 200:
                                break
                        except httpx.TransportError:
                            await asyncio.sleep(0.01)  # not up yet: let it start

                def said() -> str:
                    return "\n".join(
                        m.get("text", {}).get("body")
                        or m.get("interactive", {}).get("body", {}).get("text", "")
                        for m in graph.sent_to(person.chat_id)
                    )

                async def post(update: dict[str, object]) -> None:
                    body, headers = meta.signed(update)
                    answer = await http.post("/whatsapp/webhook", content=body, headers=headers)
                    assert answer.status_code == 200, answer.text

                async def until_said(words: str) -> None:
                    # 200 means recorded: the answer follows from the inbox
                    await graph.wait_for(lambda: words in said(), within=10)

                await post(meta.text(person, f"SKM {sign('DUK-KTP-L1', SECRET)}"))
                await until_said("Pertanyaan 1 dari 9")
                await post(meta.text(person, "/batal"))
                for text in ("/daftar WXYZ2345", "/lapor", "1", "2", "Rekap verifikasi"):
                    await post(meta.text(person, text))
                await post(meta.image(person, "media-77"))
                await until_said("Tanggal kegiatan")
                await post(meta.text(person, "1"))
                await post(meta.text(person, "Kirim"))
                await until_said("tersimpan")
        finally:
            stop.set()
            await asyncio.wait_for(running, timeout=15)

    digest = hashlib.sha256(content).hexdigest()
    saved = list((tmp_path / "bukti").iterdir())
    assert [p.name.split(".")[0] for p in saved] == [digest]
    assert saved[0].read_bytes() == content


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_run_in_webhook_mode_serves_the_webhook_and_healthz(
    telegram_api: FakeTelegramAPI, tmp_path: Path  # noqa: F811
) -> None:
    """With KINERJA_WEBHOOK_URL set, ``kinerja run`` registers the webhook with its secret,
    serves it on its own web server, and Telegram's deliveries reach the engine."""
    port = _free_port()
    settings = bot_settings(
        telegram_api, db=tmp_path / "hook.db", secret_key="run-secret",
        webhook_url=f"http://127.0.0.1:{port}", webhook_secret="rahasia_webhook", web_port=port,
    )
    await seed(settings)
    stop = asyncio.Event()
    running = asyncio.create_task(run_channels(settings, stop))
    try:
        telegram_api.send_text(702, f"/start {sign('DUK-KTP-L1', b'run-secret')}")
        await telegram_api.wait_for(
            lambda: any("Pertanyaan 1 dari 9" in t for t in telegram_api.texts(702)), within=10
        )
        assert 200 in telegram_api.webhook_posts
        assert telegram_api.method_calls("setWebhook")
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)
