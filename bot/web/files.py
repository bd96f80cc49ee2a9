"""Download links for push files: ``GET /berkas/<token>/<name>``.

A push's files (a weekly summary's chart and workbook) are sent as uploads where the
platform allows; WhatsApp outside its 24-hour window allows only a template, which then
carries these links. The token is random (``secrets.token_urlsafe(24)``, 192 bits) and
kept with the file in ``push_files``; the link works until housekeeping drops the file
(``push_file_days`` after it was stored, once no unsent push names it). Served with
``no-store`` caching and as an attachment, never rendered inline; an unknown token is a
plain 404, the same for an expired one.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.storage import Store

PREFIX = "/berkas"


def file_url(base_url: str, token: str, file_name: str) -> str:
    """The public URL of a push file (``base_url``: the web server's public origin)."""
    return f"{base_url.rstrip('/')}{PREFIX}/{token}/{quote(file_name, safe='')}"


def push_file_routes(store: Store) -> list[BaseRoute]:
    """The route that serves push files by token."""

    async def download(request: Request) -> Response:
        token = request.path_params["token"]
        async with store.reading() as r:
            found = await r.push_file(token)
        if found is None:
            return PlainTextResponse("Berkas tidak ditemukan atau sudah kedaluwarsa.", 404)
        name = request.path_params["name"]
        return Response(
            found.content,
            media_type=found.mime_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return [Route(PREFIX + "/{token}/{name}", download, methods=["GET"])]
