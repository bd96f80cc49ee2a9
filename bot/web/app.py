"""The one ASGI application: platform webhooks and a health check.

Each channel contributes its own routes (``telegram_routes``,
``whatsapp_routes``); this module only puts them together so one uvicorn
server serves every webhook on one port.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route


async def healthz(_: Request) -> JSONResponse:
    """Liveness: answers 200 while the process serves requests."""
    return JSONResponse({"status": "ok"})


def create_app(routes: Sequence[BaseRoute] = ()) -> Starlette:
    """An ASGI app with ``/healthz`` and the given channel routes."""
    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])
