-- Fair holds (issue 15): an operator-set maximum of tickets (attendees) per registration, and the
-- client address each registration was asked from, so unpaid seats per address and per payer can
-- be counted from the holds themselves (and so across every instance of the service).
ALTER TABLE conferences
    ADD COLUMN max_tickets_per_registration int NOT NULL DEFAULT 10
        CHECK (max_tickets_per_registration BETWEEN 1 AND 50);
ALTER TABLE registrations ADD COLUMN client_address text;
CREATE INDEX registrations_held_by_client ON registrations (conference_id, client_address) WHERE status = 'held';
CREATE INDEX registrations_held_by_payer ON registrations (conference_id, payer_email) WHERE status = 'held';
