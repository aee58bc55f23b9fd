-- The day-before answer. A reminder, or a seat offer from the waiting list, carries a personal
-- link (`/r/{token}`, only its hash kept here) to a page with two buttons: "Je viens" and "Je ne
-- peux pas venir". The link acts for one person and one session only, and stops working when
-- the session ends.
CREATE TABLE answer_links (
    token_hash TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX answer_links_session ON answer_links(session_id);
CREATE INDEX answer_links_participant ON answer_links(participant_id);

-- What the person answered (`coming`, `declined`) and when; a person who declines frees their
-- seat and is recorded as excused. `reminded_for` is the start time the last reminder was
-- queued for: a session moved to another day is reminded again for its new date.
ALTER TABLE enrolments ADD COLUMN answer TEXT;
ALTER TABLE enrolments ADD COLUMN answered_at INTEGER;
ALTER TABLE enrolments ADD COLUMN reminded_for INTEGER;

-- A person who asked for no more SMS (from their page, or by answering STOP to the provider).
ALTER TABLE participants ADD COLUMN sms_stopped_at INTEGER;
