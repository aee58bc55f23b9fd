-- Reserved seats are counted, not assigned: a reservation guarantees a structure *at least* its
-- seats until the release date, and which seat a person holds is bookkeeping. An enrolment no
-- longer stores the reserved "pool" it took (a freed seat went back to that pool, leaving seats
-- empty while people waited); it records the structure its participant belonged to when seated,
-- which is whose guarantee it counts towards. SQLite cannot drop a column that references
-- another table, so the table is rebuilt (nothing references enrolments).

CREATE TABLE enrolments_new (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    status TEXT NOT NULL,
    overbooked INTEGER NOT NULL DEFAULT 0,
    queue_tick INTEGER NOT NULL,
    enrolled_by_user_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    attendance TEXT NOT NULL DEFAULT 'unknown',
    UNIQUE (session_id, participant_id)
);

INSERT INTO enrolments_new (id, session_id, participant_id, structure_id, status, overbooked, queue_tick,
    enrolled_by_user_id, created_at, updated_at, attendance)
SELECT e.id, e.session_id, e.participant_id, p.structure_id, e.status, e.overbooked, e.queue_tick,
    e.enrolled_by_user_id, e.created_at, e.updated_at, e.attendance
FROM enrolments e JOIN participants p ON p.id = e.participant_id;

DROP TABLE enrolments;
ALTER TABLE enrolments_new RENAME TO enrolments;
CREATE INDEX enrolments_session_status ON enrolments(session_id, status, queue_tick);
CREATE INDEX enrolments_participant ON enrolments(participant_id, status);
