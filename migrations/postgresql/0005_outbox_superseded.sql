-- PostgreSQL form of ../0005_outbox_superseded.sql (same number; see docs/architecture.md,
-- Storage). PostgreSQL changes a CHECK constraint in place: no table rebuild.
-- A reply that could not be sent right away goes to the outbox (kind 'reply');
-- if the person writes again before it is sent, it is dropped as 'superseded'.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read',
                      'failed', 'unreachable', 'superseded'));
