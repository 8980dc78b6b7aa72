DROP INDEX requests_live_idx;
