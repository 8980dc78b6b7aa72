DROP INDEX requests_registration_key;
ALTER TABLE requests DROP COLUMN registration_key;
