-- The programme in the browser: why a session was cancelled (shown to the people enrolled or
-- waiting), when its time or place last changed (their cards say so), and the audit trail read
-- per session on its staff page.

ALTER TABLE sessions ADD COLUMN cancel_reason TEXT;
ALTER TABLE sessions ADD COLUMN schedule_changed_at BIGINT;
CREATE INDEX audit_log_session ON audit_log(session_id, at);
