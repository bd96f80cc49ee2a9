-- Foundation: organisation (units, services, service points), anonymous survey
-- responses, conversation state, dedup of platform messages, the outbox.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Unit pelayanan; a unit may sit under a parent (a Puskesmas under Dinkes).
-- population: people served per year, when known (for the Krejcie-Morgan size).
CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    parent_id  INTEGER REFERENCES units(id) ON DELETE RESTRICT,
    population INTEGER CHECK (population IS NULL OR population > 0)
);

-- Jenis layanan offered by a unit.
CREATE TABLE services (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    name    TEXT NOT NULL
);
CREATE INDEX services_unit ON services(unit_id);

-- A counter or desk where a service is given; its QR code carries a signed payload.
-- officer_nip: the employee who serves there, when one does.
CREATE TABLE service_points (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    service_id  INTEGER NOT NULL REFERENCES services(id) ON DELETE RESTRICT,
    name        TEXT NOT NULL,
    officer_nip TEXT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX service_points_service ON service_points(service_id);

-- One SKM response. Anonymous by construction: no chat id, name or phone.
-- Unsur columns hold 1..4 or NULL (a blank answer on an imported paper form).
CREATE TABLE survey_responses (
    id            INTEGER PRIMARY KEY,
    point_id      INTEGER NOT NULL REFERENCES service_points(id) ON DELETE RESTRICT,
    submitted_at  TEXT NOT NULL,             -- ISO 8601, UTC
    channel       TEXT NOT NULL,             -- telegram | whatsapp | console | paper | demo
    u_persyaratan INTEGER CHECK (u_persyaratan BETWEEN 1 AND 4),
    u_prosedur    INTEGER CHECK (u_prosedur BETWEEN 1 AND 4),
    u_waktu       INTEGER CHECK (u_waktu BETWEEN 1 AND 4),
    u_biaya       INTEGER CHECK (u_biaya BETWEEN 1 AND 4),
    u_produk      INTEGER CHECK (u_produk BETWEEN 1 AND 4),
    u_kompetensi  INTEGER CHECK (u_kompetensi BETWEEN 1 AND 4),
    u_perilaku    INTEGER CHECK (u_perilaku BETWEEN 1 AND 4),
    u_pengaduan   INTEGER CHECK (u_pengaduan BETWEEN 1 AND 4),
    u_sarana      INTEGER CHECK (u_sarana BETWEEN 1 AND 4),
    jenis_kelamin TEXT,
    usia          TEXT,
    pendidikan    TEXT,
    pekerjaan     TEXT,
    saran         TEXT CHECK (saran IS NULL OR length(saran) <= 1000)
);
CREATE INDEX survey_responses_point_time ON survey_responses(point_id, submitted_at);
CREATE INDEX survey_responses_time ON survey_responses(submitted_at);

-- Anti ballot-stuffing, kept apart from the responses: a keyed hash of
-- (channel, chat id) with the point and the local day. It cannot be joined
-- to a response (no response id, no time finer than the day).
CREATE TABLE survey_guard (
    chat_hash TEXT NOT NULL,
    point_id  INTEGER NOT NULL REFERENCES service_points(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,                 -- YYYY-MM-DD in the configured timezone
    count     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (chat_hash, point_id, day)
);

-- What channels learn of a chat: reachability, last inbound (WhatsApp's window).
CREATE TABLE chats (
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    unreachable     INTEGER NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1)),
    last_inbound_at TEXT,
    PRIMARY KEY (channel, chat_id)
);

-- Conversation state: one row per chat.
CREATE TABLE sessions (
    channel    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    flow       TEXT NOT NULL,
    step       TEXT NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,   -- bumps with every question asked
    data       TEXT NOT NULL DEFAULT '{}',  -- JSON
    language   TEXT,                         -- id | en, chosen or from the platform
    updated_at TEXT NOT NULL,
    expires_at TEXT,
    PRIMARY KEY (channel, chat_id)
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- Platform message ids already handled (drop redeliveries).
CREATE TABLE inbound_seen (
    channel    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (channel, message_id)
) WITHOUT ROWID;
CREATE INDEX inbound_seen_time ON inbound_seen(seen_at);

-- Durable queue of messages to people who did not just write.
-- dedup_key makes an enqueue idempotent (e.g. 'summary:<nip>:2026-W47').
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'message',
    payload         TEXT NOT NULL,           -- JSON of a Reply
    dedup_key       TEXT UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read',
                                      'failed', 'unreachable')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    platform_id     TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_platform ON outbox(platform_id);
