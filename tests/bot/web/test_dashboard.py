"""The officers' dashboard: /dasbor login links, sessions, reviewing a report with its
evidence (the chat's rules and history, the employee told through the outbox), evidence
access, CSRF, and a role × route matrix over every route."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from bot.app.compose import build_engine
from bot.conversation import texts
from bot.conversation.engine import Engine
from bot.conversation.flow import EngineConfig
from bot.conversation.ports.reports import NewReport
from bot.conversation.weblogin import make_login_link
from bot.storage import Store
from bot.web.app import create_app
from bot.web.site_routes import web_routes
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, linked, load_staff
from tests.bot.web.conftest import web_config
from tests.conftest import SECRET, Chat, Clock, read

BASE = "http://testserver"


def png_bytes(width: int = 240, height: int = 160) -> bytes:
    """A real PNG (``width`` × ``height``, a blue and orange stripe)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + (b"\x0b\x53\x94" if y < height // 2 else b"\xf6\xb2\x6b") * width
                    for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


@dataclass
class Office:
    store: Store
    clock: Clock
    chats: dict[str, Chat]
    ids: dict[str, int]
    report_id: int
    evidence_dir: Path
    app: object

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=BASE)


async def add_report(store: Store, employee_id: int, clock: Clock, *, evidence_path: str | None,
                     sha: str | None, mime: str = "image/png") -> int:
    async with store.reading() as r:
        indicator = (await r.indicators_of(employee_id, 2026))[0]
    async with store.unit() as uow:
        report_id = await uow.submit_report(NewReport(
            indicator.id, employee_id, 3, "Verifikasi berkas pagi", date(2026, 11, 13),
            "test", clock(), evidence_kind="photo" if mime.startswith("image") else "document",
            evidence_ref="file-1", evidence_mime=mime, evidence_status="pending"))
        if evidence_path is not None:
            await uow.evidence_stored(report_id, evidence_path, sha or "")
    return report_id


@pytest.fixture
async def office(rated: Store, clock: Clock, tmp_path: Path) -> AsyncIterator[Office]:
    ids = await load_staff(rated)
    config = EngineConfig(secret_key=SECRET, public_ikm_min_responses=3,
                          admin_chat_ids=frozenset({"test:900"}))
    engine = build_engine(rated, config, clock=clock, web_url=BASE)
    chats = {}
    for chat_id, nip, code in (("200", KABID, "ABCD2345"), ("300", STAF_A, "EFGH2345"),
                               ("400", STAF_B, "MNPQ2345")):
        chats[nip] = Chat(engine, chat_id)
        await linked(chats[nip], rated, nip, code, clock())
    folder = tmp_path / "evidence"
    folder.mkdir()
    content = png_bytes()
    sha = hashlib.sha256(content).hexdigest()
    (folder / f"{sha}.png").write_bytes(content)
    (tmp_path / "secret.txt").write_text("rahasia")
    report_id = await add_report(rated, ids[STAF_A], clock, evidence_path=f"{folder}/{sha}.png",
                                 sha=sha)
    app = create_app(web_routes(rated, web_config(evidence_dir=str(folder)), clock=clock))
    yield Office(rated, clock, chats, ids, report_id, folder, app)


async def link_from_chat(chat: Chat) -> str:
    await chat.send("/dasbor")
    found = re.search(r"http://testserver(/masuk/[A-Za-z0-9_-]+)", chat.text)
    assert found, chat.text
    return found[1]


async def log_in(client: httpx.AsyncClient, path: str) -> httpx.Response:
    form = await client.get(path)
    assert form.status_code == 200, form.text
    pre = re.search(r'name="pre" value="([^"]+)"', form.text)
    assert pre
    return await client.post(path, data={"pre": pre[1]})


