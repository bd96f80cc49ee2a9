"""The WhatsApp channel over real HTTP: webhook in (ASGI), Graph API out (a local fake).

A tiny fake engine stands in for the conversation engine: it records every
:class:`Inbound` and answers with questions of 2, 5 or 12 options, a long
text, or an echo of the media it got.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.channels.base import ChatUnreachable, Deliver, TransientSendError
from bot.channels.whatsapp.client import CHANNEL, WindowClosed, create_client
from bot.channels.whatsapp.sender import WhatsAppSender
from bot.channels.whatsapp.webhook import whatsapp_routes
from bot.conversation.messages import Attachment, Choice, Inbound, InboundKind, Reply
from bot.web.app import create_app
from tests.fakes import graph_api as meta
from tests.fakes.graph_api import FakeGraphAPI, Person

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
WARGA = Person()
LONG_LABEL = "Sangat sesuai dengan persyaratan yang diumumkan"


class MemoryWindows:
    """WindowDirectory in a dict (keeps the latest time, like storage must)."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str], datetime] = {}

    async def last_inbound_at(self, channel: str, chat_id: str) -> datetime | None:
        return self.last.get((channel, chat_id))

    async def touch_inbound(self, channel: str, chat_id: str, at: datetime) -> None:
        key = (channel, chat_id)
        self.last[key] = max(at, self.last.get(key, at))


@dataclass
class RecordingStatuses:
    """StatusListener that records, or fails when told to."""

    seen: list[tuple[str, str, str | None]] = field(default_factory=list)
    broken: bool = False

    async def on_status(self, message_id: str, status: str, error: str | None) -> None:
        if self.broken:
            raise RuntimeError("outbox down")
        self.seen.append((message_id, status, error))


def question(count: int) -> Reply:
    labels = [f"Pilihan {n}" for n in range(1, count + 1)]
    labels[0] = LONG_LABEL
    return Reply(
        f"Pertanyaan dengan {count} pilihan",
        tuple(Choice(f"q{count}:{n}", label) for n, label in enumerate(labels, start=1)),
    )


@dataclass
class FakeEngine:
    """A Handler: records inbounds, answers by keyword, honours ``deliver``."""

    inbounds: list[Inbound] = field(default_factory=list)

    async def handle(self, inbound: Inbound, deliver: Deliver | None = None) -> list[Reply]:
        self.inbounds.append(inbound)
        replies = self.answer(inbound)
        if deliver is not None:
            await deliver(replies)
        return replies

    @staticmethod
    def answer(inbound: Inbound) -> list[Reply]:
        if inbound.kind is InboundKind.MEDIA:
            assert inbound.media is not None
            return [Reply(f"Diterima {inbound.media.kind} {inbound.media.file_ref}")]
        if inbound.kind is InboundKind.CHOICE:
            return [Reply(f"Pilihan {inbound.choice_id}")]
        match inbound.text:
            case "dua":
                return [question(2)]
            case "lima":
                return [question(5)]
            case "banyak":
                return [question(12)]
            case "panjang":
                return [Reply("\n\n".join([" ".join(["kata"] * 150)] * 14))]
            case "rusak":
                raise RuntimeError("engine crashed")
            case _:
                return [Reply(f"Teks {inbound.text}")]


