-- A browser sign-in ends after a while without use: two hours for staff, thirty days for a
-- participant on their own phone, fifteen minutes on a borrowed or shared one. Sign-ins made
-- before count as used now, with their kind's limit.
ALTER TABLE auth_sessions ADD COLUMN last_seen_at INTEGER;
ALTER TABLE auth_sessions ADD COLUMN idle_seconds INTEGER;
UPDATE auth_sessions SET last_seen_at = CAST(strftime('%s', 'now') AS INTEGER),
    idle_seconds = CASE WHEN user_id IS NULL THEN 2592000 ELSE 7200 END;
CREATE INDEX auth_sessions_expiry ON auth_sessions(expires_at);
