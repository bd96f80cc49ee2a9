-- Nothing lost to a crash (issue 13, part 2).
--
-- inbox: every platform update is written here, in a short transaction of its own,
-- before the platform is told it arrived (the getUpdates offset, a webhook's 200).
-- A row is processed once, in id order within its chat_key; then its payload and
-- chat_key are dropped and done_on (a date, no finer) set: the row stays as a
-- tombstone so that a redelivery of the same update is recognised, and is purged
-- after KINERJA_SEEN_MESSAGE_DAYS.
CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order, never reused
    channel    TEXT NOT NULL,
    update_key TEXT NOT NULL,    -- the update's message id (Telegram's update_id, WhatsApp's
                                 -- wamid), else a hash of the body
    chat_key   TEXT,             -- one chat's updates are processed in order; NULL: any order
    payload    TEXT,             -- the update as received (JSON); NULL once processed
    done_on    TEXT,             -- YYYY-MM-DD it was processed; NULL while pending
    UNIQUE (channel, update_key)
);
CREATE INDEX inbox_pending ON inbox(id) WHERE done_on IS NULL;
CREATE INDEX inbox_done ON inbox(done_on) WHERE done_on IS NOT NULL;

-- held_replies: a turn's replies, written in the turn's own unit of work and
-- deleted once they were handed to the platform. A row left by a killed process
-- goes to the outbox (kind 'reply') at the next start, so a reply is never lost
-- between the commit and the send.
CREATE TABLE held_replies (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    message_id TEXT,             -- the platform's id of the message the turn answered
    payload    TEXT NOT NULL     -- JSON list of Reply
);
