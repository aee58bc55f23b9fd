-- Reserved seats are counted, not assigned: a reservation guarantees a structure *at least* its
-- seats until the release date, and which seat a person holds is bookkeeping. An enrolment no
-- longer stores the reserved "pool" it took (a freed seat went back to that pool, leaving seats
-- empty while people waited); it records the structure its participant belonged to when seated,
-- which is whose guarantee it counts towards.

ALTER TABLE enrolments ADD COLUMN structure_id BIGINT REFERENCES structures(id);
UPDATE enrolments e SET structure_id = p.structure_id FROM participants p WHERE p.id = e.participant_id;
ALTER TABLE enrolments ALTER COLUMN structure_id SET NOT NULL;
ALTER TABLE enrolments DROP COLUMN seat_pool_structure_id;
