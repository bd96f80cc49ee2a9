-- Pushes in the recipient's language, with files, and for people not linked yet (issue 14).
--
-- outbox.language: the catalog the row was written in (the chat's saved language, else the
-- default), so a row says which language its person reads.
ALTER TABLE outbox ADD COLUMN language TEXT;

-- Files a push carries (a weekly summary's PNG chart and XLSX), stored once by content: the
-- outbox payload names them ({"files": [{"name", "sha256", "mime"}]}), so the Telegram and the
-- WhatsApp row of one person share one copy, and every replica sending the outbox reads
-- them from the one database. Dropped by housekeeping once no pending row names them and
-- they are older than the retention (links to them stay valid until then).
CREATE TABLE push_files (
    sha256      TEXT PRIMARY KEY,
    mime_type   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    token       TEXT NOT NULL UNIQUE,        -- unguessable name for a download link
    created_at  TEXT NOT NULL
);

-- A push to an employee with no linked chat waits here, rendered in every catalog language
-- ({"id": Reply, "en": Reply}); linking a chat moves it to the outbox in that chat's language.
CREATE TABLE waiting_pushes (
    id          INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    payloads    TEXT NOT NULL,
    language    TEXT NOT NULL,               -- for a chat that never chose one
    dedup_key   TEXT UNIQUE,
    created_at  TEXT NOT NULL
);
CREATE INDEX waiting_pushes_employee ON waiting_pushes(employee_id, id);