@dataclass
class RecordingDirectory:
    """The channel's ChatDirectory port: what it was told about chats."""

    unreachable: list[str] = field(default_factory=list)
    deferred: list[tuple[str, list[str]]] = field(default_factory=list)

    async def mark_unreachable(self, channel: str, chat_id: str) -> None:
        self.unreachable.append(chat_id)

    async def defer_replies(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        self.deferred.append((chat_id, [r.text for r in replies]))


@dataclass
class Harness:
    graph: FakeGraphAPI
    sender: WhatsAppSender
    engine: FakeEngine
    windows: MemoryWindows
    statuses: RecordingStatuses
    http: httpx.AsyncClient
    now: list[datetime]
    directory: RecordingDirectory

    async def post(
        self, payload: dict, *, signature: str | None = "good", body: bytes | None = None
    ) -> httpx.Response:
        raw, headers = meta.signed(payload)
        if signature is None:
            del headers["X-Hub-Signature-256"]
        elif signature != "good":
            headers["X-Hub-Signature-256"] = signature
        return await self.http.post("/whatsapp/webhook", content=body or raw, headers=headers)


@pytest.fixture
async def wa() -> AsyncIterator[Harness]:
    async with FakeGraphAPI() as graph:
        session = httpx.AsyncClient(timeout=5.0)
        client = create_client(
            phone_id=meta.PHONE_ID,
            token=meta.TOKEN,
            app_secret=meta.APP_SECRET,
            verify_token=meta.VERIFY_TOKEN,
            base_url=graph.base_url,
            session=session,
        )
        windows = MemoryWindows()
        now = [NOW]
        sender = WhatsAppSender(
            client,
            windows,
            templates={"default": "kinerja_pesan", "approval": "kinerja_persetujuan"},
            template_language="id",
            list_button="Pilih jawaban",
            clock=lambda: now[0],
            session=session,
        )
        engine, statuses, directory = FakeEngine(), RecordingStatuses(), RecordingDirectory()
        app = create_app(
            whatsapp_routes(sender, engine, statuses=statuses, directory=directory)
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as http:
            yield Harness(graph, sender, engine, windows, statuses, http, now, directory)
        await sender.aclose()


# --------------------------------------------------------------------------- verification


async def test_verification_challenge_answers_only_the_right_token(wa: Harness) -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    ok = await wa.http.get(
        "/whatsapp/webhook", params={**params, "hub.verify_token": meta.VERIFY_TOKEN}
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = await wa.http.get("/whatsapp/webhook", params={**params, "hub.verify_token": "nope"})
    assert wrong.status_code == 403 and "1158201444" not in wrong.text
    missing = await wa.http.get("/whatsapp/webhook", params=params)
    assert missing.status_code == 403


# --------------------------------------------------------------------------- signatures


@pytest.mark.parametrize(
    ("signature", "status"),
    [(None, 401), ("sha256=" + "0" * 64, 403), (meta.signature(b"{}"), 403)],
    ids=["missing", "wrong", "other-body"],
)
async def test_unsigned_or_badly_signed_posts_are_refused_and_not_processed(
    wa: Harness, signature: str | None, status: int
) -> None:
    response = await wa.post(meta.text(WARGA, "dua"), signature=signature)
    assert response.status_code == status
    assert wa.engine.inbounds == [] and wa.graph.messages == [] and wa.windows.last == {}


async def test_a_body_signed_with_another_secret_is_refused(wa: Harness) -> None:
    body, headers = meta.signed(meta.text(WARGA, "dua"), app_secret="someone-else")
    response = await wa.http.post("/whatsapp/webhook", content=body, headers=headers)
    assert response.status_code == 403 and wa.engine.inbounds == []


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"object": "whatsapp_business_account", "entry": ["x"]}'],
    ids=["not-json", "not-an-object", "malformed"],
)
async def test_a_signed_body_that_is_not_an_update_is_a_bad_request(
    wa: Harness, body: bytes
) -> None:
    headers = {"X-Hub-Signature-256": meta.signature(body)}
    response = await wa.http.post("/whatsapp/webhook", content=body, headers=headers)
    assert response.status_code == 400 and wa.engine.inbounds == []


# --------------------------------------------------------------------------- translation


async def test_text_becomes_inbound_keyed_by_bsuid_and_touches_the_window(wa: Harness) -> None:
    sent_at = NOW - timedelta(minutes=3)
    response = await wa.post(
        meta.text(WARGA, "SKM unit7:abc", wamid="wamid.A1", ts=sent_at.timestamp())
    )
    assert response.status_code == 200
    assert wa.engine.inbounds == [
        Inbound(
            CHANNEL, WARGA.chat_id, InboundKind.TEXT, text="SKM unit7:abc", message_id="wamid.A1"
        )
    ]
    assert WARGA.chat_id == "ID.1410018717833190"
    assert wa.windows.last == {(CHANNEL, WARGA.chat_id): sent_at}
    [out] = wa.graph.messages
    assert out["recipient"] == WARGA.chat_id and out["text"]["body"] == "Teks SKM unit7:abc"


async def test_slash_commands_become_commands(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, "/start unit7:abc"))
    [inbound] = wa.engine.inbounds
    assert (inbound.kind, inbound.command, inbound.text) == (
        InboundKind.COMMAND,
        "start",
        "unit7:abc",
    )


