-- Messages to staff go through the same outbox as those to participants: a CIP is told by
-- e-mail when someone of their structure declines a session, and each facilitator gets, the day
-- before, a digest of the sessions they run. A message is now for a participant or for a staff
-- member (`user_id`), never both; a digest is about a day, not one session (`session_id` NULL).
-- SQLite cannot drop NOT NULL from a column: the table is rebuilt, every row kept as it was.
CREATE TABLE outbox_v15 (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    session_id INTEGER REFERENCES sessions(id),
    participant_id INTEGER REFERENCES participants(id),
    user_id INTEGER REFERENCES users(id),
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until INTEGER,
    provider TEXT,
    provider_id TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    CHECK ((participant_id IS NULL) <> (user_id IS NULL))
);
INSERT INTO outbox_v15 (id, idempotency_key, kind, session_id, participant_id, channel, subject, body, due_at, status,
                        attempts, claimed_until, provider, provider_id, last_error, created_at, sent_at)
SELECT id, idempotency_key, kind, session_id, participant_id, channel, subject, body, due_at, status,
       attempts, claimed_until, provider, provider_id, last_error, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v15 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, due_at);
CREATE INDEX outbox_participant ON outbox(participant_id);
CREATE INDEX outbox_user ON outbox(user_id);

-- The reminder on the morning of a session, where the group asks for it: the start time the
-- person was last reminded of that morning (as `reminded_for` is for the day before).
ALTER TABLE enrolments ADD COLUMN morning_reminded_for INTEGER;
