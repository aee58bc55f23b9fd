-- A sign-in sheet closed by its facilitator: a SHA-256 of its content (who, attendance, when)
-- sealed at that moment. A later correction re-opens it, recorded here and in the audit trail,
-- never silently.

CREATE TABLE sheet_seals (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    sealed_at INTEGER NOT NULL,
    sealed_by INTEGER REFERENCES users(id),
    content_hash TEXT NOT NULL,
    reopened_at INTEGER,
    reopened_by INTEGER REFERENCES users(id)
);
CREATE INDEX sheet_seals_session ON sheet_seals(session_id, sealed_at);
