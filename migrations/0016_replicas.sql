-- Several replicas on one PostgreSQL database (issue 17). Portable: no PostgreSQL variant.
--
-- replicas: every running `kinerja run` (a random id per start) and until when it is
-- known to be alive; it renews the time every third of KINERJA_REPLICA_LEASE_SECONDS.
-- A replica whose time has passed is dead: a live one sends its held replies through
-- the outbox, gives its claimed inbox rows back, then deletes its row. No personal data.
CREATE TABLE replicas (
    id          TEXT PRIMARY KEY,
    alive_until TEXT NOT NULL       -- ISO 8601, UTC
);

-- inbox.claimed_by: the replica processing a pending row (NULL: nobody yet, and again
-- once processed). A chat's rows are claimed in id order, by one replica at a time.
ALTER TABLE inbox ADD COLUMN claimed_by TEXT;
CREATE INDEX inbox_pending_chat ON inbox(channel, chat_key, id) WHERE done_on IS NULL;

-- held_replies.replica: the replica whose turn wrote the hold (NULL: written before this
-- migration, taken over like a dead replica's).
ALTER TABLE held_replies ADD COLUMN replica TEXT;

-- outbox.claimed_by: the replica that claimed a row (status 'sending'); a dead replica's
-- rows go back to pending when it is found dead, not only after the outbox's own lease.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
