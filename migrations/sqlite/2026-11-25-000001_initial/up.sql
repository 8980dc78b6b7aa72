-- dsr-tracker initial schema (SQLite). Keep in step with ../../postgres:
-- same tables, same columns, same names (a test compares them).
-- Portable types only: ids TEXT (UUID v7 from the app), instants TIMESTAMP in
-- UTC, due dates DATE, counters BIGINT, flags BOOLEAN, bytes BLOB.

CREATE TABLE controllers (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    reference_prefix TEXT NOT NULL,
    dpo_email TEXT NOT NULL,
    dpo_name TEXT,
    postal_address TEXT,
    host_name TEXT UNIQUE,
    locale TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    holiday_region TEXT NOT NULL,
    extra_holidays TEXT NOT NULL,
    proof_required_kinds TEXT NOT NULL,
    proof_retention_months BIGINT NOT NULL,
    objection_retention_months BIGINT NOT NULL,
    suppression_retention_months BIGINT NOT NULL,
    connection_data_retention_months BIGINT NOT NULL,
    unconfirmed_retention_days BIGINT NOT NULL,
    delete_proof_on_identity_accepted BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE reference_counters (
    controller_id TEXT NOT NULL REFERENCES controllers (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (controller_id, year)
);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled BOOLEAN NOT NULL,
    disabled_at TIMESTAMP,
    totp_secret TEXT,
    totp_last_step BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE staff_controllers (
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL REFERENCES controllers (id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, controller_id)
);
CREATE INDEX staff_controllers_controller_idx ON staff_controllers (controller_id);

-- Server-side sessions: the cookie holds a random token, the row its SHA-256,
-- so logout and disabling an account end a session at once.
CREATE TABLE staff_sessions (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_created_idx ON staff_sessions (created_at);

-- Connection data (IP, user agent, login records): kept at most 13 months.
CREATE TABLE login_records (
    id TEXT PRIMARY KEY,
    staff_id TEXT REFERENCES staff (id) ON DELETE SET NULL,
    occurred_at TIMESTAMP NOT NULL,
    success BOOLEAN NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX login_records_staff_idx ON login_records (staff_id);
CREATE INDEX login_records_occurred_idx ON login_records (occurred_at);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    controller_id TEXT NOT NULL REFERENCES controllers (id) ON DELETE RESTRICT,
    reference TEXT UNIQUE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    locale TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    postal_address TEXT,
    details TEXT,
    objection_grounds TEXT,
    submitted_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP,
    confirmed_at TIMESTAMP,
    due_on DATE,
    identity_accepted_at TIMESTAMP,
    extension_months BIGINT NOT NULL,
    extension_reason TEXT,
    extended_at TIMESTAMP,
    closed_at TIMESTAMP,
    outcome TEXT,
    refusal_ground TEXT,
    refusal_detail TEXT,
    legal_hold BOOLEAN NOT NULL,
    legal_hold_reason TEXT,
    legal_hold_at TIMESTAMP,
    proofs_purged_at TIMESTAMP,
    anonymised_at TIMESTAMP,
    confirm_token_hash TEXT UNIQUE,
    confirm_token_expires_at TIMESTAMP,
    status_token_hash TEXT UNIQUE,
    submitter_ip TEXT,
    submitter_user_agent TEXT,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The queue: one controller's open requests by due date.
CREATE INDEX requests_queue_idx ON requests (controller_id, status, due_on);
CREATE INDEX requests_email_idx ON requests (controller_id, email);
-- The purge only looks at what it may still have to do, so a run with nothing
-- due reads a few index pages instead of the whole table.
CREATE INDEX requests_purge_personal_idx ON requests (closed_at) WHERE anonymised_at IS NULL;
CREATE INDEX requests_purge_proof_idx ON requests (closed_at) WHERE proofs_purged_at IS NULL;
CREATE INDEX requests_unconfirmed_idx ON requests (submitted_at) WHERE status = 'unconfirmed';

-- Clock suspensions (decree 2019-536 art. 77): each wait for information.
CREATE TABLE request_suspensions (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX request_suspensions_request_idx ON request_suspensions (request_id);

-- Messages to and from the citizen, and the DPO's internal notes.
CREATE TABLE request_messages (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    author_staff_id TEXT REFERENCES staff (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX request_messages_request_idx ON request_messages (request_id);
CREATE INDEX request_messages_author_idx ON request_messages (author_staff_id);

-- Recipients told of a rectification, erasure or restriction (art. 19).
CREATE TABLE request_recipients (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    notified_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX request_recipients_request_idx ON request_recipients (request_id);

-- Identity proofs, encrypted: one random data key per file, wrapped by the
-- master key identified by key_id; the database never sees plaintext.
CREATE TABLE identity_proofs (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    ciphertext BLOB NOT NULL,
    nonce BLOB NOT NULL,
    wrapped_key BLOB NOT NULL,
    key_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    display_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX identity_proofs_request_idx ON identity_proofs (request_id);

-- Audit trail: append-only, hash-chained, no personal data. request_id is
-- deliberately not a foreign key: events outlive the rows they describe.
CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    occurred_at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    controller_id TEXT,
    request_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX events_request_idx ON events (request_id, seq);

-- One row: the chain's head. Appenders update it in their transaction, which
-- serialises them on both backends without table locks.
CREATE TABLE event_chain_head (
    id BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO event_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Outgoing mail, written in the same transaction as the state change.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    request_id TEXT REFERENCES requests (id) ON DELETE CASCADE,
    controller_id TEXT REFERENCES controllers (id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    message_id TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_request_idx ON outbox (request_id);
CREATE INDEX outbox_controller_idx ON outbox (controller_id);

-- Objections to direct marketing: a keyed hash of the normalised address,
-- never the address itself.
CREATE TABLE suppression_entries (
    id TEXT PRIMARY KEY,
    controller_id TEXT NOT NULL REFERENCES controllers (id) ON DELETE CASCADE,
    email_hmac TEXT NOT NULL,
    request_id TEXT REFERENCES requests (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (controller_id, email_hmac)
);
CREATE INDEX suppression_entries_created_idx ON suppression_entries (created_at);
CREATE INDEX suppression_entries_request_idx ON suppression_entries (request_id);

CREATE TABLE purge_runs (
    id TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    as_of TIMESTAMP NOT NULL,
    dry_run BOOLEAN NOT NULL,
    controller_id TEXT,
    trigger_source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    report TEXT NOT NULL
);
