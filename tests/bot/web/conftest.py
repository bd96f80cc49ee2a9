"""A store with the demo organisation and hand-made responses, and the web app over it."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.conversation.ports.survey import NewResponse
from bot.storage import Store
from bot.web.app import create_app
from bot.web.results import Results
from bot.web.site import WebConfig
from bot.web.site_routes import web_routes
from kinerja.models import UNSUR_KEYS
from tests.conftest import SECRET, Clock

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


def responses(point_id: int, count: int, *, seed: int, start: datetime,
              spread_days: int = 60, blank_every: int = 0) -> list[NewResponse]:
    """``count`` responses to one point at random times in ``spread_days`` after ``start``
    (every ``blank_every``-th one a wholly blank paper form; a few blank answers)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        blank = bool(blank_every) and i % blank_every == 0
        answers = {k: (None if blank or rng.random() < 0.03 else rng.choice((2, 3, 3, 4, 4)))
                   for k in UNSUR_KEYS}
        at = start + timedelta(seconds=rng.randrange(spread_days * 86400))
        out.append(NewResponse(point_id, at, "paper" if blank else "telegram", answers,
                               {"jenis_kelamin": rng.choice(("Laki-laki", "Perempuan", None))},
                               None))
    return out


@pytest.fixture
async def rated(org: Store) -> Store:
    """Demo organisation; DISDUKCAPIL points 1-2 with 40 responses in 2026 (some blank
    forms) and 12 in 2025; PKM-SUKAMAJU 5 (under the minimum); DPMPTSP none."""
    async with org.reading() as r:
        points = {p.code: p.id for p in await r.all_points()}
    batch = [
        *responses(points["DUK-KTP-L1"], 25, seed=1, start=datetime(2026, 9, 1, tzinfo=UTC),
                   blank_every=9),
        *responses(points["DUK-KK-L3"], 15, seed=2, start=datetime(2026, 1, 1, tzinfo=UTC),
                   spread_days=300),
        *responses(points["DUK-KTP-L1"], 12, seed=3, start=datetime(2025, 3, 1, tzinfo=UTC)),
        *responses(points["PKM-UMUM-P1"], 5, seed=4, start=datetime(2026, 10, 1, tzinfo=UTC),
                   spread_days=30),
    ]
    async with org.unit() as uow:
        await uow.insert_responses(batch)
    return org


def web_config(**changes: object) -> WebConfig:
    values: dict[str, object] = {"secret_key": SECRET, "min_responses": 10,
                                 "telegram_username": "kinerja_bot",
                                 "public_url": "http://testserver"}
    values.update(changes)
    return WebConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def web_clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def client(rated: Store, web_clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(web_routes(rated, web_config(), results=Results(rated, web_config().tz),
                                clock=web_clock))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
