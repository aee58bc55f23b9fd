-- Access codes are now stored keyed with the server's secret, which lives outside the database
-- (the codes stored before are keyed in place at the first start, from their SHA-256). The
-- database keeps the key's fingerprint, to refuse a start with another key.
CREATE TABLE secret_key_check (
    fingerprint TEXT NOT NULL
);

-- When each code was last used to sign in (or issued): a code left unused for months stops
-- working, and the person's CIP gives a new one. Codes issued before count from today.
ALTER TABLE participants ADD COLUMN code_used_at BIGINT;
UPDATE participants SET code_used_at = EXTRACT(EPOCH FROM now())::BIGINT;
