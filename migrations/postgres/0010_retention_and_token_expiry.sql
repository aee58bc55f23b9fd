-- Personal data is kept only as long as it serves: a participant archived when they leave is
-- anonymised some months later (their attendances stay in the figures, under their structure),
-- or at once when they ask. People archived before this release count as archived today.
ALTER TABLE participants ADD COLUMN archived_at BIGINT;
ALTER TABLE participants ADD COLUMN anonymised_at BIGINT;
UPDATE participants SET archived_at = EXTRACT(EPOCH FROM now())::BIGINT WHERE active = 0;
CREATE INDEX participants_archived ON participants(archived_at) WHERE anonymised_at IS NULL;
CREATE INDEX audit_log_at ON audit_log(at);

-- A sealed sign-in sheet whose people were anonymised since: what it says now, so the seal is
-- still seen to hold (the anonymisation is in the audit trail).
ALTER TABLE sheet_seals ADD COLUMN anonymised_hash TEXT;

-- API tokens end: each has a name given by its owner, an end date, and when it was last used.
-- Tokens issued before keep working for a year from the upgrade.
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
UPDATE api_tokens SET expires_at = EXTRACT(EPOCH FROM now())::BIGINT + 365 * 86400;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
