-- Calendar feeds (PostgreSQL): secret-URL iCalendar subscriptions. Only a hash of each feed's token
-- is stored; regenerating a feed replaces the hash, deleting the row revokes the URL.

CREATE TABLE calendar_feeds (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    -- Who created it, a staff member or a participant: only they, or an admin, manage it.
    owner_user_id BIGINT REFERENCES users(id),
    owner_participant_id BIGINT REFERENCES participants(id),
    -- 'group', 'structure', 'staff' or 'participant', with the one id that scope needs.
    scope TEXT NOT NULL,
    structure_id BIGINT REFERENCES structures(id),
    user_id BIGINT REFERENCES users(id),
    participant_id BIGINT REFERENCES participants(id),
    -- A session kind code, or NULL for every kind.
    kind TEXT,
    created_at BIGINT NOT NULL,
    CHECK ((owner_user_id IS NULL) <> (owner_participant_id IS NULL))
);
CREATE INDEX calendar_feeds_owner_user ON calendar_feeds(owner_user_id);
CREATE INDEX calendar_feeds_owner_participant ON calendar_feeds(owner_participant_id);

-- What the feeds' queries look sessions up by.
CREATE INDEX session_facilitators_user ON session_facilitators(user_id);
CREATE INDEX session_audience_structure ON session_audience(structure_id);
CREATE INDEX participants_referent ON participants(referent_id);
