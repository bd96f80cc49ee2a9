"""The Telegram channel: python-telegram-bot updates in, Bot API calls out.

The modules only translate. A message, command or button tap becomes one
:class:`~bot.conversation.messages.Inbound` (channel ``"telegram"``,
``chat_id = str(chat.id)``, ``message_id = str(update.update_id)``,
``language = user.language_code``) in :mod:`.translate`; the conversation
engine decides everything; :mod:`.channel` hands the replies to :mod:`.send`.
:mod:`.application` builds and runs PTB's ``Application`` (with the aiohttp
transport of :mod:`.http`), :mod:`.webhook` serves webhook mode, :mod:`.links`
makes deep links.
"""
