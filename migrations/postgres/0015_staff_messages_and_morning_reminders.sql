-- Messages to staff go through the same outbox as those to participants: a CIP is told by
-- e-mail when someone of their structure declines a session, and each facilitator gets, the day
-- before, a digest of the sessions they run. A message is now for a participant or for a staff
-- member (`user_id`), never both; a digest is about a day, not one session (`session_id` NULL).
ALTER TABLE outbox ALTER COLUMN session_id DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN participant_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN user_id BIGINT REFERENCES users(id);
ALTER TABLE outbox ADD CONSTRAINT outbox_one_recipient CHECK ((participant_id IS NULL) <> (user_id IS NULL));
CREATE INDEX outbox_user ON outbox(user_id);

-- The reminder on the morning of a session, where the group asks for it: the start time the
-- person was last reminded of that morning (as `reminded_for` is for the day before).
ALTER TABLE enrolments ADD COLUMN morning_reminded_for BIGINT;
