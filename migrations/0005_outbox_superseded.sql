-- A reply that could not be sent right away goes to the outbox (kind 'reply');
-- if the person writes again before it is sent, it is dropped as 'superseded'.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt as it was
-- with the one status more (no other table refers to outbox).
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'message',
    payload         TEXT NOT NULL,           -- JSON of a Reply
    dedup_key       TEXT UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read',
                                      'failed', 'unreachable', 'superseded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    platform_id     TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
INSERT INTO outbox_new
    (id, channel, chat_id, kind, payload, dedup_key, status, attempts, next_attempt_at,
     last_error, platform_id, created_at, sent_at)
SELECT id, channel, chat_id, kind, payload, dedup_key, status, attempts, next_attempt_at,
       last_error, platform_id, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_platform ON outbox(platform_id);
