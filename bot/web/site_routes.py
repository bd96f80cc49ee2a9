"""Every route of the web face, put together: the public pages and the officers' dashboard.

``bot.app.run`` mounts these beside the webhooks (``bot.web.app.create_app``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from starlette.routing import BaseRoute

from bot.storage import Store
from bot.web.dashboard import AdminTools, dashboard_routes
from bot.web.public import public_routes
from bot.web.results import Publications, Results, StorePublications
from bot.web.site import WebConfig


def _today(config: WebConfig, clock: Callable[[], datetime] | None) -> Callable[[], date]:
    """Today in the site's timezone by ``clock`` (aware UTC now; the real clock if none)."""
    now = clock or (lambda: datetime.now(UTC))
    return lambda: now().astimezone(config.tz).date()


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
    upload and invitations, from the CLI; without them those pages do nothing;
    ``publications``: what units published, by default read from ``store``)."""

    results = results if results is not None else Results(store, config.tz)
    if publications is None:
        publications = StorePublications(store, config.tz, today=_today(config, clock))
    return [
        *public_routes(store, config, results, publications, clock),
        *dashboard_routes(store, config, clock=clock, tools=tools,
                          changed=getattr(publications, "forget", None)),
    ]
