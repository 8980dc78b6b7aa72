-- One row per staff member and local day on which the daily digest was
-- evaluated, written in the same transaction as the digest's outbox row (if
-- any, see `mailed`). The primary key is what makes the digest go out at
-- most once a day, whatever the number of instances or restarts.
CREATE TABLE digest_sends (
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    local_date DATE NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    mailed BOOLEAN NOT NULL,
    PRIMARY KEY (staff_id, local_date)
);
