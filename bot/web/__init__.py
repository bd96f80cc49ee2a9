"""The one ASGI application: platform webhooks and a health check."""
