-- Indexes for the two purge rules the initial schema did not cover, so a
-- nightly run with nothing due reads a few index pages, never the table.
-- Both are partial: once a row has been dealt with it leaves the index.

-- Connection data (IP address, user agent) of a request is cleared 13 months
-- after submission, even on a request that is still open. The query repeats
-- this exact predicate so that both backends can use the partial index.
CREATE INDEX requests_connection_data_idx ON requests (submitted_at)
    WHERE submitter_ip IS NOT NULL OR submitter_user_agent IS NOT NULL;

-- With "delete the proof as soon as the identity is accepted", proofs of
-- requests whose identity was accepted go at the next run.
CREATE INDEX requests_identity_accepted_idx ON requests (identity_accepted_at)
    WHERE proofs_purged_at IS NULL AND identity_accepted_at IS NOT NULL;
