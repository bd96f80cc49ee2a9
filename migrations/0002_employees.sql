-- Employees (pegawai), their SKP indicators, chat links, activation codes,
-- progress reports with the supervisor's decisions, and BerAKHLAK ratings.
-- Nothing is ever deleted from reports, decisions or ratings: history is kept.

CREATE TABLE employees (
    id        INTEGER PRIMARY KEY,
    nip       TEXT NOT NULL UNIQUE CHECK (length(nip) = 18),
    nama      TEXT NOT NULL,
    jabatan   TEXT NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    atasan_id INTEGER REFERENCES employees(id) ON DELETE RESTRICT,
    phone     TEXT
);
CREATE INDEX employees_atasan ON employees(atasan_id);
CREATE INDEX employees_unit ON employees(unit_id);

-- Indikator kinerja individu of one year's SKP; one row per (employee, tahun, rhk, indikator).
CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    tahun       INTEGER NOT NULL,
    rhk         TEXT NOT NULL,
    jenis       TEXT NOT NULL CHECK (jenis IN ('utama', 'tambahan')),
    indikator   TEXT NOT NULL,
    aspek       TEXT NOT NULL CHECK (aspek IN ('kuantitas', 'kualitas', 'waktu', 'biaya')),
    target      REAL NOT NULL CHECK (target >= 0),
    satuan      TEXT NOT NULL,
    arah        TEXT NOT NULL DEFAULT 'naik' CHECK (arah IN ('naik', 'turun')),
    UNIQUE (employee_id, tahun, rhk, indikator)
);

-- Which chat speaks for which employee: one chat per employee per channel.
CREATE TABLE employee_chats (
    employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (employee_id, channel),
    UNIQUE (channel, chat_id)
);

-- One-time activation codes; only a keyed hash of the code is kept.
CREATE TABLE activation_codes (
    id          INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT
);
CREATE INDEX activation_codes_employee ON activation_codes(employee_id);

-- Wrong activation codes per chat (the brute-force limit looks at the last hour).
CREATE TABLE activation_failures (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX activation_failures_chat ON activation_failures(channel, chat_id, at);

-- Realisasi reported by the employee, with optional bukti dukung (evidence).
CREATE TABLE progress_reports (
    id              INTEGER PRIMARY KEY,
    indicator_id    INTEGER NOT NULL REFERENCES indicators(id) ON DELETE RESTRICT,
    employee_id     INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    amount          REAL NOT NULL CHECK (amount >= 0),
    description     TEXT NOT NULL CHECK (length(description) <= 500),
    work_date       TEXT NOT NULL,            -- YYYY-MM-DD, local
    evidence_kind   TEXT,
    evidence_ref    TEXT,                     -- the platform's file reference
    evidence_path   TEXT,                     -- set once downloaded
    evidence_sha256 TEXT,
    evidence_mime   TEXT,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at      TEXT NOT NULL,
    decided_at      TEXT
);
CREATE INDEX progress_reports_indicator ON progress_reports(indicator_id, status);
CREATE INDEX progress_reports_employee ON progress_reports(employee_id, status);

-- Every decision and comment on a report: who, what, when.
CREATE TABLE report_decisions (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES progress_reports(id) ON DELETE RESTRICT,
    by_employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    action         TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'comment')),
    text           TEXT,
    at             TEXT NOT NULL
);
CREATE INDEX report_decisions_report ON report_decisions(report_id);

-- BerAKHLAK ratings; a revision is a new row (the latest per value wins).
CREATE TABLE behaviour_ratings (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,                -- e.g. 2026-Q4
    employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    rater_id    INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    value_key   TEXT NOT NULL,
    rating      TEXT NOT NULL CHECK (rating IN ('di_bawah', 'sesuai', 'di_atas')),
    at          TEXT NOT NULL
);
CREATE INDEX behaviour_ratings_employee ON behaviour_ratings(employee_id, period);
