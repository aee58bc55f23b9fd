-- Invitations: a single-use link, valid 7 days, with which a new staff member (or one whose
-- password an admin reset) chooses their own password. Only a hash of the link's secret is kept.

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX invitations_user ON invitations(user_id);
