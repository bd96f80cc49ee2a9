"""Every sentence a person reads in chat, per language: Indonesian first, English second.

Catalogs are plain dicts of ``key → str.format`` template (``id.py``,
``en.py``). A key missing from a catalog falls back to Indonesian; a test
keeps both catalogs with the same keys and the same placeholders.
"""

from __future__ import annotations

from bot.conversation.texts import en, id

LANGUAGES: tuple[str, ...] = ("id", "en")
CATALOGS: dict[str, dict[str, str]] = {"id": id.TEXTS, "en": en.TEXTS}
LABELS: dict[str, dict[str, str]] = {"id": id.LABELS, "en": en.LABELS}


def normalize_language(code: str | None) -> str | None:
    """Map a platform language code (``en-US``, ``id``, ``in``) to a catalog, or ``None``."""
    if not code:
        return None
    head = code.strip().lower().replace("_", "-").split("-", 1)[0]
    if head in ("id", "in", "ind"):
        return "id"
    if head in ("en", "eng"):
        return "en"
    return None


def text(language: str, key: str, /, **values: object) -> str:
    """The sentence ``key`` in ``language`` (falling back to Indonesian), filled in."""
    template = CATALOGS.get(language, id.TEXTS).get(key)
    if template is None:
        template = id.TEXTS[key]
    return template.format(**values) if values else template


def label(language: str, key: str, official: str) -> str:
    """A translated official label (answer or profile option), or the official wording."""
    return LABELS.get(language, {}).get(key, official)
