ALTER TABLE event_chain_head DROP COLUMN chain_id;
