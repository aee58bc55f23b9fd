-- A creating form's one-time token and the API's Idempotency-Key: the first request with a key
-- is remembered for a day, so that the same request sent again (a double tap, "back" and send
-- again, a client's retry) gets the first answer instead of making a second thing. Keys belong
-- to one staff account; only their SHA-256 is kept, with a hash of what was asked (the same
-- key with another request is refused) and the answer (NULL while the first is under way):
-- for a form, the local address of what it made; for the API, the status and JSON body, never
-- a secret (an answer that shows one is kept without its body).

CREATE TABLE idempotency_keys (
    account_id INTEGER NOT NULL,
    key_hash TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    answer TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, key_hash)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
