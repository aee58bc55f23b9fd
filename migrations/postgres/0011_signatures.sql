-- Signatures drawn with a finger on the sign-in sheet: a present participant's, or a staff
-- member's who ran the session. The strokes are SVG path data in a 300 × 100 box (see
-- `toile_shared::signature`); signing again replaces the signature. A participant's signature
-- goes when they are no longer marked present, and when they are anonymised.
CREATE TABLE signatures (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    participant_id BIGINT REFERENCES participants(id),
    user_id BIGINT REFERENCES users(id),
    strokes TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    CHECK ((participant_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX signatures_participant ON signatures(session_id, participant_id) WHERE participant_id IS NOT NULL;
CREATE UNIQUE INDEX signatures_staff ON signatures(session_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX signatures_of_participant ON signatures(participant_id) WHERE participant_id IS NOT NULL;
