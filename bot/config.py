"""Settings: every knob of the application, read from ``KINERJA_*`` variables and ``.env``.

Secrets are :class:`~pydantic.SecretStr` so they never show in a repr or a log
line. A setting left unset means "that channel / feature is off", never a
built-in default token.
"""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: the settings WhatsApp needs, all of them, to run
WHATSAPP_REQUIRED = (
    "whatsapp_phone_id", "whatsapp_token", "whatsapp_app_secret", "whatsapp_verify_token"
)


class Settings(BaseSettings):
    """Application settings (env prefix ``KINERJA_``, optional ``.env`` file)."""

    model_config = SettingsConfigDict(
        env_prefix="KINERJA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- core -------------------------------------------------------------
    db: str = Field(
        "./kinerja.db",
        description="the database: a SQLite file (a path or sqlite:///path, or :memory:) or "
        "postgresql://user@host:port/dbname (bot.storage.dialect)",
    )
    timezone: str = Field("Asia/Jakarta", description="IANA zone for periods and schedules")
    language: Literal["id", "en"] = Field("id", description="default language of the bot")
    secret_key: SecretStr | None = Field(
        None,
        description="signs link payloads and keys the anti-duplicate hash; "
        "when unset one is generated once and kept in the database",
    )
    admin_chat_ids: list[str] = Field(
        default_factory=list,
        description="'channel:chat_id' pairs allowed to use admin chat commands",
    )

    # --- conversations ----------------------------------------------------
    session_idle_minutes: int = Field(60, ge=1, description="a conversation idle this long expires")
    survey_per_day: int = Field(
        1, ge=1, description="responses one chat may send per service point per day"
    )
    suggestion_max_chars: int = Field(1000, ge=1)
    public_ikm_min_responses: int = Field(
        10, ge=1, description="the thank-you shows the unit's IKM from this many responses"
    )
    review_by_second_level: bool = Field(
        False, description="the atasan's atasan may also review reports and rate (/tinjau, /nilai)"
    )
    seen_message_days: int = Field(
        7, ge=1, description="how long processed platform message ids are kept for dedup"
    )
    replica_lease_seconds: int = Field(
        30, ge=1, le=3600,
        description="several replicas on one PostgreSQL database: a replica not heard from "
        "this long is dead and a live one takes over its claimed updates and held replies",
    )

    # --- telegram ---------------------------------------------------------
    telegram_token: SecretStr | None = None
    telegram_base_url: str | None = Field(
        None, description="self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot"
    )
    telegram_base_file_url: str | None = None
    telegram_max_rate: float = Field(
        30, ge=0,
        description="messages per second this process sends to Telegram at most (0: no "
        "limit); Telegram's budget is about 30 per bot, so N replicas take 30/N each",
    )
    telegram_username: str | None = Field(
        None, description="bot username for deep links when the bot cannot be asked (getMe)"
    )
    webhook_url: str | None = Field(None, description="public HTTPS base URL; enables webhook mode")
    webhook_secret: SecretStr | None = None
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_session_idle_minutes: int = Field(
        30, ge=1, description="a dashboard session ends after this long without a request"
    )
    webhook_max_bytes: int = Field(
        1_048_576, ge=1024,
        description="largest webhook body accepted (bytes); refused while reading, with 413",
    )

    # --- whatsapp ---------------------------------------------------------
    whatsapp_phone_id: str | None = None
    whatsapp_token: SecretStr | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_number: str | None = Field(None, description="business number for wa.me links")
    whatsapp_base_url: str | None = Field(None, description="Graph API base URL override")
    whatsapp_template_language: str = "id"
    whatsapp_templates: dict[str, str] = Field(
        default_factory=dict,
        description="approved template per push kind (message, approval, summary, reminder, "
        "default) for chats outside the 24-hour window; JSON in the environment",
    )
    link_channel: Literal["telegram", "whatsapp"] = Field(
        "telegram", description="which link the QR codes point to"
    )

    # --- outbox / schedules -----------------------------------------------
    outbox_max_attempts: int = Field(8, ge=1)
    public_url: str | None = Field(
        None,
        description="public base URL of the web server for links to push files (a WhatsApp "
        "template cannot carry them); defaults to webhook_url",
    )
    push_file_days: int = Field(
        7, ge=1, description="push files (summary charts, XLSX) and their links are kept "
        "this long after they were queued",
    )
    outbox_retention_days: int = Field(
        7, ge=1, description="days after which a sent outbox row's message text is dropped"
    )
    evidence_dir: Path = Path("./evidence")
    summary_weekday: int = Field(0, ge=0, le=6, description="0 = Monday")
    summary_time: time = time(7, 0)
    reminder_enabled: bool = True
    reminder_weekday: int = Field(4, ge=0, le=6, description="4 = Friday")
    reminder_time: time = time(14, 0)

    # --- the SKM cycle: RTL, alerts, followers (issue 15) -------------------
    skm_period: Literal["year", "semester", "quarter", "month"] = Field(
        "quarter", description="the SKM period of /tindaklanjut, /saran and followers' messages"
    )
    alerts_enabled: bool = Field(
        True, description="hourly alerts to unit heads about bad responses (off per unit too)"
    )

    @field_validator("db", mode="before")
    @classmethod
    def _db_text(cls, value: object) -> object:
        # a Path is a SQLite file; the text form keeps a URL's '//' (a Path would fold it)
        return os.fspath(value) if isinstance(value, os.PathLike) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def whatsapp_missing(self) -> list[str]:
        """The WhatsApp settings still unset (all four are needed for the channel to run)."""
        return [f"KINERJA_{name.upper()}" for name in WHATSAPP_REQUIRED
                if not getattr(self, name)]

    def secret(self, name: str) -> str | None:
        """The plain value of a secret setting, or ``None`` when unset."""
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else None
