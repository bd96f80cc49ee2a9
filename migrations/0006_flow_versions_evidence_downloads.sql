-- House v2: versioned conversation state, and evidence downloaded after the report is stored.

-- The version of the flow that wrote a session's data: a conversation saved by an older
-- deploy whose flow changed shape is restarted instead of misread.
ALTER TABLE sessions ADD COLUMN flow_version INTEGER NOT NULL DEFAULT 1;

-- Evidence of a progress report is downloaded after "Kirim" has stored the report (never
-- inside the turn). NULL: no file to fetch (no evidence, or only the platform reference is
-- kept); 'pending': to download (attempts so far, next try at); 'stored': evidence_path and
-- evidence_sha256 are set; 'failed': given up after the last attempt (the person was told).
ALTER TABLE progress_reports ADD COLUMN evidence_status TEXT
    CHECK (evidence_status IN ('pending', 'stored', 'failed'));
ALTER TABLE progress_reports ADD COLUMN evidence_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress_reports ADD COLUMN evidence_next_at TEXT;
ALTER TABLE progress_reports ADD COLUMN evidence_error TEXT;
UPDATE progress_reports SET evidence_status = 'stored' WHERE evidence_path IS NOT NULL;
CREATE INDEX progress_reports_evidence_due ON progress_reports(evidence_next_at)
    WHERE evidence_status = 'pending';
