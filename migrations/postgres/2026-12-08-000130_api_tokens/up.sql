-- Tokens for the JSON API, in place of a staff password: a staff member
-- creates them (account page or `token create`), each is shown once and
-- only its SHA-256 is kept. It acts with its owner's role and scope, and
-- stops with a revocation, its expiry or the owner's account.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);