async def test_a_typed_number_stays_text_for_the_engine(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, " 2 "))
    [inbound] = wa.engine.inbounds
    assert (inbound.kind, inbound.text, inbound.choice_id) == (InboundKind.TEXT, "2", None)


async def test_a_reply_button_becomes_a_choice(wa: Harness) -> None:
    await wa.post(meta.button_reply(WARGA, "q2:1", "Sangat sesuai…", wamid="wamid.B1"))
    [inbound] = wa.engine.inbounds
    assert inbound == Inbound(
        CHANNEL,
        WARGA.chat_id,
        InboundKind.CHOICE,
        text="Sangat sesuai…",
        choice_id="q2:1",
        message_id="wamid.B1",
    )


async def test_a_list_row_becomes_a_choice(wa: Harness) -> None:
    await wa.post(meta.list_reply(WARGA, "q5:4", "4. Pilihan 4", "desc", wamid="wamid.L1"))
    [inbound] = wa.engine.inbounds
    assert (inbound.kind, inbound.choice_id, inbound.message_id) == (
        InboundKind.CHOICE,
        "q5:4",
        "wamid.L1",
    )


async def test_a_template_quick_reply_is_read_as_its_payload_typed(wa: Harness) -> None:
    await wa.post(meta.template_button(WARGA, "Buka", "/menu"))
    [inbound] = wa.engine.inbounds
    assert (inbound.kind, inbound.command) == (InboundKind.COMMAND, "menu")


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        (
            "audio",
            {"audio": {"id": "V1", "mime_type": "audio/ogg", "sha256": "x", "voice": True}},
            ("voice", "V1"),
        ),
        (
            "audio",
            {"audio": {"id": "A1", "mime_type": "audio/mpeg", "sha256": "x", "voice": False}},
            ("audio", "A1"),
        ),
        (
            "video",
            {"video": {"id": "VID", "mime_type": "video/mp4", "sha256": "x"}},
            ("video", "VID"),
        ),
        (
            "sticker",
            {"sticker": {"id": "S1", "mime_type": "image/webp", "sha256": "x", "animated": False}},
            ("sticker", "S1"),
        ),
        (
            "location",
            {"location": {"latitude": -6.2, "longitude": 106.8}},
            ("location", "geo:-6.2,106.8"),
        ),
        (
            "unsupported",
            {"errors": [{"code": 131051, "title": "Unsupported", "message": "Unsupported"}]},
            ("other", ""),
        ),
    ],
    ids=["voice", "audio", "video", "sticker", "location", "unsupported"],
)
async def test_other_messages_become_media_of_their_kind(
    wa: Harness, kind: str, content: dict, expected: tuple[str, str]
) -> None:
    await wa.post(meta.batch([(WARGA, meta.message(WARGA, kind, content))]))
    [inbound] = wa.engine.inbounds
    assert inbound.kind is InboundKind.MEDIA and inbound.media is not None
    assert (inbound.media.kind, inbound.media.file_ref) == expected


async def test_a_message_pywa_cannot_read_still_reaches_the_engine(wa: Harness) -> None:
    broken = {"image": {"id": "IMG"}}  # no mime_type / sha256: pywa cannot build it
    await wa.post(meta.batch([(WARGA, meta.message(WARGA, "image", broken, wamid="wamid.X"))]))
    [inbound] = wa.engine.inbounds
    assert (inbound.chat_id, inbound.kind, inbound.message_id) == (
        WARGA.chat_id,
        InboundKind.MEDIA,
        "wamid.X",
    )
    assert inbound.media is not None and inbound.media.kind == "other"


async def test_reactions_are_not_messages_to_the_bot(wa: Harness) -> None:
    reaction = {"reaction": {"message_id": "wamid.out1", "emoji": "👍"}}
    assert (
        await wa.post(meta.batch([(WARGA, meta.message(WARGA, "reaction", reaction))]))
    ).status_code == 200
    assert wa.engine.inbounds == [] and wa.windows.last == {}


async def test_opening_the_chat_for_the_first_time_is_a_start(wa: Harness) -> None:
    await wa.post(meta.batch([(WARGA, meta.message(WARGA, "request_welcome", {}))]))
    [inbound] = wa.engine.inbounds
    assert (inbound.kind, inbound.command, inbound.text) == (InboundKind.COMMAND, "start", "")


