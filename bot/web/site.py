"""What every web page shares: the settings it reads, the Jinja2 templates (package data), the
language of a request, number formatting and the security headers.

Pages are Indonesian unless the reader switched to English (``?lang=en``, kept in a cookie);
every sentence comes from the chat's catalogs (``web_*`` keys of
``bot/conversation/texts``). Every response carries a content security policy that allows
only this origin (no inline script, no third party) and denies framing; the TV page may be
framed by this origin only (a signage player that wraps it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.conversation import texts
from kinerja.models import UNSUR_NAMES
from kinerja.numbers import format_index, format_number

LANG_COOKIE = "lang"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass(frozen=True)
class WebConfig:
    """The slice of the settings the web pages use.

    ``public_url``: the site's public origin (login links are built on it; ``https`` makes
    cookies Secure); ``min_responses``: the chat's ``public_ikm_min_responses``;
    ``telegram_username`` / ``whatsapp_number``: where a QR code leads (each only if
    configured); ``session_idle_minutes``: a dashboard session ends after this long idle.
    """

    secret_key: bytes
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    default_language: str = "id"
    min_responses: int = 10
    public_url: str | None = None
    telegram_username: str | None = None
    whatsapp_number: str | None = None
    session_idle_minutes: int = 30
    review_by_second_level: bool = False
    admin_chat_ids: frozenset[str] = frozenset()
    evidence_dir: str = "./evidence"
    tv_refresh_seconds: int = 60

    @classmethod
    def from_settings(cls, settings: Any, secret_key: bytes) -> WebConfig:
        return cls(
            secret_key=secret_key,
            tz=settings.tz,
            default_language=settings.language,
            min_responses=settings.public_ikm_min_responses,
            public_url=settings.public_url or settings.webhook_url,
            telegram_username=(settings.telegram_username or "").lstrip("@") or None,
            whatsapp_number=settings.whatsapp_number,
            session_idle_minutes=settings.web_session_idle_minutes,
            review_by_second_level=settings.review_by_second_level,
            admin_chat_ids=frozenset(settings.admin_chat_ids),
            evidence_dir=str(settings.evidence_dir),
        )


def language(request: Request, default: str = "id") -> str:
    """``?lang=`` when it names a catalog, else the cookie, else ``default``."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in texts.LANGUAGES:
            return value
    return default


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bot.web", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["UNSUR_NAMES"] = UNSUR_NAMES
    return env


ENV = _environment()


def render_html(template: str, context: Mapping[str, Any], *, lang: str) -> str:
    """A template in ``lang``: ``t`` (catalog), ``index``/``number`` (Indonesian or English
    formatting) and ``lang`` are there for every template."""

    def t(key: str, /, **values: object) -> str:
        return texts.text(lang, key, **values)

    return ENV.get_template(template).render(
        t=t, lang=lang, index=lambda v: format_index(v, lang),
        number=lambda v, d=0: format_number(v, lang, decimals=d) if v is not None else "—",
        **context,
    )


def html_response(request: Request, html: str, *, lang: str, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    """``html`` as a response; a ``?lang=`` switch is remembered in a cookie."""
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    if request.query_params.get("lang") in texts.LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax",
                            httponly=True)
    return response


def render(request: Request, template: str, context: Mapping[str, Any], *,
           lang: str, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """:func:`render_html` as a response (:func:`html_response`)."""
    return html_response(request, render_html(template, context, lang=lang), lang=lang,
                         status=status, headers=headers)


class PageCache:
    """Rendered pages, each kept while the objects it was made from are the very same
    (the cached results of :class:`bot.web.results.Results` are replaced, never changed,
    when recomputed) and the other inputs are equal: a page is rendered once per
    recomputation, not once per request. At most ``size`` pages (oldest dropped)."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._pages: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any, str]] = {}

    def get(self, key: tuple[Any, ...], sources: tuple[Any, ...], inputs: Any) -> str | None:
        found = self._pages.get(key)
        if found is None:
            return None
        kept, kept_inputs, html = found
        if len(kept) != len(sources) or any(a is not b for a, b in zip(kept, sources,
                                                                         strict=True)):
            return None
        return html if kept_inputs == inputs else None

    def put(self, key: tuple[Any, ...], sources: tuple[Any, ...], inputs: Any,
            html: str) -> str:
        self._pages.pop(key, None)
        if len(self._pages) >= self.size:
            self._pages.pop(next(iter(self._pages)))
        self._pages[key] = (sources, inputs, html)
        return html

Handler = Callable[[Request], Awaitable[Response]]


def secured(handler: Handler | None = None, *, frame_self: bool = False) -> Any:
    """Add :data:`SECURITY_HEADERS` to every response of ``handler`` (``frame_self``: the
    page may be framed by this origin only)."""

    def wrap(inner: Handler) -> Handler:
        @wraps(inner)
        async def endpoint(request: Request) -> Response:
            response = await inner(request)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            if frame_self:
                response.headers["Content-Security-Policy"] = CSP.replace(
                    "frame-ancestors 'none'", "frame-ancestors 'self'")
                response.headers["X-Frame-Options"] = "SAMEORIGIN"
            return response

        return endpoint

    return wrap(handler) if handler is not None else wrap
