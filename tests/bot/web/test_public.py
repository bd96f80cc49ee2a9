"""The public pages: the numbers of ``kinerja report skm --format json``, the chat's
minimum-responses rule, nothing personal, Indonesian by default and English by a switch,
security headers on every page."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.storage import Store
from bot.web.app import create_app
from bot.web.results import Results
from bot.web.site_routes import web_routes
from kinerja.numbers import format_index
from kinerja.periods import parse_period
from tests.bot.admin.test_cli import kinerja
from tests.bot.web.conftest import web_config
from tests.conftest import Clock


def cells(html: str, unit: str, scope: str = "") -> dict[str, str]:
    """The text of each ``data-field`` cell of a unit's row on ``/`` (``scope``: pooled)."""
    marker = f'data-unit="{unit}"' + (f' data-scope="{scope}"' if scope else ">")
    row = html[html.index(marker):]
    row = row[:row.index("</tr>")]
    return {m[1]: re.sub(r"<[^>]+>", "", m[2]).strip()
            for m in re.finditer(r'data-field="(\w+)">(.*?)</td>', row, re.S)}


def test_the_home_page_shows_the_report_skm_json_numbers(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    result = kinerja(tmp_path, "report", "skm", "--format", "json")
    report = json.loads(result.stdout)
    asyncio.run(_compare_pages(tmp_path, report))


async def _compare_pages(tmp_path: Path, report: dict) -> None:
    label = report["period"]
    store = await Store.open(tmp_path / "k.db")
    try:
        config = web_config(min_responses=1)
        app = create_app(web_routes(store, config, results=Results(store, config.tz),
                                    clock=lambda: datetime.now(UTC)))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://testserver") as client:
            page = (await client.get(f"/?periode={label}")).text
            checked = 0
            for entry in report["units"]:
                for scope, figures in (("", entry), ("pooled", entry.get("pooled"))):
                    if not figures:
                        continue
                    shown = cells(page, entry["unit"], scope)
                    assert shown["n"].startswith(str(figures["n"]))
                    if figures["ikm"] is not None:
                        assert shown["ikm"].split() == [format_index(figures["ikm"]),
                                                        figures["mutu"]]
                        checked += 1
                    unit_page = (await client.get(f"/unit/{entry['unit']}?periode={label}")).text
                    head = entry.get("pooled") or entry
                    if head["ikm"] is not None:
                        assert f'<span class="ikm">{format_index(head["ikm"])}</span>' in unit_page
                        for key, nrr in head["nrr"].items():
                            assert f'data-unsur="{key}"' in unit_page
                            assert format_index(nrr * 25) in unit_page
            assert checked >= 3
            overall = cells(page, "overall")
            assert overall["ikm"].split()[0] == format_index(report["overall"]["ikm"])
    finally:
        await store.close()


async def test_period_sums_from_day_totals_equal_the_reports_sums(rated: Store) -> None:
    """The pages read the per-day totals; the CLI report reads every response: the same sums
    for periods cut at Jakarta midnight (partial UTC days at both ends) and blank forms."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Jakarta")
    async with rated.reading() as r:
        codes = [str(u["code"]) for u in await r.units()]
        for label in ("2026", "2026-Q3", "2026-Q4", "2026-10", "2026-W40", "2025", "2024"):
            start, end = parse_period(label).bounds(tz)
            assert await r.period_sums_by_unit(start, end, codes) == \
                await r.answer_sums_by_unit(start, end, codes), label


async def test_the_minimum_responses_rule_and_nothing_personal(client: httpx.AsyncClient) -> None:
    page = (await client.get("/?periode=2026")).text
    pkm = cells(page, "PKM-SUKAMAJU")
    assert pkm["n"].startswith("5 dari")
    assert "Belum cukup responden (minimal 10)" in pkm["ikm"]
    unit = (await client.get("/unit/PKM-SUKAMAJU?periode=2026")).text
    assert "Belum cukup responden" in unit and 'data-unsur="' not in unit
    assert "Responden menurut profil" not in unit  # no profile counts under the minimum
    dpmptsp = cells(page, "DPMPTSP")
    assert dpmptsp["ikm"] == "Belum ada data" and dpmptsp["n"].startswith("0")
    # no saran is published unless the unit published it (none here)
    assert "Saran" not in unit


async def test_unit_page_trend_profiles_and_change(client: httpx.AsyncClient) -> None:
    page = (await client.get("/unit/DISDUKCAPIL?periode=2026")).text
    assert "<h2>Tren IKM</h2>" in page
    assert re.search(r'data-period="2025">Tahun 2025: \d+,\d+', page)
    assert 'data-period="2023">Tahun 2023: —' in page
    assert "Responden menurut profil" in page and "Tidak menjawab" in page
    home = (await client.get("/?periode=2026")).text
    assert re.match(r"[▲▼=]", cells(home, "DISDUKCAPIL")["change"])


async def test_english_by_a_switch_kept_in_a_cookie(client: httpx.AsyncClient) -> None:
    first = await client.get("/?lang=en")
    assert '<html lang="en">' in first.text and "Service units" in first.text
    assert "lang=en" in first.headers["set-cookie"]
    again = await client.get("/unit/DISDUKCAPIL")
    assert "Score per service element" in again.text
    back = await client.get("/?lang=id")
    assert "Unit pelayanan" in back.text


async def test_tv_page_big_ikm_bars_and_a_qr_to_rate(client: httpx.AsyncClient) -> None:
    page = await client.get("/tv/DISDUKCAPIL?periode=2026")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="60">' in page.text
    assert re.search(r'class="tv-ikm" data-field="ikm">\d+,\d+<', page.text)
    assert '<svg class="bars"' in page.text and 'class="qr"' in page.text
    assert "Pindai untuk menilai layanan kami" in page.text
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]


async def test_tv_without_a_configured_channel_shows_no_qr(rated: Store) -> None:
    config = web_config(telegram_username=None, whatsapp_number=None)
    app = create_app(web_routes(rated, config, clock=Clock()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        page = (await client.get("/tv/DISDUKCAPIL")).text
    assert 'class="qr"' not in page and "belum tersedia" in page


@pytest.mark.parametrize("path", ["/", "/unit/DISDUKCAPIL", "/tv/DISDUKCAPIL", "/unit/NOPE"])
async def test_security_headers_and_no_inline_script(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == (404 if "NOPE" in path else 200)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text and "style=" not in response.text
    assert "http://" not in response.text.replace("http://testserver", "")
    without_qr = re.sub(r'<svg viewBox="[^"]*" class="qr".*?</svg>', "", response.text,
                        flags=re.S)
    assert "https://" not in without_qr


async def test_static_files_are_served_from_the_package(client: httpx.AsyncClient) -> None:
    css = await client.get("/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert (await client.get("/static/../app.py")).status_code == 404


async def test_a_new_response_shows_once_the_cache_rechecks(rated: Store) -> None:
    """The cache is invalidated by a new response (checked every ``recheck`` seconds, at
    most every ``min_interval``): here both are 0, so the next request sees it."""
    from bot.conversation.ports.survey import NewResponse
    from kinerja.models import UNSUR_KEYS

    ticks = [0.0]
    results = Results(rated, web_config().tz, recheck=5, min_interval=20,
                      monotonic=lambda: ticks[0])
    period = parse_period("2026")
    before = await results.report(period)
    async with rated.reading() as r:
        point = await r.point_by_code("PTSP-NIB-M1")
    async with rated.unit() as uow:
        await uow.insert_responses([NewResponse(point.id, datetime(2026, 6, 1, tzinfo=UTC),
                                                "telegram", dict.fromkeys(UNSUR_KEYS, 4), {},
                                                None)])
    assert await results.report(period) == before  # cached
    ticks[0] = 10.0
    assert await results.report(period) == before  # rechecked, but too soon to recompute
    ticks[0] = 25.0
    after = await results.report(period)
    dpmptsp = next(u for u in after["units"] if u["unit"] == "DPMPTSP")
    assert dpmptsp["n"] == 1


async def test_rendered_pages_follow_new_responses(rated: Store) -> None:
    """Pages are kept rendered while their results are unchanged, and rendered again once
    a new response has been counted."""
    from bot.conversation.ports.survey import NewResponse
    from kinerja.models import UNSUR_KEYS

    config = web_config()
    results = Results(rated, config.tz, recheck=0, min_interval=0)
    app = create_app(web_routes(rated, config, results=results, clock=Clock()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        first = (await client.get("/unit/DPMPTSP?periode=2026")).text
        assert (await client.get("/unit/DPMPTSP?periode=2026")).text == first
        assert 'data-field="n">Responden: 0' in first
        async with rated.reading() as r:
            point = await r.point_by_code("PTSP-NIB-M1")
        async with rated.unit() as uow:
            await uow.insert_responses([NewResponse(
                point.id, datetime(2026, 6, 1, tzinfo=UTC), "telegram",
                dict.fromkeys(UNSUR_KEYS, 4), {}, None)])
        after = (await client.get("/unit/DPMPTSP?periode=2026")).text
        assert 'data-field="n">Responden: 1' in after
        home = (await client.get("/?periode=2026")).text
        assert cells(home, "DPMPTSP")["n"].startswith("1")


async def test_odd_periods_fall_back_to_this_year_and_the_cache_is_bounded(
        client: httpx.AsyncClient, rated: Store) -> None:
    for odd in ("1066", "9999-Q4", "nonsense", "2026-Q9"):
        page = await client.get(f"/?periode={odd}")
        assert page.status_code == 200 and "— Tahun 2026</h1>" in page.text
    results = Results(rated, web_config().tz, max_entries=2)
    for label in ("2024", "2025", "2026"):
        await results.report(parse_period(label))
    assert len(results) == 2
