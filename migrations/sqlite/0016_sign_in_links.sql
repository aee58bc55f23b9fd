-- The code card's QR code carries a sign-in link of its own, never the code: it signs the
-- person in once, within 30 days, and dies when a new code is drawn or the person is archived
-- or erased. Only a hash of the link's secret is kept; a link is deleted when used.

CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sign_in_links_participant ON sign_in_links(participant_id);
