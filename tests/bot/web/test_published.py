"""The unit page publishes what the unit published: the RTL with its status, and only the
saran marked ``dipublikasikan`` (:class:`bot.web.results.StorePublications`), read from the
same storage the chat's /saran and /tindaklanjut write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest

from bot.conversation.ports.rtl import NewRtl
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from bot.web.app import create_app
from bot.web.results import Results, StorePublications
from bot.web.site_routes import web_routes
from kinerja.models import UNSUR_KEYS
from tests.bot.web.conftest import web_config
from tests.conftest import Clock

AT = datetime(2026, 10, 20, 3, 0, tzinfo=UTC)


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
async def client(rated: Store, web_clock: Clock, ticks: Ticks
                 ) -> AsyncIterator[httpx.AsyncClient]:
    """The site with the store's publications, kept 30 s by ``ticks``."""
    config = web_config()
    published = StorePublications(rated, config.tz, monotonic=ticks, max_age=30)
    app = create_app(web_routes(rated, config, results=Results(rated, config.tz),
                                publications=published, clock=web_clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as c:
        yield c


async def with_saran(store: Store, *texts: str) -> dict[str, int]:
    """One response with each saran at DUK-KTP-L1; their response ids by text."""
    async with store.reading() as r:
        point = next(p for p in await r.all_points() if p.code == "DUK-KTP-L1")
    async with store.unit() as uow:
        await uow.insert_responses([
            NewResponse(point.id, AT, "telegram", dict.fromkeys(UNSUR_KEYS, 3), {}, text)
            for text in texts])
    async with store.reading() as r:
        unit = next(u for u in await r.units() if u["code"] == "DISDUKCAPIL")
        start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        found = await r.unit_saran(int(unit["id"]), start, end, UTC)
    return {e.text: e.response_id for e in found}


async def test_a_published_saran_shows_an_unpublished_one_never(
        rated: Store, client: httpx.AsyncClient, ticks: Ticks) -> None:
    ids = await with_saran(rated, "Antrean terlalu panjang di loket KTP",
                           "Petugas kasar, nama saya Budi 0812", "Ruang tunggu panas")
    async with rated.unit() as uow:
        await uow.mark_saran(ids["Antrean terlalu panjang di loket KTP"], "dipublikasikan",
                             at=AT, by_name="kepala")
        await uow.mark_saran(ids["Ruang tunggu panas"], "ditindaklanjuti", at=AT,
                             by_name="kepala")
    page = (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
    assert "Saran yang dipublikasikan" in page
    assert "Antrean terlalu panjang di loket KTP" in page
    assert "Budi" not in page and "0812" not in page  # baru: never verbatim
    assert "Ruang tunggu panas" not in page  # ditindaklanjuti is not published
    # another unit's page quotes none of them, nor does another period
    assert "Antrean" not in (await client.get("/unit/PKM-SUKAMAJU?periode=2026")).text
    assert "Antrean" not in (await client.get("/unit/DISDUKCAPIL?periode=2025")).text
    # unpublished in the chat: off the page once what was read is 30 s old (the
    # dashboard's own marks show at once: tests/bot/web/test_head.py)
    async with rated.unit() as uow:
        await uow.mark_saran(ids["Antrean terlalu panjang di loket KTP"], "tidak_relevan",
                             at=AT, by_name="kepala")
    ticks.now += 29
    assert "Antrean" in (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
    ticks.now += 1
    assert "Antrean" not in (await client.get("/unit/DISDUKCAPIL?periode=2026")).text


async def test_the_rtl_shows_with_its_status_on_the_unit_and_tv_pages(
        rated: Store, client: httpx.AsyncClient, ticks: Ticks) -> None:
    async with rated.reading() as r:
        unit = next(u for u in await r.units() if u["code"] == "DISDUKCAPIL")
    async with rated.unit() as uow:
        first = await uow.add_rtl(NewRtl(int(unit["id"]), "2026-Q4", "waktu", "Tambah loket KTP",
                                         None, date(2026, 12, 20)), at=AT, by_name="kepala")
        await uow.add_rtl(NewRtl(int(unit["id"]), "2025-Q4", "biaya", "Papan tarif lama",
                                 None, date(2025, 12, 20)), at=datetime(2025, 10, 1, tzinfo=UTC),
                          by_name="kepala")
    page = (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
    assert "Rencana tindak lanjut" in page
    assert "Tambah loket KTP — rencana (0%, target 20/12/2026)" in page
    # an earlier item still open is listed as being worked on, and late
    assert "Papan tarif lama — rencana" in page and "terlambat" in page
    tv = (await client.get("/tv/DISDUKCAPIL?periode=2026")).text
    assert "Tambah loket KTP" not in tv  # the TV shows the latest done only
    async with rated.unit() as uow:
        await uow.update_rtl(first, at=AT, by_name="kepala", progress=100, status="selesai")
    ticks.now += 30
    page = (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
    assert "Tambah loket KTP — selesai (100%" in page
    tv = (await client.get("/tv/DISDUKCAPIL?periode=2026")).text
    assert "Tambah loket KTP — selesai" in tv
    # another period's page does not list this period's items
    assert "Tambah loket KTP" not in (await client.get("/unit/DISDUKCAPIL?periode=2025")).text
