-- The sender claims a few due deliveries at once and keeps them for a lease (next_attempt_at moves
-- to its end): `claim` names the worker's claim, so that only it marks them sent or hands them back.
ALTER TABLE deliveries ADD COLUMN claim uuid;
