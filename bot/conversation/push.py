"""Pushing to an employee: every linked chat in its own language, or held until they link.

Flows and jobs build a push with a function of the language (or of a
:class:`~bot.conversation.flow.Context` in that language), never with the sender's
``ctx.t``: the atasan reads an approval request in the language *they* chose, not the one
the employee chats in. A chat that never chose a language gets the configured default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.conversation import texts
from bot.conversation.flow import Context
from bot.conversation.messages import Reply
from bot.conversation.ports.outbox import OutboxWriter


async def push_rendered(
    store: OutboxWriter,
    employee_id: int,
    render: Callable[[str], Reply],
    *,
    at: datetime,
    default_language: str,
    kind: str = "message",
    dedup_key: str | None = None,
) -> int:
    """Queue ``render(language)`` to each of the employee's chats in the chat's language
    (``default_language`` for a chat that chose none); with no chat, hold the push rendered
    in every catalog language until they link one.

    ``dedup_key``: a base key; each chat's row gets ``<key>:<channel>``. Returns the number
    of rows newly queued — 0 means it waits for the employee to link a chat, or (with a
    ``dedup_key``) that every chat already had it. Renders once per language, not once per
    chat.
    """
    targets = await store.push_targets(employee_id)
    if not targets:
        renders = {lang: render(lang) for lang in texts.LANGUAGES}
        await store.hold_push(employee_id, renders, language=default_language, at=at,
                              kind=kind, dedup_key=dedup_key)
        return 0
    rendered: dict[str, Reply] = {}
    queued = 0
    for target in targets:
        language = target.language or default_language
        if language not in rendered:
            rendered[language] = render(language)
        key = f"{dedup_key}:{target.channel}" if dedup_key else None
        queued += await store.enqueue(target.channel, target.chat_id, rendered[language], at=at,
                                      kind=kind, dedup_key=key, language=language) is not None
    return queued


async def push_to_employee(
    ctx: Context[Any],
    employee_id: int,
    build: Callable[[Context[Any]], Reply],
    *,
    kind: str = "message",
    dedup_key: str | None = None,
) -> int:
    """:func:`push_rendered` from a flow: ``build`` gets ``ctx`` switched to the recipient's
    language (so ``ctx.t`` and ``ctx.language`` speak it). ``ctx.store`` must be an
    :class:`~bot.conversation.ports.outbox.OutboxWriter`."""
    return await push_rendered(
        ctx.store, employee_id, lambda language: build(in_language(ctx, language)),
        at=ctx.now, default_language=ctx.config.default_language, kind=kind,
        dedup_key=dedup_key,
    )


def in_language(ctx: Context[Any], language: str) -> Context[Any]:
    """``ctx`` speaking ``language`` (same turn, data and store; for rendering only)."""
    return ctx if ctx.language == language else replace(ctx, language=language)
