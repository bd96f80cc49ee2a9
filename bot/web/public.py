"""The public pages (no login): ``/`` (the units as a tree), ``/unit/<code>`` (one unit),
``/tv/<code>`` (the waiting-room screen) and ``/static/…``.

Numbers come from :class:`bot.web.results.Results`, i.e. from the same function as
``kinerja report skm --format json``; an IKM, mutu or NRR is shown only under the chat's
rule (``public_ikm_min_responses`` respondents and all nine unsur answered). Nothing
personal: counts and indices only; RTL and saran only as the unit published them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.storage import Store
from bot.web import results as res
from bot.web.qr import known_username, qr_svg, rate_links
from bot.web.site import PageCache, WebConfig, html_response, language, render, render_html, secured
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS
from kinerja.periods import Period, parse_period, period_of, trend_periods
from kinerja.render.labels import period_title

CACHE_PUBLIC = "public, max-age=30"
#: periods in a unit page's IKM trend (the same default as `report skm --trend`)
TREND_PERIODS = 4


def _period(request: Request, config: WebConfig, now: datetime) -> Period:
    """``?periode=`` when it is a period label from 2000 to next year, else this year (as
    ``report skm``): a page is never computed for a far-fetched period."""
    this_year = period_of("year", now, config.tz)
    text = request.query_params.get("periode")
    if text:
        try:
            chosen = parse_period(text)
        except ValueError:
            return this_year
        if 2000 <= chosen.start.year <= this_year.start.year + 1:
            return chosen
    return this_year


def _figures(entry: Mapping[str, Any] | None, config: WebConfig) -> dict[str, Any]:
    """One result as the pages show it (``shown``: the minimum-responses rule is met)."""
    if entry is None:
        return {"n": 0, "sample": None, "shown": False, "ikm": None, "mutu": None,
                "kinerja": None, "nrr": {}, "weakest": None}
    visible = res.shown(entry, config.min_responses)
    return {
        "n": entry["n"],
        "sample": entry["sample_size"],
        "shown": visible,
        "ikm": entry["ikm"] if visible else None,
        "mutu": entry["mutu"] if visible else None,
        "kinerja": entry["kinerja"] if visible else None,
        "nrr": entry["nrr"] if visible else {},
        "weakest": entry["weakest"] if visible else None,
    }


def _bars(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The per-unsur bars (25..100 = NRR × 25) in the official order."""
    bars = []
    for i, key in enumerate(UNSUR_KEYS):
        nrr = figures["nrr"].get(key)
        value = res.unsur_ikm(nrr)
        bars.append({"key": key, "i": i, "nrr": nrr, "value": value,
                     "width": 0 if value is None else round(value, 1),
                     "weakest": key == figures["weakest"]})
    return bars


