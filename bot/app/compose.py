"""Composition root: storage, the secret key, the engine and its flows.

The only module (with ``cli``, ``web`` and ``jobs``) that knows every piece. What needs no
engine (settings, storage, the key) is :mod:`bot.app.core`, which stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.app.adapters import EvidenceDownloads
from bot.app.core import Core, open_core
from bot.config import Settings
from bot.conversation.engine import Engine, utcnow
from bot.conversation.evidence import EvidenceKeeper
from bot.conversation.flow import EngineConfig
from bot.conversation.flows.citizen.follow import FollowFlow, UnfollowFlow
from bot.conversation.flows.citizen.menu import MenuEntry, MenuFlow
from bot.conversation.flows.citizen.survey import SurveyFlow
from bot.conversation.flows.staff.admin import AdminFlow
from bot.conversation.flows.staff.common import role_help
from bot.conversation.flows.staff.dashboard import DashboardFlow
from bot.conversation.flows.staff.history import HistoryFlow
from bot.conversation.flows.staff.proposal import (
    ProposalDecisionFlow,
    ProposalReplyFlow,
    ProposeFlow,
)
from bot.conversation.flows.staff.rating import RatingFlow
from bot.conversation.flows.staff.register import IntroFlow, RegisterFlow, UnlinkFlow
from bot.conversation.flows.staff.report import ReportFlow
from bot.conversation.flows.staff.review import ReviewFlow
from bot.conversation.flows.staff.rtl import RtlFlow, with_head_help
from bot.conversation.flows.staff.saran import SaranFlow
from bot.conversation.flows.staff.score import ScoreFlow
from bot.conversation.flows.staff.selfassess import SelfAssessFlow
from bot.conversation.flows.staff.status import StatusFlow
from bot.conversation.flows.staff.summary import SummaryFlow
from bot.conversation.registry import FlowRegistry
from bot.storage import Store


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
        skm_period=settings.skm_period,
        alerts_enabled=settings.alerts_enabled,
    )


def build_engine(
    store: Store,
    config: EngineConfig,
    *,
    clock: Callable[[], datetime] = utcnow,
    evidence: EvidenceKeeper | None = None,
    web_url: str | None = None,
) -> Engine:
    """The engine with every flow this version has.

    ``web_url``: the site's public origin for /dasbor's login links (``None``: /dasbor
    says the dashboard is off).

    ``evidence``: downloads a /lapor photo or document after the report is stored (kept as
    ``<sha256><ext>``); without it only the platform's file reference is kept.

    Staff commands: /daftar KODE, /keluar, /lapor, /status, /riwayat, /tinjau,
    /nilai [hasil], /skor, /nilaidiri, /usul; /admin for the chats in ``admin_chat_ids``. /bantuan
    answers per role (:func:`bot.conversation.flows.staff.common.role_help`).
    """
    registry = FlowRegistry(
        [
            MenuFlow(extra=[MenuEntry("follow", "menu_follow", FollowFlow.name),
                            MenuEntry("employee", "menu_employee", "register")],
                     help=role_help),
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
            HistoryFlow(),
            RtlFlow(),
            SaranFlow(),
            FollowFlow(),
            UnfollowFlow(),
            DashboardFlow(web_url),
        ],
        home=MenuFlow.name,
        payload=SurveyFlow.name,
        help_provider=with_head_help(role_help),
    )
    return Engine(store, config, registry, clock=clock)


async def open_app(settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> App:
    """Open storage (migrating it) and build the engine. Close with :meth:`App.close`."""
    core = await open_core(settings)
    try:
        evidence = EvidenceDownloads()
        keeper = EvidenceKeeper(evidence, settings.evidence_dir, clock=clock,
                                language=settings.language)
        engine = build_engine(core.store, engine_config(settings, core.secret_key),
                              clock=clock, evidence=keeper,
                              web_url=settings.public_url or settings.webhook_url)
    except BaseException:
        await core.close()
        raise
    return App(settings, core.store, engine, core.secret_key, evidence, keeper)


class App(Core):
    """What a running bot holds: the :class:`~bot.app.core.Core` (settings, storage, the key),
    the engine, the evidence downloads channels register with when they start, and the
    keeper of evidence files (the engine's and the retry job's; ``None``: evidence is not
    downloaded)."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        engine: Engine,
        secret_key: bytes,
        evidence: EvidenceDownloads | None = None,
        keeper: EvidenceKeeper | None = None,
    ) -> None:
        super().__init__(settings, store, secret_key)
        self.engine = engine
        self.evidence = evidence or EvidenceDownloads()
        self.keeper = keeper

    async def close(self) -> None:
        """Let the engine's background effects finish, then close storage."""
        await self.engine.drain()
        await super().close()
