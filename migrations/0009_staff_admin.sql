-- Administration without spreadsheets (issue 12, parts 5 and 8).
--
-- employees.active: a deactivated employee (moved, retired) keeps every report, decision
-- and rating, but can no longer be invited or linked to a chat.
ALTER TABLE employees ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- Every close and reopen of a rating period: who did it, when and (for a reopen) why.
-- period_closures keeps only the closures in force; this keeps the history.
CREATE TABLE period_events (
    id      INTEGER PRIMARY KEY,
    period  TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
    action  TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
    at      TEXT NOT NULL,
    by      TEXT NOT NULL,
    reason  TEXT
);
CREATE INDEX period_events_period ON period_events(period);
