"""The HTTP transport under python-telegram-bot: an aiohttp implementation of ``BaseRequest``.

PTB talks to the Bot API through a :class:`telegram.request.BaseRequest`; its
default is ``HTTPXRequest``. PTB documents ``BaseRequest`` as the interface
for plugging in another asyncio HTTP library, and :func:`build_application
<bot.channels.telegram.build_application>` plugs in this one, because the
bot's throughput is bounded by the CPU spent per Bot API call and aiohttp
spends about half of httpx's per call, and a third when several updates are
handled at once (httpcore's pool rescans every pooled connection per
request). Measured with ``bench/telegram_stack.py``: a PTB echo bot answers
~1,000 updates/s on httpx and ~2,000/s on this transport, and with eight
updates in flight httpx drops to ~700/s while this stays at ~2,000/s.

Contract (as ``HTTPXRequest``): ``do_request`` returns the status code and
the body for any HTTP answer (PTB's ``BaseRequest`` turns 4xx/5xx into its
exceptions); a timeout raises :class:`~telegram.error.TimedOut`, any other
transport failure :class:`~telegram.error.NetworkError`. Timeouts, in
seconds, ``None`` for none: ``connect`` (TCP/TLS set-up), ``pool`` (waiting
for a free pooled connection), ``read`` (between two reads of the answer) and
``write`` — aiohttp has no write timeout of its own, so the whole call is
bounded by the sum of the four when all are finite (uploads use
``media_write_timeout`` for the write part). Error messages never carry the
request URL, which holds the bot token.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest", "redact_token"]

_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


def redact_token(text: str) -> str:
    """``text`` with anything shaped like a bot token replaced by ``<token>``."""
    return _TOKEN.sub("<token>", text)


def _pick(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """``BaseRequest`` on one :class:`aiohttp.ClientSession` (made in :meth:`initialize`).

    ``connection_pool_size`` bounds the open connections (as PTB's
    ``connection_pool_size``); the timeouts are the defaults for calls that
    do not pass their own, with PTB's default values.
    """

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self.connection_pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after :meth:`shutdown`); idempotent."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.connection_pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                timeout=aiohttp.ClientTimeout(total=None),
            )

    async def shutdown(self) -> None:
        """Close the session and its connections; idempotent."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = bool(request_data and request_data.contains_files)
        read = _pick(read_timeout, self._read_timeout)
        connect = _pick(connect_timeout, self._connect_timeout)
        pool = _pick(pool_timeout, self._pool_timeout)
        write = _pick(write_timeout, self._media_write_timeout if files else self._write_timeout)
        parts = (read, connect, pool, write)
        total = None if any(p is None for p in parts) else sum(p or 0.0 for p in parts)
        timeout = aiohttp.ClientTimeout(
            total=total,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with session.request(
                method,
                url,
                data=_body(request_data),
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts derive from it
            raise TimedOut(redact_token(f"aiohttp.{type(exc).__name__}: {exc}")) from None
        except aiohttp.ClientError as exc:
            raise NetworkError(redact_token(f"aiohttp.{type(exc).__name__}: {exc}")) from None


def _body(request_data: RequestData | None) -> Any:
    """Form fields as PTB encodes them; multipart when the call uploads files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        file_name, content, mime_type = part
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form
