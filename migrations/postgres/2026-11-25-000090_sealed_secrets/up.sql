-- Secrets the application generates and keeps, each sealed (XChaCha20-
-- Poly1305) under a key derived from the master key. Unlike keys derived
-- directly from the master key, their value survives a master-key rotation:
-- `keys rotate` only re-seals them. One row per purpose; `key_id` names the
-- master key that sealed it.
CREATE TABLE sealed_secrets (
    purpose TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
