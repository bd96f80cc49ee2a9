"""Asserting on catalog keys in conversation scripts, where the wording is not the point."""

from __future__ import annotations

from bot.conversation import texts
from tests.conftest import Chat


def text_of(key: str, language: str = "id", **values: object) -> str:
    """The catalog text ``key`` filled with ``values``; without values, its fixed part up to
    the first placeholder (what any filling of it contains)."""
    template = texts.CATALOGS[language][key]
    if values:
        return template.format(**values)
    return template.split("{", 1)[0]


def said(chat: Chat, key: str, language: str = "id", **values: object) -> bool:
    """Whether the replies to the last message contain the catalog text ``key``."""
    return text_of(key, language, **values) in chat.text
