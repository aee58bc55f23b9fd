-- Messages to participants (SMS, e-mail), written in the same transaction as the change that
-- causes them: a crash can neither send for a change that did not happen nor lose one that
-- did (a transactional outbox). The delivery worker claims due messages for a while
-- (`claimed_until`), sends them, and records the provider's id; a failure is retried with a
-- growing wait, then given up and shown to staff. `idempotency_key` (event, person, channel)
-- makes the same message impossible to queue twice. The address is read when sending, so a
-- person who withdrew it, or was anonymised, gets nothing.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    claimed_until BIGINT,
    provider TEXT,
    provider_id TEXT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, due_at);
CREATE INDEX outbox_participant ON outbox(participant_id);

