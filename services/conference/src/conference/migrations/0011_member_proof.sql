-- Member prices only where membership is proven (docs/conference.md, "Member prices are proven"):
-- a ticket held at the non-member price for a member's address keeps the member price it would
-- have, taken if the attendee confirms through the link sent to that address while the hold lasts.
ALTER TABLE attendee_tickets ADD COLUMN member_price_minor bigint CHECK (member_price_minor >= 0);