async def test_a_dasbor_link_logs_in_once(office: Office, caplog: pytest.LogCaptureFixture
                                          ) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="httpx")  # the control below (others may quiet it)
    path = await link_from_chat(office.chats[KABID])
    assert "sekali pakai, berlaku 10 menit" in office.chats[KABID].text
    async with office.client() as client:
        preview = await client.get(path)  # a chat app's link preview: the link still works
        assert preview.status_code == 200 and "Masuk" in preview.text
        done = await log_in(client, path)
        assert done.status_code == 303 and done.headers["location"] == "/dasbor"
        cookie = done.headers["set-cookie"]
        assert "kinerja_sesi=" in cookie and "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower() and "Secure" not in cookie
        home = await client.get("/dasbor")
        assert home.status_code == 200 and "Siti Rahmawati" in home.text
        assert "/dasbor/tinjau" in home.text and "/dasbor/impor" not in home.text
    async with office.client() as other:
        again = await log_in(other, path)
        assert again.status_code == 400 and "tidak berlaku" in again.text
    token = path.rsplit("/", 1)[1]
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert all(token not in line for line in ours)  # links are never logged (the client's
    # own request log, httpx's, is the only place it shows)
    assert any(token in r.getMessage() for r in caplog.records)  # the capture works
    async with office.store.reading() as r:  # only its hash is stored
        rows = await r.db.fetchall("SELECT * FROM web_login_links")
    assert rows and all(token not in str(tuple(row)) for row in rows)


async def test_a_link_expires_after_ten_minutes(office: Office) -> None:
    path = await link_from_chat(office.chats[KABID])
    office.clock.advance(minutes=10, seconds=1)
    async with office.client() as client:
        assert (await log_in(client, path)).status_code == 400


async def test_the_session_ends_when_idle_and_at_logout(office: Office) -> None:
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[KABID]))
        office.clock.advance(minutes=29)
        page = await client.get("/dasbor")
        assert page.status_code == 200
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        assert (await client.post("/keluar", data={})).status_code == 403  # no CSRF token
        out = await client.post("/keluar", data={"csrf": csrf})
        assert out.status_code == 200 and "sudah keluar" in out.text
        client.cookies.clear()
        assert (await client.get("/dasbor")).status_code == 401
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[KABID]))
        office.clock.advance(minutes=31)
        assert (await client.get("/dasbor")).status_code == 401


async def test_login_links_are_rate_limited(office: Office) -> None:
    chat = office.chats[STAF_B]
    for _ in range(5):
        await link_from_chat(chat)
    await chat.send("/dasbor")
    assert "terlalu banyak" in chat.text.lower()
    async with office.client() as client:
        form = await client.get("/masuk/salah")
        pre = re.search(r'name="pre" value="([^"]+)"', form.text)[1]
        for _ in range(10):
            assert (await client.post("/masuk/salah", data={"pre": pre})).status_code == 400
        assert (await client.post("/masuk/salah", data={"pre": pre})).status_code == 429


async def test_a_chat_that_is_not_linked_gets_no_link(office: Office) -> None:
    stranger = Chat(office.chats[KABID].engine, "555")
    await stranger.send("/dasbor")
    assert "Daftar dulu" in stranger.text and "/masuk/" not in stranger.text


async def test_https_sites_set_secure_cookies(office: Office) -> None:
    app = create_app(web_routes(office.store, web_config(public_url="https://skm.example"),
                                clock=office.clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="https://skm.example") as client:
        done = await log_in(client, await link_from_chat(office.chats[KABID]))
        assert "Secure" in done.headers["set-cookie"]


async def test_an_atasan_approves_a_report_seeing_its_photo(office: Office) -> None:
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[KABID]))
        page = await client.get("/dasbor/tinjau")
        assert "Andi Pratama — Dokumen KTP-el diverifikasi: 3 dokumen (13/11/2026)" in page.text
        assert f'<img src="/dasbor/bukti/{office.report_id}" alt="Foto bukti laporan' in page.text
        photo = await client.get(f"/dasbor/bukti/{office.report_id}")
        assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
        assert photo.content == png_bytes()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        refused = await client.post(f"/dasbor/tinjau/{office.report_id}",
                                    data={"action": "approve"})
        assert refused.status_code == 403  # no CSRF token: nothing decided
        assert (await read(office.store, lambda r: r.report_by_id(office.report_id))
                ).status == "pending"
        done = await client.post(f"/dasbor/tinjau/{office.report_id}",
                                 data={"action": "approve", "csrf": csrf})
        assert done.status_code == 303
        after = await client.get(done.headers["location"])
        assert "Laporan Andi Pratama disetujui." in after.text
        assert "Tidak ada laporan bawahan yang menunggu tinjauan." in after.text
    report = await read(office.store, lambda r: r.report_by_id(office.report_id))
    assert report.status == "approved"
    [decision] = await read(office.store, lambda r: r.decisions_of(office.report_id))
    assert (decision["action"], decision["by_employee_id"]) == ("approve", office.ids[KABID])
    pushes = [json.loads(i["payload"]) for i in await read(office.store, lambda r: r.items())
              if i["chat_id"] == "300" and i["kind"] == "feedback"]
    expected = texts.text("id", "decision_approved", atasan="Siti Rahmawati, S.Sos.",
                          indikator="Dokumen KTP-el diverifikasi", amount="3",
                          satuan="dokumen", date="13/11/2026", text="")
    assert [p["text"] for p in pushes] == [expected]


