"""Composition root: storage, the secret key, the engine and its flows.

The only module (with ``cli``, ``web`` and ``jobs``) that knows every piece.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from bot.app.adapters import EvidenceDownloads
from bot.config import Settings
from bot.conversation.engine import Engine, utcnow
from bot.conversation.evidence import EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.conversation.flows.citizen.menu import MenuEntry, MenuFlow
from bot.conversation.flows.citizen.survey import SurveyFlow
from bot.conversation.flows.staff.admin import AdminFlow
from bot.conversation.flows.staff.common import role_help
from bot.conversation.flows.staff.proposal import (
    ProposalDecisionFlow,
    ProposalReplyFlow,
    ProposeFlow,
)
from bot.conversation.flows.staff.rating import RatingFlow
from bot.conversation.flows.staff.register import IntroFlow, RegisterFlow, UnlinkFlow
from bot.conversation.flows.staff.report import ReportFlow
from bot.conversation.flows.staff.review import ReviewFlow
from bot.conversation.flows.staff.score import ScoreFlow
from bot.conversation.flows.staff.selfassess import SelfAssessFlow
from bot.conversation.flows.staff.status import StatusFlow
from bot.conversation.flows.staff.summary import SummaryFlow
from bot.conversation.registry import FlowRegistry
from bot.storage import Store

SECRET_META_KEY = "secret_key"


async def resolve_secret(settings: Settings, store: Store) -> bytes:
    """The key that signs payloads: from settings, else generated once and kept in the db."""
    configured = settings.secret("secret_key")
    if configured:
        return configured.encode()
    async with store.unit() as uow:
        value = await uow.setdefault_meta(SECRET_META_KEY, secrets.token_urlsafe(32))
    return value.encode()


def engine_config(settings: Settings, secret_key: bytes) -> EngineConfig:
    return EngineConfig(
        secret_key=secret_key,
        timezone=settings.tz,
        default_language=settings.language,
        session_idle_minutes=settings.session_idle_minutes,
        survey_per_day=settings.survey_per_day,
        suggestion_max_chars=settings.suggestion_max_chars,
        public_ikm_min_responses=settings.public_ikm_min_responses,
        review_by_second_level=settings.review_by_second_level,
        admin_chat_ids=frozenset(settings.admin_chat_ids),
    )


def build_engine(
    store: Store,
    config: EngineConfig,
    *,
    clock: Callable[[], datetime] = utcnow,
    evidence: EvidenceKeeper | None = None,
) -> Engine:
    """The engine with every flow this version has.

    ``evidence``: downloads a /lapor photo or document after the report is stored (kept as
    ``<sha256><ext>``); without it only the platform's file reference is kept.

    Staff commands: /daftar KODE, /keluar, /lapor, /status, /tinjau, /nilai [hasil],
    /skor, /nilaidiri, /usul; /admin for the chats in ``admin_chat_ids``. /bantuan
    answers per role (:func:`bot.conversation.flows.staff.common.role_help`).
    """
    registry = FlowRegistry(
        [
            MenuFlow(extra=[MenuEntry("employee", "menu_employee", "register")]),
            SurveyFlow(),
            RegisterFlow(),
            UnlinkFlow(),
            ReportFlow(evidence),
            StatusFlow(),
            ReviewFlow(),
            RatingFlow(),
            SummaryFlow(),
            AdminFlow(),
            IntroFlow(),
            ScoreFlow(),
            SelfAssessFlow(),
            ProposeFlow(),
            ProposalDecisionFlow(),
            ProposalReplyFlow(),
        ],
        home=MenuFlow.name,
        payload=SurveyFlow.name,
        help_provider=role_help,
    )
    return Engine(store, config, registry, clock=clock)


async def open_app(settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> App:
    """Open storage (migrating it) and build the engine. Close with :meth:`App.close`."""
    store = await Store.open(settings.db)
    try:
        secret_key = await resolve_secret(settings, store)
        evidence = EvidenceDownloads()
        keeper = EvidenceKeeper(evidence, settings.evidence_dir, clock=clock,
                                language=settings.language)
        engine = build_engine(store, engine_config(settings, secret_key), clock=clock,
                              evidence=keeper)
    except BaseException:
        await store.close()
        raise
    return App(settings, store, engine, secret_key, evidence, keeper)


class App:
    """What a running process holds: settings, storage, the engine, the key, the evidence
    downloads channels register with when they start, and the keeper of evidence files
    (the engine's and the retry job's; ``None``: evidence is not downloaded)."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        engine: Engine,
        secret_key: bytes,
        evidence: EvidenceDownloads | None = None,
        keeper: EvidenceKeeper | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.secret_key = secret_key
        self.evidence = evidence or EvidenceDownloads()
        self.keeper = keeper

    async def close(self) -> None:
        """Let the engine's background effects finish, then close storage."""
        await self.engine.drain()
        await self.store.close()
