-- The desk's queue on a hosting provider's instance (50 cities, a million
-- requests, nearly all anonymised): the index holds only the requests
-- that still have personal data (`anonymised_at IS NULL`, a term every
-- queue query has), so the anonymised years are never read. It leads with
-- controller_id, which the purge hides from the planner (see
-- purge::queries), so the purge's plans do not change. Measured in
-- BENCHMARKS.md, "Queue and digest".

-- A DPO's city: every status (the "all" filter, searches, page 50 of the
-- keyset) and the counts per status, from the city's live requests only.
CREATE INDEX requests_live_idx ON requests (controller_id, status, due_on)
    WHERE anonymised_at IS NULL;
