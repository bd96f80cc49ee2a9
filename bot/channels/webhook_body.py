"""Reading a webhook's body safely: a size limit enforced while reading, bounded JSON.

Both webhooks (Telegram's, WhatsApp's) read their body through
:func:`read_limited` before anything else is done with it (WhatsApp's signature
check included): a declared ``Content-Length`` over the limit is refused before a
byte is read, and a body streamed without one is cut off as soon as it passes the
limit — so a flood of large unauthenticated POSTs costs at most ``max_bytes``
each, never the whole body. :func:`loads_bounded` parses JSON and refuses
nesting deeper than a platform's updates ever go.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

#: default body limit (``KINERJA_WEBHOOK_MAX_BYTES``): Telegram's and Meta's updates are a
#: few kilobytes; an album or a long message stays far below
DEFAULT_MAX_BYTES = 1 << 20
#: nesting deeper than this is not an update (theirs go about 8 levels deep)
MAX_DEPTH = 32


class BodyTooLarge(Exception):
    """The body is larger than allowed (answer 413)."""


class MalformedBody(ValueError):
    """The body is not the JSON object of an update (answer 400)."""


async def read_limited(request: Request, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The request's body, at most ``max_bytes``; raises :class:`BodyTooLarge` beyond.

    A ``Content-Length`` header over the limit is refused at once; an invalid one
    raises :class:`MalformedBody`. Without it the stream is read chunk by chunk and
    abandoned as soon as it passes the limit.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError as exc:
            raise MalformedBody("invalid Content-Length") from exc
        if size > max_bytes:
            raise BodyTooLarge(f"{size} bytes declared")
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > max_bytes:
            raise BodyTooLarge(f"more than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def loads_bounded(body: bytes, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """``body`` parsed as a JSON object nested at most ``max_depth`` levels.

    Raises :class:`MalformedBody` for invalid JSON or UTF-8, a value that is not an
    object, or deeper nesting (checked without recursion).
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurd nesting
        raise MalformedBody(type(exc).__name__) from exc
    if not isinstance(data, dict):
        raise MalformedBody("not a JSON object")
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise MalformedBody(f"nested deeper than {max_depth}")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return data