async def test_before_bsuids_the_phone_number_keys_the_person(wa: Harness) -> None:
    legacy = Person(wa_id="6289900001111", user_id=None)
    await wa.post(meta.text(legacy, "halo"))
    [inbound] = wa.engine.inbounds
    assert inbound.chat_id == "6289900001111"
    assert wa.graph.messages[0]["to"] == "6289900001111"


async def test_a_person_without_a_visible_number_is_keyed_and_answered_by_bsuid(
    wa: Harness,
) -> None:
    hidden = Person(wa_id=None, user_id="ID.99887766554433")
    await wa.post(meta.text(hidden, "halo"))
    assert wa.engine.inbounds[0].chat_id == "ID.99887766554433"
    assert wa.graph.sent_to("ID.99887766554433")[0]["recipient"] == "ID.99887766554433"


async def test_a_retried_delivery_reaches_the_engine_with_the_same_message_id(
    wa: Harness,
) -> None:
    payload = meta.text(WARGA, "halo", wamid="wamid.RETRY")
    assert (await wa.post(payload)).status_code == 200
    assert (await wa.post(payload)).status_code == 200
    assert [i.message_id for i in wa.engine.inbounds] == ["wamid.RETRY", "wamid.RETRY"]


async def test_every_message_of_a_batched_update_is_handled_in_order(wa: Harness) -> None:
    other = Person(wa_id="6281300000000", user_id="ID.222", name="Ani")
    payload = meta.batch(
        [
            (WARGA, meta.text_message(WARGA, "satu")),
            (other, meta.text_message(other, "dua")),
        ],
        [meta.status("wamid.out9", "delivered")],
    )
    await wa.post(payload)
    assert [(i.chat_id, i.text) for i in wa.engine.inbounds] == [
        (WARGA.chat_id, "satu"),
        ("ID.222", "dua"),
    ]
    assert wa.statuses.seen == [("wamid.out9", "delivered", None)]


async def test_updates_for_another_phone_number_are_ignored(wa: Harness) -> None:
    payload = meta.batch([(WARGA, meta.text_message(WARGA, "halo"))], phone_id="999")
    assert (await wa.post(payload)).status_code == 200
    assert wa.engine.inbounds == []


async def test_an_engine_failure_answers_500_so_meta_retries(wa: Harness) -> None:
    payload = meta.batch(
        [(WARGA, meta.text_message(WARGA, "rusak")), (WARGA, meta.text_message(WARGA, "halo"))]
    )
    response = await wa.post(payload)
    assert response.status_code == 500
    assert [i.text for i in wa.engine.inbounds] == ["rusak", "halo"]  # the rest still ran


# --------------------------------------------------------------------------- rendering


async def test_two_choices_are_sent_as_reply_buttons(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, "dua"))
    [out] = wa.graph.messages
    assert out["type"] == "interactive" and out["interactive"]["type"] == "button"
    buttons = out["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["q2:1", "q2:2"]
    assert [b["reply"]["title"] for b in buttons] == ["Sangat sesuai denga…", "Pilihan 2"]
    body = out["interactive"]["body"]["text"]
    assert body == f"Pertanyaan dengan 2 pilihan\n\n1. {LONG_LABEL}\n2. Pilihan 2"


async def test_five_choices_are_sent_as_a_list(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, "lima"))
    [out] = wa.graph.messages
    interactive = out["interactive"]
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Pilih jawaban"
    [section] = interactive["action"]["sections"]
    rows = section["rows"]
    assert [r["id"] for r in rows] == [f"q5:{n}" for n in range(1, 6)]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert rows[0]["description"] == LONG_LABEL and "description" not in rows[1]
    assert rows[1]["title"] == "2. Pilihan 2"


async def test_twelve_choices_are_sent_as_numbered_text(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, "banyak"))
    [out] = wa.graph.messages
    assert out["type"] == "text"
    lines = out["text"]["body"].splitlines()
    assert lines[2] == f"1. {LONG_LABEL}" and lines[-1] == "12. Pilihan 12"


async def test_a_long_text_is_split_under_4096(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, "panjang"))
    bodies = [m["text"]["body"] for m in wa.graph.messages]
    assert len(bodies) == 3 and all(len(b) <= 4096 for b in bodies)
    assert sum(b.count("kata") for b in bodies) == 150 * 14


