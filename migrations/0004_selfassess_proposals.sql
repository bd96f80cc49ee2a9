-- Issue #7: self-assessment (/nilaidiri), indicator proposals (/usul) with the target
-- history they leave, and the once-only introduction after /daftar. History is kept:
-- a new self-assessment is a new row (the latest per employee and period wins);
-- proposals only move status, and every step is a proposal_events row.

-- One self-assessment submission of an employee for a period (triwulan), with the
-- optional note that only the direct atasan may read.
CREATE TABLE self_assessments (
    id           INTEGER PRIMARY KEY,
    employee_id  INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    period       TEXT NOT NULL,                -- e.g. 2026-Q4
    note         TEXT CHECK (note IS NULL OR length(note) <= 300),
    submitted_at TEXT NOT NULL
);
CREATE INDEX self_assessments_employee ON self_assessments(employee_id, period);

-- The items of one submission: "i:<indicator id>" (hasil kerja) or "v:<BerAKHLAK key>".
CREATE TABLE self_assessment_items (
    assessment_id INTEGER NOT NULL REFERENCES self_assessments(id) ON DELETE CASCADE,
    item          TEXT NOT NULL,
    rating        TEXT NOT NULL CHECK (rating IN ('di_bawah', 'sesuai', 'di_atas')),
    PRIMARY KEY (assessment_id, item)
);

-- An employee's proposal for their own SKP: a new indicator or a new target of one.
CREATE TABLE proposals (
    id             INTEGER PRIMARY KEY,
    employee_id    INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    kind           TEXT NOT NULL CHECK (kind IN ('new', 'target')),
    tahun          INTEGER NOT NULL,
    indicator_id   INTEGER REFERENCES indicators(id) ON DELETE RESTRICT,  -- kind 'target'
    rhk            TEXT,
    jenis          TEXT CHECK (jenis IS NULL OR jenis IN ('utama', 'tambahan')),
    indikator      TEXT,
    aspek          TEXT CHECK (aspek IS NULL OR aspek IN ('kuantitas', 'kualitas', 'waktu',
                                                            'biaya')),
    satuan         TEXT,
    arah           TEXT CHECK (arah IS NULL OR arah IN ('naik', 'turun')),
    target         REAL NOT NULL CHECK (target >= 0),
    reason         TEXT,
    counter_target REAL CHECK (counter_target IS NULL OR counter_target >= 0),
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'countered', 'accepted', 'declined')),
    created_at     TEXT NOT NULL,
    decided_at     TEXT,
    CHECK ((kind = 'target') = (indicator_id IS NOT NULL))
);
CREATE INDEX proposals_employee ON proposals(employee_id, status);

-- Every step of a proposal: who said what, and when.
CREATE TABLE proposal_events (
    id             INTEGER PRIMARY KEY,
    proposal_id    INTEGER NOT NULL REFERENCES proposals(id) ON DELETE RESTRICT,
    by_employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    action         TEXT NOT NULL CHECK (action IN ('propose', 'accept', 'counter', 'decline',
                                                   'agree', 'disagree')),
    target         REAL,
    text           TEXT,
    at             TEXT NOT NULL
);
CREATE INDEX proposal_events_proposal ON proposal_events(proposal_id);

-- Every change of an indicator's target after import (old NULL: the indicator was added).
CREATE TABLE indicator_target_history (
    id             INTEGER PRIMARY KEY,
    indicator_id   INTEGER NOT NULL REFERENCES indicators(id) ON DELETE RESTRICT,
    old_target     REAL,
    new_target     REAL NOT NULL,
    by_employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    reason         TEXT,
    proposal_id    INTEGER REFERENCES proposals(id) ON DELETE RESTRICT,
    at             TEXT NOT NULL
);
CREATE INDEX indicator_target_history_indicator ON indicator_target_history(indicator_id);

-- The guided introduction is shown once per employee, at the first /daftar.
CREATE TABLE employee_intros (
    employee_id INTEGER PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
    shown_at    TEXT NOT NULL
);
