"""Placeholder (filled in below)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.routing import BaseRoute

from bot.storage import Store
from bot.web.site import WebConfig


def dashboard_routes(store: Store, config: WebConfig, *,
                     clock: Callable[[], datetime] | None = None) -> list[BaseRoute]:
    return []
