"""What every process opens first: the settings, storage and the key that signs payloads.

Light on purpose: it imports neither the engine nor a flow, a channel or a scoring library,
so ``kinerja`` commands that only read or write storage (imports, reports, invites, links)
start without them. :func:`bot.app.compose.open_app` builds the engine on top of it.
"""

from __future__ import annotations

import secrets

from bot.config import Settings
from bot.storage import Store

SECRET_META_KEY = "secret_key"


async def resolve_secret(settings: Settings, store: Store) -> bytes:
    """The key that signs payloads: from settings, else the one kept in the database, else
    generated once and kept there. Reads first, so a command that only reads (a report)
    takes no write lock once the key exists."""
    configured = settings.secret("secret_key")
    if configured:
        return configured.encode()
    async with store.reading() as r:
        kept = await r.get_meta(SECRET_META_KEY)
    if kept is not None:
        return kept.encode()
    async with store.unit() as uow:
        value = await uow.setdefault_meta(SECRET_META_KEY, secrets.token_urlsafe(32))
    return value.encode()


async def secret_source(settings: Settings, store: Store) -> str | None:
    """Where :func:`resolve_secret` takes the key from: ``"settings"``
    (``KINERJA_SECRET_KEY``), ``"database"`` (generated once and kept there: a copy of the
    database is then the only copy of the key), or ``None`` (not made yet). Reads only."""
    if settings.secret("secret_key"):
        return "settings"
    async with store.reading() as r:
        kept = await r.get_meta(SECRET_META_KEY)
    return "database" if kept is not None else None


class Core:
    """Settings, storage and the signing key of one process. Close with :meth:`close`."""

    def __init__(self, settings: Settings, store: Store, secret_key: bytes) -> None:
        self.settings = settings
        self.store = store
        self.secret_key = secret_key

    async def close(self) -> None:
        """Close storage (the units and readings in flight end first)."""
        await self.store.close()


async def open_core(settings: Settings) -> Core:
    """Open storage at ``settings.db`` (migrating it; :class:`bot.storage.SchemaTooNew` when it
    is newer than this program) and resolve the signing key."""
    store = await Store.open(settings.db, tz=settings.tz)
    try:
        secret_key = await resolve_secret(settings, store)
    except BaseException:
        await store.close()
        raise
    return Core(settings, store, secret_key)
