-- Every step after a hold finds a registration's attendees (confirming, tickets, cancelling,
-- the attendee's page), and operators list a conference's registrations. Without these indexes
-- each of those read the whole table: at 45,000 attendees a confirmation spent about 40 ms per
-- lookup (docs/benchmarks.md, B3).
CREATE INDEX attendees_registration ON attendees (registration_id);
CREATE INDEX registrations_conference ON registrations (conference_id, created_at);
