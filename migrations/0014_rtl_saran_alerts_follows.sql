-- The SKM cycle after the index (issue 15, parts 2, 3, 4 and 6).
--
-- rtl_items: a unit's rencana tindak lanjut (RTL) for an SKM period: the unsur it answers,
-- the problem and the action, the penanggung jawab (an employee), the target date, the
-- progress (0..100 %) and status. rtl_updates keeps every change with who and when (the
-- first row is the creation), so the history is never lost.
CREATE TABLE rtl_items (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    period         TEXT NOT NULL,            -- the SKM period it answers (kinerja.periods label)
    unsur          TEXT NOT NULL CHECK (unsur IN ('persyaratan', 'prosedur', 'waktu', 'biaya',
                       'produk', 'kompetensi', 'perilaku', 'pengaduan', 'sarana')),
    problem        TEXT CHECK (problem IS NULL OR length(problem) <= 500),
    action         TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 500),
    responsible_id INTEGER REFERENCES employees(id) ON DELETE RESTRICT,
    target_date    TEXT NOT NULL,            -- YYYY-MM-DD, local
    progress       INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    status         TEXT NOT NULL DEFAULT 'rencana'
                   CHECK (status IN ('rencana', 'berjalan', 'selesai')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX rtl_items_unit ON rtl_items(unit_id, period);
CREATE INDEX rtl_items_target ON rtl_items(status, target_date);

CREATE TABLE rtl_updates (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES rtl_items(id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    by_employee_id INTEGER REFERENCES employees(id) ON DELETE RESTRICT,
    by_name        TEXT NOT NULL,            -- as shown: "Nama (NIP)" or "admin (CLI)"
    action         TEXT NOT NULL CHECK (action IN ('create', 'update')),
    progress       INTEGER CHECK (progress IS NULL OR progress BETWEEN 0 AND 100),
    status         TEXT CHECK (status IS NULL OR status IN ('rencana', 'berjalan', 'selesai')),
    target_date    TEXT,
    responsible_id INTEGER REFERENCES employees(id) ON DELETE RESTRICT,
    note           TEXT CHECK (note IS NULL OR length(note) <= 500)
);
CREATE INDEX rtl_updates_item ON rtl_updates(item_id, id);

-- What the unit did with a saran: its mark and the RTL it is linked to. A saran without a
-- row here is 'baru'. Only 'dipublikasikan' saran may be quoted in a published report.
CREATE TABLE saran_marks (
    response_id INTEGER PRIMARY KEY REFERENCES survey_responses(id)
        ON DELETE CASCADE ON UPDATE CASCADE,  -- ids are rewritten once (issue 13: random ids)
    mark        TEXT NOT NULL DEFAULT 'baru'
                CHECK (mark IN ('baru', 'ditindaklanjuti', 'tidak_relevan', 'dipublikasikan')),
    rtl_id      INTEGER REFERENCES rtl_items(id) ON DELETE SET NULL,
    marked_at   TEXT NOT NULL,
    marked_by   TEXT NOT NULL
);
CREATE INDEX saran_marks_rtl ON saran_marks(rtl_id);

-- Alerts to the unit head (part 4). Both kinds are on unless a row turns them off.
CREATE TABLE unit_alerts (
    unit_id       INTEGER PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    bad_responses INTEGER NOT NULL DEFAULT 1 CHECK (bad_responses IN (0, 1)),
    ikm_drop      INTEGER NOT NULL DEFAULT 1 CHECK (ikm_drop IN (0, 1))
);

-- Bad responses waiting for the hourly alert: counts only, per unit and local clock hour
-- ("YYYY-MM-DDTHH"); nothing that points to a response. A row is deleted when its push is
-- queued.
CREATE TABLE alert_pending (
    unit_id       INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    hour          TEXT NOT NULL,
    responses     INTEGER NOT NULL DEFAULT 0,  -- responses with some unsur at 1
    serious       INTEGER NOT NULL DEFAULT 0,  -- saran with a serious complaint
    u_persyaratan INTEGER NOT NULL DEFAULT 0, u_prosedur   INTEGER NOT NULL DEFAULT 0,
    u_waktu       INTEGER NOT NULL DEFAULT 0, u_biaya      INTEGER NOT NULL DEFAULT 0,
    u_produk      INTEGER NOT NULL DEFAULT 0, u_kompetensi INTEGER NOT NULL DEFAULT 0,
    u_perilaku    INTEGER NOT NULL DEFAULT 0, u_pengaduan  INTEGER NOT NULL DEFAULT 0,
    u_sarana      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, hour)
) WITHOUT ROWID;

-- A citizen following a unit (/ikuti, part 6). Its own table, with no time finer than the
-- date and no reference to any response, so it cannot be tied to one.
CREATE TABLE follows (
    channel  TEXT NOT NULL,
    chat_id  TEXT NOT NULL,
    unit_id  INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    language TEXT NOT NULL DEFAULT 'id',
    since    TEXT NOT NULL,                 -- YYYY-MM-DD, local
    PRIMARY KEY (channel, chat_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX follows_unit ON follows(unit_id);
