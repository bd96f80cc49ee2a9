"""Telegram updates → :class:`~bot.conversation.messages.Inbound` (translation only).

Only private chats are served; updates from groups and channels give ``None``.
"""

from __future__ import annotations

import logging

from telegram import (
    CallbackQuery,
    Message,
    Update,
)
from telegram.constants import ChatType

from bot.channels.telegram.send import (
    CHANNEL,
)
from bot.conversation.messages import Inbound, InboundKind, Media

logger = logging.getLogger(__name__)



def media_from_message(message: Message) -> Media | None:
    """What file-like thing a message carries, or ``None`` for a plain text / service message.

    ``file_ref`` is Telegram's ``file_id`` (the largest size of a photo);
    locations and contacts carry no file and have an empty ``file_ref``.
    """
    caption = message.caption
    if message.photo:
        largest = message.photo[-1]
        return Media("photo", largest.file_id, None, "image/jpeg", largest.file_size, caption)
    if message.sticker:
        sticker = message.sticker
        return Media("sticker", sticker.file_id, None, None, sticker.file_size, caption)
    if message.animation:  # also sets .document; an animation is a (silent) video
        anim = message.animation
        return Media("video", anim.file_id, anim.file_name, anim.mime_type, anim.file_size, caption)
    if message.document:
        doc = message.document
        return Media("document", doc.file_id, doc.file_name, doc.mime_type, doc.file_size, caption)
    if message.voice:
        voice = message.voice
        return Media("voice", voice.file_id, None, voice.mime_type, voice.file_size, caption)
    if message.audio:
        audio = message.audio
        return Media(
            "audio", audio.file_id, audio.file_name, audio.mime_type, audio.file_size, caption
        )
    if message.video:
        video = message.video
        return Media(
            "video", video.file_id, video.file_name, video.mime_type, video.file_size, caption
        )
    if message.video_note:
        note = message.video_note
        return Media("video", note.file_id, None, None, note.file_size, caption)
    if message.location or message.venue:
        return Media("location", caption=caption)
    if message.contact:
        return Media("contact", caption=caption)
    if message.effective_attachment is not None:
        return Media("other", caption=caption)
    return None


def inbound_from_update(update: Update) -> Inbound | None:
    """The :class:`Inbound` for a new message in a private chat, or ``None`` to ignore it.

    Text (commands included) goes through :meth:`Inbound.from_text`, so a
    typed ``3`` stays TEXT and ``/start <payload>`` becomes the ``start``
    command with the payload in ``text``. Anything carrying a file (or a
    location, contact, poll …) becomes MEDIA with the caption in ``text``.
    Edited messages, service messages and non-private chats give ``None``.
    """
    message = update.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return None
    chat_id = str(message.chat.id)
    message_id = str(update.update_id)
    language = message.from_user.language_code if message.from_user else None
    if message.text is not None:
        return Inbound.from_text(
            CHANNEL, chat_id, message.text, message_id=message_id, language=language
        )
    media = media_from_message(message)
    if media is None:
        return None
    return Inbound(
        CHANNEL,
        chat_id,
        InboundKind.MEDIA,
        text=message.caption or "",
        media=media,
        message_id=message_id,
        language=language,
    )


def callback_inbound(update: Update, query: CallbackQuery, message: Message) -> Inbound:
    return Inbound(
        CHANNEL,
        str(message.chat.id),
        InboundKind.CHOICE,
        choice_id=query.data,
        message_id=str(update.update_id),
        language=query.from_user.language_code,
    )


