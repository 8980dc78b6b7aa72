-- The one-time id of the desk's registration form that created the request
-- (NULL for web submissions): a second POST of the same form, a double
-- click or a resubmission, finds the request instead of creating another.
-- The unique index is what settles two concurrent POSTs.
ALTER TABLE requests ADD COLUMN registration_key TEXT;
CREATE UNIQUE INDEX requests_registration_key ON requests (registration_key);