async def test_reject_needs_a_reason_and_a_comment_keeps_it_pending(office: Office) -> None:
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[KABID]))
        page = await client.get("/dasbor/tinjau")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        url = f"/dasbor/tinjau/{office.report_id}"
        bad = await client.post(url, data={"action": "reject", "csrf": csrf, "text": " "})
        assert "Tulis alasan" in (await client.get(bad.headers["location"])).text
        await client.post(url, data={"action": "comment", "csrf": csrf, "text": "Foto buram"})
        page = await client.get("/dasbor/tinjau")
        assert "Riwayat" in page.text and "Komentar: Foto buram" in page.text
        await client.post(url, data={"action": "reject", "csrf": csrf, "text": "Bukan 3"})
    report = await read(office.store, lambda r: r.report_by_id(office.report_id))
    assert report.status == "rejected"
    actions = [d["action"] for d in await read(office.store,
                                               lambda r: r.decisions_of(office.report_id))]
    assert actions == ["comment", "reject"]


async def test_evidence_only_for_who_may_review_it_and_no_path_traversal(office: Office) -> None:
    sneaky = await add_report(office.store, office.ids[STAF_A], office.clock,
                              evidence_path=str(office.evidence_dir / ".." / "secret.txt"),
                              sha="0" * 64)
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[STAF_B]))  # no reviewer of A
        assert (await client.get(f"/dasbor/bukti/{office.report_id}")).status_code == 403
        assert (await client.get("/dasbor/tinjau")).status_code == 403
    async with office.client() as client:
        assert (await client.get(f"/dasbor/bukti/{office.report_id}")).status_code == 401
        await log_in(client, await link_from_chat(office.chats[KABID]))
        assert (await client.get(f"/dasbor/bukti/{sneaky}")).status_code == 404
        for path in ("/dasbor/bukti/..%2F..%2Fsecret.txt", "/dasbor/bukti/../secret.txt",
                     "/dasbor/bukti/%2e%2e%2fsecret.txt", "/dasbor/bukti/1%00"):
            response = await client.get(path)
            assert response.status_code == 404 and "rahasia" not in response.text
    async with office.client() as client:  # the author sees their own evidence
        await log_in(client, await link_from_chat(office.chats[STAF_A]))
        assert (await client.get(f"/dasbor/bukti/{office.report_id}")).status_code == 200


# --- role × route matrix ---------------------------------------------------------------

ROLES = ("anonymous", "employee", "atasan", "admin")


async def session_for(office: Office, role: str, client: httpx.AsyncClient) -> str:
    """Log ``client`` in as ``role``; the CSRF token of its session ('' when anonymous)."""
    if role == "anonymous":
        return ""
    if role == "admin":
        async with office.store.unit() as uow:
            url = await make_login_link(uow, BASE, employee_id=None, is_admin=True,
                                        now=office.clock())
        path = url.removeprefix(BASE)
    else:
        path = await link_from_chat(office.chats[STAF_B if role == "employee" else KABID])
    await log_in(client, path)
    page = await client.get("/dasbor")
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


