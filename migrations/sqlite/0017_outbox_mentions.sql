-- Whom a message to staff names, besides whom it is for: a CIP's e-mail about a decline names
-- the person, a facilitator's digest the people who declined. Erasing or anonymising a person
-- deletes at once every message for them (`outbox.participant_id`) or naming them (this table).
CREATE TABLE outbox_mentions (
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    PRIMARY KEY (outbox_id, participant_id)
);
CREATE INDEX outbox_mentions_participant ON outbox_mentions(participant_id);

-- Messages queued before: a decline's key is `staff_declined:{session}:{person}:{user}`.
INSERT INTO outbox_mentions (outbox_id, participant_id)
SELECT id, person FROM (
    SELECT id, CAST(substr(rest, 1, instr(rest, ':') - 1) AS INTEGER) AS person FROM (
        SELECT id, substr(after_kind, instr(after_kind, ':') + 1) AS rest FROM (
            SELECT id, substr(idempotency_key, length('staff_declined:') + 1) AS after_kind
            FROM outbox WHERE kind = 'staff_declined'
        )
    )
)
WHERE person IN (SELECT id FROM participants);

-- A digest named those who had declined the sessions its facilitator ran the next day: every
-- such person of a session starting within two days of the digest (more rather than fewer).
INSERT INTO outbox_mentions (outbox_id, participant_id)
SELECT DISTINCT o.id, e.participant_id
FROM outbox o
JOIN session_facilitators f ON f.user_id = o.user_id
JOIN sessions s ON s.id = f.session_id AND s.starts_at >= o.created_at AND s.starts_at < o.created_at + 172800
JOIN enrolments e ON e.session_id = s.id AND e.answer = 'declined'
WHERE o.kind = 'staff_digest';
