"""The WhatsApp channel: Cloud API webhook in, pywa (async) calls out.

Three pieces, wired by the composition root (``bot/app``):

- :func:`.client.create_client` — a :class:`pywa_async.WhatsApp` for the business
  phone number, optionally pointed at another Graph API base URL (a local
  fake in tests, a proxy in deployments).
- :class:`.sender.WhatsAppSender` — renders :class:`~bot.conversation.messages.Reply`
  objects (see :mod:`.render`), sends them, keeps the
  24-hour customer-service window (a pre-approved template outside it),
  downloads media. It implements :class:`~bot.channels.base.Sender`.
- :func:`.webhook.whatsapp_routes` — the Starlette routes of the webhook: the ``GET``
  verification challenge and the signed ``POST`` updates, which become
  :class:`~bot.conversation.messages.Inbound` messages for the engine and
  status callbacks for the outbox.

People are keyed by the user id pywa gives: the business-scoped user id
(BSUID, ``contacts[].user_id``), which Meta sends with every message since
the BSUID rollout and which stays when a person hides their number behind a
username; for an update without one the ``wa_id`` (phone number) stands in.
The platform message id is the ``wamid``, so Meta's retried deliveries reach
the engine with the same ``message_id`` and are dropped there.

Why the webhook splits and normalises updates before pywa parses them:
Meta may batch several messages or statuses in one POST while pywa reads
only the first, pywa 4.5 needs ``contacts[].user_id`` on every message, and
Meta omits ``contacts`` on *failed* statuses — which pywa would then drop.
So each message is parsed by pywa's own types from a one-message update,
and statuses are read from the raw JSON so a failure is never lost.
"""

