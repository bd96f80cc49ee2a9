-- Issue #14: a rejected progress report, corrected and sent again, is a new report (a new
-- version) that names the one it corrects; the rejected one is kept as it was, with its
-- decisions. A report is corrected at most once (the correction may itself be rejected and
-- corrected in turn).
ALTER TABLE progress_reports ADD COLUMN revises_id INTEGER
    REFERENCES progress_reports(id) ON DELETE RESTRICT;
CREATE UNIQUE INDEX progress_reports_revises ON progress_reports(revises_id)
    WHERE revises_id IS NOT NULL;
-- /usul for an atasan lists the proposals of their staff waiting for a decision.
CREATE INDEX proposals_status ON proposals(status, employee_id);
