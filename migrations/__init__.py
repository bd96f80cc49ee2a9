"""Schema migrations: ``NNNN_slug.sql`` files applied in order (see bot.storage.migrate).

A package only so the SQL files ship inside the installed distribution.
"""
