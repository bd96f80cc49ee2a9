-- The atasan's own hasil kerja rating per indicator (overriding the suggestion from
-- capaian), and the closing of rating periods. History is kept: a revision is a new
-- row and the latest per (indicator, period) wins; rating NULL means "use the
-- suggestion again" (an earlier override withdrawn).

CREATE TABLE indicator_ratings (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE RESTRICT,
    period       TEXT NOT NULL,                -- e.g. 2026-Q4
    rater_id     INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    rating       TEXT CHECK (rating IN ('di_bawah', 'sesuai', 'di_atas')),
    rated_at     TEXT NOT NULL
);
CREATE INDEX indicator_ratings_indicator ON indicator_ratings(indicator_id, period);

-- A closed period: ratings of it can no longer be given or revised. unit_id NULL
-- closes the period for every unit.
CREATE TABLE period_closures (
    id        INTEGER PRIMARY KEY,
    period    TEXT NOT NULL,
    unit_id   INTEGER REFERENCES units(id) ON DELETE RESTRICT,
    closed_at TEXT NOT NULL,
    closed_by TEXT
);
CREATE UNIQUE INDEX period_closures_scope ON period_closures(period, IFNULL(unit_id, 0));
