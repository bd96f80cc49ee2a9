"""Every route of the web face, put together: the public pages and the officers' dashboard.

``bot.app.run`` mounts these beside the webhooks (``bot.web.app.create_app``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.routing import BaseRoute

from bot.storage import Store
from bot.web.dashboard import AdminTools, dashboard_routes
from bot.web.public import public_routes
from bot.web.results import NothingPublished, Publications, Results
from bot.web.site import WebConfig


def web_routes(
    store: Store,
    config: WebConfig,
    *,
    results: Results | None = None,
    publications: Publications | None = None,
    clock: Callable[[], datetime] | None = None,
    tools: AdminTools | None = None,
) -> list[BaseRoute]:
    """The public pages and the dashboard over ``store`` (``tools``: the admin's import
    upload and invitations, from the CLI; without them those pages do nothing)."""

    results = results if results is not None else Results(store, config.tz)
    return [
        *public_routes(store, config, results,
                       publications if publications is not None else NothingPublished(), clock),
        *dashboard_routes(store, config, clock=clock, tools=tools),
    ]
