-- Toile's foundation schema (SQLite). Times are Unix seconds (UTC); flags are 0/1 integers,
-- so one set of queries serves SQLite and PostgreSQL through sqlx's Any driver.

CREATE TABLE structures (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    siret TEXT
);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    access_notes TEXT
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    structure_id INTEGER REFERENCES structures(id),
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    referent_id INTEGER REFERENCES users(id),
    phone TEXT,
    email TEXT,
    support_needs TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    access_code_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX participants_structure ON participants(structure_id);

CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    occurrences INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    series_id INTEGER REFERENCES series(id),
    kind TEXT NOT NULL,
    theme TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    location_kind TEXT,
    site_id INTEGER REFERENCES sites(id),
    location_text TEXT,
    capacity INTEGER NOT NULL,
    -- Confirmed enrolments, kept in step under the session's row lock; the guarded UPDATE on
    -- it is the last line of defence against overbooking.
    seats_taken INTEGER NOT NULL DEFAULT 0,
    -- Bumped by every enrolment transaction: takes the row lock and orders the waiting list.
    queue_tick INTEGER NOT NULL DEFAULT 0,
    organiser_structure_id INTEGER NOT NULL REFERENCES structures(id),
    company_name TEXT,
    speaker TEXT,
    audience_all INTEGER NOT NULL,
    -- Seats reserved for structures in all: lets an enrolment skip reading reservations.
    reserved_total INTEGER NOT NULL DEFAULT 0,
    reserved_until INTEGER,
    enrolment_opens_at INTEGER,
    enrolment_closes_at INTEGER,
    cancellation_deadline INTEGER,
    status TEXT NOT NULL,
    -- iCalendar SEQUENCE: raised when time, place or status change.
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (seats_taken >= 0)
);
CREATE INDEX sessions_starts_at ON sessions(starts_at);

CREATE TABLE session_facilitators (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE session_audience (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    PRIMARY KEY (session_id, structure_id)
);

CREATE TABLE session_reservations (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    seats INTEGER NOT NULL,
    PRIMARY KEY (session_id, structure_id)
);

CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    -- The structure whose reserved seat this confirmed enrolment holds; NULL for an open seat.
    seat_pool_structure_id INTEGER REFERENCES structures(id),
    overbooked INTEGER NOT NULL DEFAULT 0,
    queue_tick INTEGER NOT NULL,
    enrolled_by_user_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    attendance TEXT NOT NULL DEFAULT 'unknown',
    UNIQUE (session_id, participant_id)
);
CREATE INDEX enrolments_session_status ON enrolments(session_id, status, queue_tick);
CREATE INDEX enrolments_participant ON enrolments(participant_id, status);

CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    participant_id INTEGER REFERENCES participants(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);

-- Who changed what: actor is 'user:<id>', 'participant:<id>' or 'system'.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    session_id INTEGER,
    participant_id INTEGER,
    details TEXT NOT NULL
);