EXPECTED = {
    # route: status per role (anonymous, employee, atasan, admin)
    ("GET", "/"): (200, 200, 200, 200),
    ("GET", "/unit/{code}"): (200, 200, 200, 200),
    ("GET", "/tv/{code}"): (200, 200, 200, 200),
    ("GET", "/healthz"): (200, 200, 200, 200),
    ("GET", "/masuk/{token}"): (200, 200, 200, 200),
    ("POST", "/masuk/{token}"): (400, 400, 400, 400),
    ("GET", "/dasbor"): (401, 200, 200, 200),
    ("GET", "/dasbor/tinjau"): (401, 403, 200, 403),
    ("GET", "/dasbor/tim"): (401, 403, 200, 403),
    ("POST", "/dasbor/tinjau/{report_id}"): (401, 403, 303, 403),
    ("GET", "/dasbor/bukti/{report_id}"): (401, 403, 200, 403),
    ("GET", "/dasbor/titik"): (401, 403, 403, 200),
    ("GET", "/dasbor/pegawai"): (401, 403, 403, 200),
    ("POST", "/dasbor/titik"): (401, 403, 403, 400),
    ("POST", "/dasbor/titik/{code}"): (401, 403, 403, 400),
    ("POST", "/dasbor/pegawai"): (401, 403, 403, 400),
    ("GET", "/dasbor/pegawai/{nip}"): (401, 403, 403, 200),
    ("POST", "/dasbor/pegawai/{nip}"): (401, 403, 403, 400),
    ("GET", "/dasbor/poster/{code}.{fmt}"): (401, 403, 403, 200),
    ("GET", "/dasbor/impor"): (401, 403, 403, 200),
    ("POST", "/dasbor/impor"): (401, 403, 403, 400),
    ("GET", "/dasbor/undangan"): (401, 403, 403, 200),
    ("POST", "/dasbor/undangan"): (401, 403, 403, 400),
    ("POST", "/keluar"): (401, 200, 200, 200),
}


def concrete(path: str, office: Office) -> str:
    return (path.replace("{code}.{fmt}", "DUK-KTP-L1.png").replace("{code}", "DISDUKCAPIL")
            .replace("{token}", "tidak-ada").replace("{report_id}", str(office.report_id))
            .replace("{nip}", STAF_B))


def test_the_matrix_covers_every_route(office: Office) -> None:
    routes = set()
    for route in office.app.routes:  # type: ignore[attr-defined]
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                routes.add((method, route.path))
    assert routes == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
async def test_role_route_matrix(office: Office, role: str) -> None:
    """Each role's answer on every route (the POSTs carry a valid CSRF token, so what
    decides is the role; /keluar is last: it ends the session)."""
    column = ROLES.index(role)
    async with office.client() as client:
        csrf = await session_for(office, role, client)
        for (method, path), statuses in [*EXPECTED.items()][::1]:
            if path == "/keluar":
                continue
            url = concrete(path, office)
            if method == "GET":
                response = await client.get(url)
            else:
                data = {"csrf": csrf, "action": "comment", "text": "Cek", "kind": "units",
                        "pre": "x"}
                response = await client.post(url, data=data)
            assert response.status_code == statuses[column], (role, method, path)
        response = await client.post("/keluar", data={"csrf": csrf})
        assert response.status_code == EXPECTED[("POST", "/keluar")][column]


async def test_an_admin_upload_shows_row_errors_and_writes_nothing(office: Office,
                                                                   tmp_path: Path) -> None:
    """The import page runs the CLI's import machinery (handed down by ``kinerja run``):
    a broken staff file shows file/row/column errors in a table and stores nothing; a
    good one is written."""
    from bot.admin.web import admin_tools
    from bot.app.core import Core
    from bot.config import Settings

    core = Core(Settings(_env_file=None, db=":memory:"), office.store, SECRET)  # type: ignore[call-arg]
    app = create_app(web_routes(office.store, web_config(), clock=office.clock,
                                tools=admin_tools(core)))
    before = await read(office.store, lambda r: r.employees_by_nip())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        csrf = await session_for(office, "admin", c)
        broken = ("nip,nama,jabatan,unit,atasan\n"
                  "12345,Budi,Staf,DISDUKCAPIL,\n"
                  "199303032017031005,Rina,Staf,TIDAKADA,\n")
        page = await c.post("/dasbor/impor", data={"csrf": csrf, "kind": "employees"},
                            files={"file": ("pegawai.csv", broken.encode(), "text/csv")})
        assert page.status_code == 422
        rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                          page.text)
        assert ("pegawai.csv", "2", "nip") in [r[:3] for r in rows]
        assert ("pegawai.csv", "3", "unit") in [r[:3] for r in rows]
        assert await read(office.store, lambda r: r.employees_by_nip()) == before
        good = "nip,nama,jabatan,unit,atasan\n199303032017031005,Rina,Staf,DISDUKCAPIL,\n"
        page = await c.post("/dasbor/impor", data={"csrf": csrf, "kind": "employees"},
                            files={"file": ("pegawai.csv", good.encode(), "text/csv")})
        assert page.status_code == 200, page.text
    after = await read(office.store, lambda r: r.employees_by_nip())
    assert len(after) == len(before) + 1