async def test_attachments_are_uploaded_and_sent_as_image_and_document(wa: Harness) -> None:
    reply = Reply(
        "Ringkasan minggu ini",
        attachments=(
            Attachment("grafik.png", b"\x89PNG fake", "image/png"),
            Attachment(
                "rekap.xlsx",
                b"PK fake",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ),
    )
    ids = await wa.sender.send(WARGA.chat_id, reply)
    assert len(ids) == 3
    kinds = [m["type"] for m in wa.graph.messages]
    assert kinds == ["text", "image", "document"]
    png, xlsx = wa.graph.uploads
    assert (png.content, png.mime_type) == (b"\x89PNG fake", "image/png")
    assert (xlsx.file_name, xlsx.content) == ("rekap.xlsx", b"PK fake")
    assert wa.graph.messages[1]["image"]["id"] == png.media_id
    assert wa.graph.messages[2]["document"] == {"id": xlsx.media_id, "filename": "rekap.xlsx"}


# --------------------------------------------------------------------------- media


async def test_an_image_becomes_media_and_downloads_from_the_graph_api(wa: Harness) -> None:
    wa.graph.add_media("MEDIA-1", b"\xff\xd8 jpeg bytes", "image/jpeg")
    await wa.post(meta.image(WARGA, "MEDIA-1", caption="bukti"))
    [inbound] = wa.engine.inbounds
    assert inbound.kind is InboundKind.MEDIA and inbound.media is not None
    assert (inbound.media.kind, inbound.media.file_ref, inbound.media.caption) == (
        "photo",
        "MEDIA-1",
        "bukti",
    )
    assert inbound.media.mime_type == "image/jpeg"
    assert await wa.sender.download("MEDIA-1") == b"\xff\xd8 jpeg bytes"


async def test_a_document_becomes_media_with_its_file_name(wa: Harness) -> None:
    await wa.post(meta.document(WARGA, "DOC-9", "laporan.pdf"))
    [inbound] = wa.engine.inbounds
    assert inbound.media is not None
    assert (inbound.media.kind, inbound.media.file_ref, inbound.media.file_name) == (
        "document",
        "DOC-9",
        "laporan.pdf",
    )


async def test_downloading_unknown_media_is_a_lookup_error(wa: Harness) -> None:
    with pytest.raises(LookupError):
        await wa.sender.download("NOPE")


# --------------------------------------------------------------------------- statuses


async def test_statuses_reach_the_listener_and_a_failure_is_never_dropped(wa: Harness) -> None:
    payload = meta.batch(
        statuses=[
            meta.status("wamid.out1", "sent"),
            meta.status("wamid.out1", "delivered"),
            meta.status("wamid.out1", "read"),
            meta.status("wamid.out2", "failed", error_code=131026),
            meta.status("wamid.out3", "played"),
        ]
    )
    assert "contacts" not in payload["entry"][0]["changes"][0]["value"]  # as Meta sends failures
    assert (await wa.post(payload)).status_code == 200
    assert wa.statuses.seen == [
        ("wamid.out1", "sent", None),
        ("wamid.out1", "delivered", None),
        ("wamid.out1", "read", None),
        ("wamid.out2", "failed", "131026 Message undeliverable: Message undeliverable (fake)"),
    ]


async def test_a_status_listener_failure_answers_500(wa: Harness) -> None:
    wa.statuses.broken = True
    payload = meta.batch(statuses=[meta.status("wamid.out2", "failed", error_code=131047)])
    assert (await wa.post(payload)).status_code == 500


# --------------------------------------------------------------------------- the 24-hour window


async def test_push_inside_the_window_sends_the_message(wa: Harness) -> None:
    wa.windows.last[(CHANNEL, WARGA.chat_id)] = NOW - timedelta(hours=23)
    message_id = await wa.sender.push(WARGA.chat_id, question(2), kind="approval")
    [out] = wa.graph.messages
    assert out["type"] == "interactive" and message_id == "wamid.out1"


@pytest.mark.parametrize("last", [NOW - timedelta(hours=25), None], ids=["25h-ago", "never"])
async def test_push_outside_the_window_sends_the_kinds_template(
    wa: Harness, last: datetime | None
) -> None:
    if last is not None:
        wa.windows.last[(CHANNEL, WARGA.chat_id)] = last
    reply = Reply("Permintaan persetujuan:\nLaporan kinerja Budi, Maret", question(2).choices)
    message_id = await wa.sender.push(WARGA.chat_id, reply, kind="approval")
    [out] = wa.graph.messages
    assert message_id == "wamid.out1"
    assert out["type"] == "template"
    template = out["template"]
    assert template["name"] == "kinerja_persetujuan"
    assert template["language"] == {"code": "id"}
    assert template["components"] == [
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": "Permintaan persetujuan: Laporan kinerja Budi, Maret"}
            ],
        }
    ]


