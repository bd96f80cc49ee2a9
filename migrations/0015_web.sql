-- The web face (issue 16): officers' login links and sessions, and what makes the public
-- pages cheap on a large database.
--
-- A login link is single-use and short-lived; only the SHA-256 of its token is kept, so a
-- copy of the database lets nobody log in. employee_id NULL with is_admin 1: a link printed
-- by `kinerja web-login` for an administrator who is no employee.
CREATE TABLE web_login_links (
    token_hash  TEXT PRIMARY KEY,
    employee_id INTEGER REFERENCES employees(id) ON DELETE CASCADE,
    is_admin    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX web_login_links_employee ON web_login_links(employee_id, created_at);

-- A browser session (the cookie carries the token; the SHA-256 is kept): ends at logout,
-- after idle_minutes without a request, or when the employee is deactivated.
CREATE TABLE web_sessions (
    token_hash  TEXT PRIMARY KEY,
    employee_id INTEGER REFERENCES employees(id) ON DELETE CASCADE,
    is_admin    INTEGER NOT NULL DEFAULT 0,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

-- Wholly blank forms (no unsur answered) are no respondents (skm.md) but survey_day_totals.n
-- counts every row: this small partial index finds the blank ones of a period quickly, so a
-- period's respondents come from the day totals without reading every response.
CREATE INDEX survey_responses_blank ON survey_responses(point_id, submitted_at)
WHERE u_persyaratan IS NULL AND u_prosedur IS NULL AND u_waktu IS NULL AND u_biaya IS NULL
  AND u_produk IS NULL AND u_kompetensi IS NULL AND u_perilaku IS NULL
  AND u_pengaduan IS NULL AND u_sarana IS NULL;