async def test_the_team_progress_against_the_prorated_target(office: Office) -> None:
    async with office.store.unit() as uow:
        assert await uow.decide_report(office.report_id, office.ids[KABID], "approve", None,
                                       office.clock(), False)
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[KABID]))
        page = await client.get("/dasbor/tim")
    assert page.status_code == 200
    andi = page.text[page.text.index(f'data-nip="{STAF_A}"'):]
    andi = andi[:andi.index("</section>")]
    # 3 of 12 dokumen approved; 87.4% of 2026 gone on 16 Nov: 10.5 expected → 28.6%
    assert "<td>3 dokumen</td>" in andi and "<td>10,5 / 12</td>" in andi
    assert "<td>28,6%</td><td>tertinggal</td>" in andi
    assert 'role="img"' in andi and "Diagram capaian per indikator Andi Pratama" in andi


async def test_a_document_is_downloaded_and_old_logins_are_purged(office: Office) -> None:
    from bot.jobs.housekeeping import housekeeping

    content = b"%PDF-1.4 bukti"
    sha = hashlib.sha256(content).hexdigest()
    (office.evidence_dir / f"{sha}.pdf").write_bytes(content)
    report_id = await add_report(office.store, office.ids[STAF_A], office.clock,
                                 evidence_path=str(office.evidence_dir / f"{sha}.pdf"), sha=sha,
                                 mime="application/pdf")
    async with office.client() as client:
        await log_in(client, await link_from_chat(office.chats[KABID]))
        page = await client.get("/dasbor/tinjau")
        assert f'<a href="/dasbor/bukti/{report_id}" download>Unduh dokumen bukti</a>' in page.text
        document = await client.get(f"/dasbor/bukti/{report_id}")
        assert document.content == content
        assert document.headers["content-disposition"].startswith("attachment")
        assert document.headers["content-security-policy"] == "default-src 'none'; sandbox"
    office.clock.advance(days=2)
    await housekeeping(office.store, seen_days=7, clock=office.clock)
    async with office.store.reading() as r:
        left = await r.db.fetchone("SELECT (SELECT COUNT(*) FROM web_sessions),"
                                   " (SELECT COUNT(*) FROM web_login_links)")
    assert tuple(left) == (0, 0)


def tools_app(office: Office) -> object:
    """The office's web app with the CLI's admin tools (as ``kinerja run`` hands them)."""
    from bot.admin.web import admin_tools
    from bot.app.core import Core
    from bot.config import Settings

    core = Core(Settings(_env_file=None, db=":memory:"), office.store, SECRET)  # type: ignore[call-arg]
    return create_app(web_routes(office.store, web_config(), clock=office.clock,
                                 tools=admin_tools(core)))


async def test_an_admin_deactivates_a_point_and_an_employee(office: Office) -> None:
    office.app = tools_app(office)
    staff_b = office.client()
    await session_for(office, "employee", staff_b)  # STAF_B is logged in
    assert (await staff_b.get("/dasbor")).status_code == 200
    async with office.client() as client:
        csrf = await session_for(office, "admin", client)
        page = await client.get("/dasbor/titik")
        assert 'href="/dasbor/poster/DUK-KTP-L2.pdf"' in page.text
        done = await client.post("/dasbor/titik/DUK-KTP-L2",
                                 data={"csrf": csrf, "action": "deactivate"})
        assert done.status_code == 200 and "DUK-KTP-L2 dinonaktifkan" in done.text
        assert 'href="/dasbor/poster/DUK-KTP-L2.pdf"' not in done.text  # no poster
        assert (await client.get("/dasbor/poster/DUK-KTP-L2.pdf")).status_code == 404
        done = await client.post(f"/dasbor/pegawai/{STAF_B}", data={"csrf": csrf,
                                                                   "action": "deactivate"})
        assert f"Pegawai {STAF_B} dinonaktifkan" in done.text  # the CLI's own message
    point = await read(office.store, lambda r: r.point_by_code("DUK-KTP-L2"))
    assert point.active is False
    inactive = await read(office.store, lambda r: r.inactive_nips([STAF_B]))
    assert inactive == {STAF_B}
    assert (await staff_b.get("/dasbor")).status_code == 401  # their session ended
    await staff_b.aclose()
    await office.chats[STAF_B].send("/dasbor")  # the chat was unlinked with the deactivation
    assert "/masuk/" not in office.chats[STAF_B].text


