-- A mail the worker gave up on: refused permanently by the recipient's
-- server (SMTP 5xx), or still failing after the retry limit. The worker no
-- longer picks it up; the DPO sees it on the request page and may retry it.
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMP;
