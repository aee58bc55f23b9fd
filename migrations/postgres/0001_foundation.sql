-- Toile's foundation schema (PostgreSQL). Times are Unix seconds (UTC); flags are 0/1 integers,
-- so one set of queries serves SQLite and PostgreSQL through sqlx's Any driver.

CREATE TABLE structures (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    siret TEXT
);

CREATE TABLE sites (
    id BIGSERIAL PRIMARY KEY,
    structure_id BIGINT NOT NULL REFERENCES structures(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    access_notes TEXT
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    structure_id BIGINT REFERENCES structures(id),
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE participants (
    id BIGSERIAL PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    structure_id BIGINT NOT NULL REFERENCES structures(id),
    referent_id BIGINT REFERENCES users(id),
    phone TEXT,
    email TEXT,
    support_needs TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    access_code_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX participants_structure ON participants(structure_id);

CREATE TABLE series (
    id BIGSERIAL PRIMARY KEY,
    occurrences BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    series_id BIGINT REFERENCES series(id),
    kind TEXT NOT NULL,
    theme TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    location_kind TEXT,
    site_id BIGINT REFERENCES sites(id),
    location_text TEXT,
    capacity BIGINT NOT NULL,
    -- Confirmed enrolments, kept in step under the session's row lock; the guarded UPDATE on
    -- it is the last line of defence against overbooking.
    seats_taken BIGINT NOT NULL DEFAULT 0,
    -- Bumped by every enrolment transaction: takes the row lock and orders the waiting list.
    queue_tick BIGINT NOT NULL DEFAULT 0,
    organiser_structure_id BIGINT NOT NULL REFERENCES structures(id),
    company_name TEXT,
    speaker TEXT,
    audience_all BIGINT NOT NULL,
    -- Seats reserved for structures in all: lets an enrolment skip reading reservations.
    reserved_total BIGINT NOT NULL DEFAULT 0,
    reserved_until BIGINT,
    enrolment_opens_at BIGINT,
    enrolment_closes_at BIGINT,
    cancellation_deadline BIGINT,
    status TEXT NOT NULL,
    -- iCalendar SEQUENCE: raised when time, place or status change.
    sequence BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (seats_taken >= 0)
);
CREATE INDEX sessions_starts_at ON sessions(starts_at);

CREATE TABLE session_facilitators (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE session_audience (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES structures(id),
    PRIMARY KEY (session_id, structure_id)
);

CREATE TABLE session_reservations (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES structures(id),
    seats BIGINT NOT NULL,
    PRIMARY KEY (session_id, structure_id)
);

CREATE TABLE enrolments (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    status TEXT NOT NULL,
    -- The structure whose reserved seat this confirmed enrolment holds; NULL for an open seat.
    seat_pool_structure_id BIGINT REFERENCES structures(id),
    overbooked BIGINT NOT NULL DEFAULT 0,
    queue_tick BIGINT NOT NULL,
    enrolled_by_user_id BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    attendance TEXT NOT NULL DEFAULT 'unknown',
    UNIQUE (session_id, participant_id)
);
CREATE INDEX enrolments_session_status ON enrolments(session_id, status, queue_tick);
CREATE INDEX enrolments_participant ON enrolments(participant_id, status);

CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users(id),
    participant_id BIGINT REFERENCES participants(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

-- Who changed what: actor is 'user:<id>', 'participant:<id>' or 'system'.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    session_id BIGINT,
    participant_id BIGINT,
    details TEXT NOT NULL
);