async def test_an_admin_adds_and_edits_staff_and_points_with_the_clis_checks(
        office: Office) -> None:
    office.app = tools_app(office)
    new_nip = "199505052019031007"
    async with office.client() as client:
        csrf = await session_for(office, "admin", client)
        bad = await client.post("/dasbor/pegawai", data={
            "csrf": csrf, "nip": "123", "nama": "Tono", "jabatan": "Staf",
            "unit": "DISDUKCAPIL"})
        assert bad.status_code == 422 and "NIP" in bad.text
        added = await client.post("/dasbor/pegawai", data={
            "csrf": csrf, "nip": new_nip, "nama": "Tono", "jabatan": "Staf",
            "unit": "DISDUKCAPIL", "atasan": KABID})
        assert added.status_code == 200 and f"Pegawai {new_nip} Tono ditambahkan" in added.text
        form = await client.get(f"/dasbor/pegawai/{new_nip}")
        assert 'value="Tono"' in form.text and f'value="{KABID}"' in form.text
        edited = await client.post(f"/dasbor/pegawai/{new_nip}", data={
            "csrf": csrf, "action": "save", "jabatan": "Verifikator"})
        assert "diperbarui: jabatan" in edited.text
        loop = await client.post(f"/dasbor/pegawai/{KABID}", data={
            "csrf": csrf, "action": "save", "atasan": new_nip})
        assert loop.status_code == 422 and "lingkaran" in loop.text
        point = await client.post("/dasbor/titik", data={
            "csrf": csrf, "code": "DUK-KTP-L9", "service": "DUK-KTP", "name": "Loket 9"})
        assert "Titik layanan DUK-KTP-L9 ditambahkan" in point.text
        again = await client.post("/dasbor/titik", data={
            "csrf": csrf, "code": "DUK-KTP-L9", "service": "DUK-KTP", "name": "Loket 9"})
        assert again.status_code == 422 and "sudah ada" in again.text
    fields = await read(office.store, lambda r: r.employee_fields(new_nip))
    assert (fields["jabatan"], fields["atasan_nip"]) == ("Verifikator", KABID)
    assert (await read(office.store, lambda r: r.point_by_code("DUK-KTP-L9"))).name == "Loket 9"


async def test_an_admin_prints_invite_codes_that_link_a_chat(office: Office) -> None:
    """The invite sheet makes codes as ``kinerja invite --unit`` does; a code from the sheet
    links a chat with /daftar."""
    from bot.admin.web import admin_tools
    from bot.app.core import Core
    from bot.config import Settings

    async with office.store.unit() as uow:  # a new employee, not linked yet
        from bot.storage.employees import EmployeeRow

        await uow.upsert_employees([EmployeeRow("199404042018031006", "Rudi Hartono",
                                                "Operator", "DISDUKCAPIL", KABID)])
    core = Core(Settings(_env_file=None, db=":memory:"), office.store, SECRET)  # type: ignore[call-arg]
    app = create_app(web_routes(office.store, web_config(), clock=office.clock,
                                tools=admin_tools(core)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        csrf = await session_for(office, "admin", c)
        form = await c.get("/dasbor/undangan")
        assert 'option value="DISDUKCAPIL"' in form.text
        sheet = await c.post("/dasbor/undangan", data={"csrf": csrf, "unit": "DISDUKCAPIL"})
        assert sheet.status_code == 200 and sheet.headers["cache-control"] == "no-store"
        codes = re.findall(r'data-nip="(\d+)">.*?<p class="code">(\w+)</p>', sheet.text, re.S)
        # only those not linked to a chat yet: the Kadis and the new one
        assert sorted(nip for nip, _ in codes) == [KADIS, "199404042018031006"]
        bad = await c.post("/dasbor/undangan", data={"csrf": csrf, "unit": "NOPE"})
        assert bad.status_code == 422 and "tidak dikenal" in bad.text
    rudi = Chat(office.chats[KABID].engine, "600")
    await rudi.send(f"/daftar {dict(codes)['199404042018031006']}")
    assert "Berhasil" in rudi.text


async def test_dasbor_says_the_dashboard_is_off_without_a_public_url(engine: Engine) -> None:
    chat = Chat(engine, "700")
    await chat.send("/dasbor")
    assert "KINERJA_PUBLIC_URL" in chat.text and "/masuk/" not in chat.text
    await chat.send("/dashboard", language="en")
    assert "not enabled" in chat.text