async def test_a_kind_without_its_own_template_uses_the_default(wa: Harness) -> None:
    await wa.sender.push(WARGA.chat_id, Reply("Ringkasan"), kind="summary")
    assert wa.graph.messages[0]["template"]["name"] == "kinerja_pesan"


async def test_an_inbound_message_reopens_the_window(wa: Harness) -> None:
    await wa.post(meta.text(WARGA, "halo", ts=(NOW - timedelta(minutes=1)).timestamp()))
    await wa.sender.push(WARGA.chat_id, Reply("Pengingat"), kind="reminder")
    assert [m["type"] for m in wa.graph.messages] == ["text", "text"]
    wa.now[0] = NOW + timedelta(hours=24)
    await wa.sender.push(WARGA.chat_id, Reply("Pengingat"), kind="reminder")
    assert wa.graph.messages[-1]["type"] == "template"


async def test_without_any_template_a_closed_window_is_transient(wa: Harness) -> None:
    wa.sender.templates = {}
    with pytest.raises(WindowClosed) as caught:
        await wa.sender.push(WARGA.chat_id, Reply("Ringkasan"), kind="summary")
    assert isinstance(caught.value, TransientSendError)
    assert wa.graph.messages == []


async def test_when_meta_says_the_window_closed_the_template_goes_instead(wa: Harness) -> None:
    wa.windows.last[(CHANNEL, WARGA.chat_id)] = NOW - timedelta(hours=1)
    wa.graph.fail(131047, message="Re-engagement message")
    await wa.sender.push(WARGA.chat_id, Reply("Ringkasan"), kind="summary")
    [out] = wa.graph.messages
    assert out["type"] == "template"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("code", "http_status", "expected"),
    [
        (131026, 400, ChatUnreachable),
        (131030, 400, ChatUnreachable),
        (130429, 400, TransientSendError),
        (131056, 400, TransientSendError),
        (131000, 500, TransientSendError),
        (190, 401, TransientSendError),
    ],
    ids=["undeliverable", "not-allowed", "rate-limit", "pair-rate-limit", "server", "token"],
)
async def test_graph_errors_map_to_the_sender_contract(
    wa: Harness, code: int, http_status: int, expected: type[Exception]
) -> None:
    wa.windows.last[(CHANNEL, WARGA.chat_id)] = NOW
    wa.graph.fail(code, http_status=http_status)
    with pytest.raises(expected) as caught:
        await wa.sender.push(WARGA.chat_id, Reply("Halo"))
    assert str(code) in str(caught.value)


async def test_an_unreachable_graph_api_is_transient(wa: Harness) -> None:
    await wa.graph.stop()
    wa.windows.last[(CHANNEL, WARGA.chat_id)] = NOW
    with pytest.raises(TransientSendError):
        await wa.sender.push(WARGA.chat_id, Reply("Halo"))


async def test_a_reply_meta_cannot_take_now_goes_to_the_outbox_not_back_to_meta(
    wa: Harness,
) -> None:
    wa.graph.fail(131000, http_status=500)
    response = await wa.post(meta.text(WARGA, "halo"))
    assert response.status_code == 200  # the engine already committed; a retry would be dropped
    assert wa.directory.deferred == [(WARGA.chat_id, ["Teks halo"])]
    assert wa.graph.messages == []


async def test_a_reply_to_an_unreachable_person_marks_the_chat(wa: Harness) -> None:
    wa.graph.fail(131026)
    response = await wa.post(meta.text(WARGA, "halo"))
    assert response.status_code == 200
    assert wa.directory.unreachable == [WARGA.chat_id]
    assert wa.directory.deferred == []
