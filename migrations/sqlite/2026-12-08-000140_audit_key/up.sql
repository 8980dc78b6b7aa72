-- The audit chain is keyed (HMAC) from the first start after this
-- migration: `chain_id` names the key (a secret sealed under the master
-- key, purpose `audit-chain`) that every event from then on is keyed with.
-- NULL: not keyed yet, events carry plain SHA-256 hashes as before.
ALTER TABLE event_chain_head ADD COLUMN chain_id TEXT;