def public_routes(store: Store, config: WebConfig, results: res.Results,
                  publications: res.Publications | None = None,
                  clock: Any = None) -> list[BaseRoute]:
    """The public routes over ``store`` (``clock``: a callable giving aware UTC now)."""
    published = publications if publications is not None else res.NothingPublished()
    now_of = clock or (lambda: datetime.now(UTC))
    pages = PageCache()

    async def home(request: Request) -> Response:
        lang = language(request, config.default_language)
        now = now_of()
        period = _period(request, config, now)
        report = await results.report(period)
        before = await results.report(period.previous())
        key = ("home", period.label, lang)
        today = now.astimezone(config.tz).date()
        html = pages.get(key, (report, before), today)
        if html is None:
            html = pages.put(key, (report, before), today,
                             home_html(report, before, period, now, lang))
        return html_response(request, html, lang=lang, headers={"Cache-Control": CACHE_PUBLIC})

    def home_html(report: dict[str, Any], before: dict[str, Any], period: Period,
                  now: datetime, lang: str) -> str:
        rows = []
        for entry in report["units"]:
            previous = res.find(before, entry["unit"])
            row = {"code": entry["unit"], "name": entry["name"], "depth": entry["depth"],
                   "own": _figures(entry, config),
                   "change": res.change(entry, previous, config.min_responses),
                   "pooled": None}
            if entry.get("pooled"):
                row["pooled"] = _figures(entry["pooled"], config)
                row["pooled_units"] = entry["pooled"]["units"] - 1
                row["pooled_change"] = res.change(
                    entry["pooled"], (previous or {}).get("pooled"), config.min_responses)
            rows.append(row)
        return render_html("home.html", {
            "period": period, "period_title": period_title(period, lang),
            "choices": [(p.label, period_title(p, lang))
                        for p in res.period_choices(now, config.tz)],
            "rows": rows, "overall": _figures(report["overall"], config),
            "overall_change": res.change(report["overall"], before["overall"],
                                         config.min_responses),
            "min": config.min_responses,
        }, lang=lang)

    async def not_found(request: Request, lang: str) -> Response:
        return render(request, "message.html", {"message_key": "web_not_found"},
                      lang=lang, status=404)

    async def unit(request: Request) -> Response:
        lang = language(request, config.default_language)
        code = request.path_params["code"]
        now = now_of()
        period = _period(request, config, now)
        report = await results.report(period)
        entry = res.find(report, code)
        if entry is None:
            return await not_found(request, lang)
        periods = trend_periods(period, TREND_PERIODS)
        reports = [await results.report(p) for p in periods]
        head = res.headline(entry)
        figures = _figures(head, config)
        counted = await results.profiles(period, code) if figures["shown"] else None
        rtl = await published.published_rtl(code, period)
        saran = await published.published_saran(code, period)
        key = ("unit", code, period.label, lang)
        sources = (*reports, counted)
        inputs = (now.astimezone(config.tz).date(), rtl, saran)
        html = pages.get(key, sources, inputs)
        if html is None:
            html = pages.put(key, sources, inputs, unit_html(
                code, entry, periods, reports, counted, rtl, saran, period, now, lang))
        return html_response(request, html, lang=lang, headers={"Cache-Control": CACHE_PUBLIC})

    def unit_html(code: str, entry: Mapping[str, Any], periods: list[Period],
                  reports: list[dict[str, Any]], counted: Any, rtl: Any, saran: Any,
                  period: Period, now: datetime, lang: str) -> str:
        head = res.headline(entry)
        figures = _figures(head, config)
        trend = []
        for p, report in zip(periods, reports, strict=True):
            found = res.find(report, code)
            shown = _figures(res.headline(found) if found else None, config)
            trend.append({"label": p.label, "title": period_title(p, lang),
                          "ikm": shown["ikm"], "n": shown["n"]})
        profiles: dict[str, Any] = {}
        if counted is not None:
            profiles = {field: [(value, counted[field].get(value, 0))
                                for value in (*options, None)]
                        for field, options in PROFILE_OPTIONS.items()}
        return render_html("unit.html", {
            "code": code, "name": entry["name"], "period": period,
            "period_title": period_title(period, lang),
            "choices": [(p.label, period_title(p, lang))
                        for p in res.period_choices(now, config.tz)],
            "figures": figures, "bars": _bars(figures),
            "pooled_units": (entry["pooled"]["units"] - 1) if entry.get("pooled") else 0,
            "own": _figures(entry, config) if entry.get("pooled") else None,
            "trend": trend, "profiles": profiles,
            "rtl": rtl, "saran": saran, "min": config.min_responses,
        }, lang=lang)

    async def tv(request: Request) -> Response:
        lang = language(request, config.default_language)
        code = request.path_params["code"]
        now = now_of()
        period = _period(request, config, now)
        report = await results.report(period)
        entry = res.find(report, code)
        if entry is None:
            return await not_found(request, lang)
        figures = _figures(res.headline(entry), config)
        async with store.reading() as r:
            points = [p for p in await r.all_points() if p.unit_code == code and p.active]
        wanted = request.query_params.get("titik")
        point = next((p for p in points if p.code == wanted), points[0] if points else None)
        qr = None
        if point is not None:
            username = await known_username(store, config.telegram_username)
            links = rate_links(point.code, config.secret_key, username, config.whatsapp_number)
            url = links.get("telegram") or links.get("whatsapp")
            if url:
                qr = {"svg": qr_svg(url, scale=8, title=f"{point.service_name} — {point.name}"),
                      "point": f"{point.service_name} — {point.name}",
                      "channel": "telegram" if "telegram" in links else "whatsapp"}
        rtl_done = [r for r in await published.published_rtl(code, period)
                    if r.get("status") == "selesai"]
        return render(request, "tv.html", {
            "code": code, "name": entry["name"], "period_title": period_title(period, lang),
            "figures": figures, "bars": _bars(figures), "qr": qr,
            "rtl_done": rtl_done[-1] if rtl_done else None,
            "refresh": config.tv_refresh_seconds, "min": config.min_responses,
            "updated": now.astimezone(config.tz).strftime("%H:%M"),
        }, lang=lang, headers={"Cache-Control": "no-cache"})

    return [
        Route("/", secured(home), methods=["GET"]),
        Route("/unit/{code}", secured(unit), methods=["GET"]),
        Route("/tv/{code}", secured(tv, frame_self=True), methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("bot.web", "static")]), name="static"),
    ]
