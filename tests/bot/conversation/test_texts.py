"""Both catalogs say the same things: same keys, same placeholders."""

from __future__ import annotations

import string

from bot.conversation import texts
from bot.conversation.texts import en, id


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogs_have_the_same_keys() -> None:
    assert set(id.TEXTS) == set(en.TEXTS)


def test_catalogs_use_the_same_placeholders() -> None:
    for key, template in id.TEXTS.items():
        assert placeholders(template) == placeholders(en.TEXTS[key]), key


def test_platform_language_codes() -> None:
    assert texts.normalize_language("en-US") == "en"
    assert texts.normalize_language("id") == "id"
    assert texts.normalize_language("in") == "id"
    assert texts.normalize_language("fr") is None
    assert texts.normalize_language(None) is None
