"""Officers' login: single-use links (``/masuk/<token>``) exchanged for a session cookie.

- A link comes from /dasbor in a linked chat or from ``kinerja web-login`` (an admin);
  :mod:`bot.conversation.weblogin` makes it. Opening it shows a button; only the POST of
  that button (with a double-submit cookie against login CSRF) uses it up, so a chat app's
  link preview cannot burn a link. Failed attempts are limited per client address
  (``FAILS_PER_WINDOW`` per ``FAIL_WINDOW``) with 429 after that. Tokens are never
  logged (the server's access log is off) and only their SHA-256 is stored.
- The session cookie is HttpOnly, SameSite=Lax, Secure when the site is served over https
  (``public_url`` or the request), and carries a random token whose SHA-256 is the row in
  ``web_sessions``; the session ends at logout, after ``session_idle_minutes`` without a
  request, or when the employee is deactivated.
- Every form carries the session's CSRF token (:func:`check_csrf`).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from bot.conversation.ports.people import EmployeeInfo
from bot.conversation.weblogin import LINK_MINUTES, LOGIN_PATH, make_login_link, token_hash
from bot.storage import Store, Unit
from bot.web.site import WebConfig

__all__ = ["LINK_MINUTES", "LOGIN_PATH", "Auth", "Officer", "new_login_link"]

SESSION_COOKIE = "kinerja_sesi"
PRE_COOKIE = "kinerja_masuk"
FAILS_PER_WINDOW = 10
FAIL_WINDOW = 600.0  # seconds
TOUCH_AFTER = timedelta(seconds=60)


async def new_login_link(uow: Unit, base_url: str, *, employee_id: int | None,
                         is_admin: bool, now: datetime | None = None) -> str:
    """A login link (``kinerja web-login``): :func:`bot.conversation.weblogin.make_login_link`."""
    return await make_login_link(uow, base_url, employee_id=employee_id, is_admin=is_admin,
                                 now=now or datetime.now(UTC))


@dataclass(frozen=True)
class Officer:
    """Who holds a session: the employee (``None`` for an admin who is no employee), whether
    they are an administrator, whether anyone reports to them (an atasan, decided by the
    same storage function as the chat's /tinjau help), and the session's CSRF token."""

    employee: EmployeeInfo | None
    is_admin: bool
    is_atasan: bool
    csrf: str
    session: str  # the stored hash

    @property
    def name(self) -> str:
        return self.employee.nama if self.employee else "admin"


class Auth:
    """Sessions over ``store`` (``clock``: aware UTC now; ``monotonic``: the rate limit's)."""

    def __init__(self, store: Store, config: WebConfig, *,
                 clock: Callable[[], datetime] | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.config = config
        self.now = clock or (lambda: datetime.now(UTC))
        self._monotonic = monotonic
        self._fails: dict[str, list[float]] = {}

    # --- rate limit ---------------------------------------------------------

    def _client(self, request: Request) -> str:
        return request.client.host if request.client else "?"

    def limited(self, request: Request) -> bool:
        """Whether this client has had too many failed logins lately."""
        now = self._monotonic()
        recent = [t for t in self._fails.get(self._client(request), []) if now - t < FAIL_WINDOW]
        self._fails[self._client(request)] = recent
        return len(recent) >= FAILS_PER_WINDOW

    def failed(self, request: Request) -> None:
        self._fails.setdefault(self._client(request), []).append(self._monotonic())
        if len(self._fails) > 10_000:  # a flood of addresses: forget the oldest
            self._fails.pop(next(iter(self._fails)))

    # --- cookies ------------------------------------------------------------

    def secure(self, request: Request) -> bool:
        """Cookies are Secure when the site is served over https."""
        return request.url.scheme == "https" or (self.config.public_url or "").startswith(
            "https://")

    def set_cookie(self, response: Response, request: Request, name: str, value: str,
                   max_age: int | None = None) -> None:
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                            secure=self.secure(request), path="/")

    def pre_login(self, request: Request) -> str:
        """The double-submit value of the login form (the cookie's, or a new one)."""
        return request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(16)

    # --- sessions -----------------------------------------------------------

    async def log_in(self, request: Request, token: str, form_value: str,
                     response_factory: Callable[[], Response]) -> Response | None:
        """Use the link ``token``; on success the response (from ``response_factory``) sets
        the session cookie. ``None``: a bad, used or expired link, or a failed
        double-submit check (counted for the rate limit)."""
        cookie = request.cookies.get(PRE_COOKIE, "")
        if not cookie or not hmac.compare_digest(cookie, form_value):
            self.failed(request)
            return None
        now = self.now()
        session = secrets.token_urlsafe(32)
        async with self.store.unit() as uow:
            found = await uow.redeem_login_link(token_hash(token), now)
            if found is not None:
                employee_id, is_admin = found
                await uow.create_web_session(token_hash(session), employee_id, is_admin,
                                             secrets.token_urlsafe(32), now)
        if found is None:
            self.failed(request)
            return None
        response = response_factory()
        self.set_cookie(response, request, SESSION_COOKIE, session)
        response.delete_cookie(PRE_COOKIE, path="/")
        return response

    async def officer(self, request: Request) -> Officer | None:
        """The session's holder, or ``None`` (no cookie, unknown, idle too long, or the
        employee deactivated)."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        hashed = token_hash(token)
        now = self.now()
        async with self.store.reading() as r:
            session = await r.web_session(hashed)
            employee = None
            atasan = False
            if session is not None and session.employee_id is not None:
                employee = await r.employee_by_id(session.employee_id)
                atasan = bool(employee) and bool(await r.reviewable_employees(
                    session.employee_id, self.config.review_by_second_level))
        if session is None:
            return None
        idle = timedelta(minutes=self.config.session_idle_minutes)
        if now - session.last_seen_at > idle:
            async with self.store.unit() as uow:
                await uow.end_web_session(hashed)
            return None
        if now - session.last_seen_at > TOUCH_AFTER:
            async with self.store.unit() as uow:
                await uow.touch_web_session(hashed, now)
        return Officer(employee, session.is_admin, atasan, session.csrf, hashed)

    async def log_out(self, officer: Officer) -> None:
        async with self.store.unit() as uow:
            await uow.end_web_session(officer.session)


def check_csrf(officer: Officer, value: object) -> bool:
    """Whether a form's ``csrf`` field is the session's token."""
    return isinstance(value, str) and bool(value) and hmac.compare_digest(officer.csrf, value)
