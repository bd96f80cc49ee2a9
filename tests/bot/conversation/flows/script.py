"""Asserting on catalog keys in conversation scripts, where the wording is not the point."""

from __future__ import annotations

import re

from bot.conversation import texts
from tests.conftest import Chat


def text_of(key: str, language: str = "id", **values: object) -> str:
    """The catalog text ``key`` filled with ``values``; without values, its longest fixed
    part between placeholders (what any filling of it contains)."""
    template = texts.CATALOGS[language][key]
    if values:
        return template.format(**values)
    fixed = max(re.split(r"\{[^{}]*\}", template), key=len)
    assert len(fixed.strip()) >= 4, f"{key!r} has too little fixed text to recognise"
    return fixed


def said(chat: Chat, key: str, language: str = "id", **values: object) -> bool:
    """Whether the replies to the last message contain the catalog text ``key``."""
    return text_of(key, language, **values) in chat.text
