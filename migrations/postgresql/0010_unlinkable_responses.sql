-- PostgreSQL form of 0010 (no WITHOUT ROWID).
-- Responses that cannot be linked to the chat that sent them (issue 13, part 1).
--
-- The daily guard (one response per chat, point and local day) no longer keys its rows with
-- the long-lived secret: each day has a random key of its own, deleted together with that
-- day's guard rows once the day is over (bot.storage.surveys), so rows of a past day cannot
-- be recomputed from the file for a known chat. Rows keyed the old way are dropped (at worst
-- a chat may answer a point a second time on the day of the upgrade).
CREATE TABLE survey_guard_keys (
    day TEXT PRIMARY KEY,   -- YYYY-MM-DD in the configured timezone
    key TEXT NOT NULL       -- 64 hex characters, random
);
DELETE FROM survey_guard;

-- A counter of the chat's turns, so that a reply deferred to the outbox can tell whether the
-- person wrote again since (before: a comparison of times, which the session no longer keeps
-- finer than the sesi).
ALTER TABLE sessions ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
