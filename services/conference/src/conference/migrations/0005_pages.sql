-- For the attendee's pages: the payment page keeps its Stripe Checkout address (a reload or the
-- link in the email shows the same Pay button), and each attendee records whether the member
-- price applied when they registered (the page says so; membership may change later).
ALTER TABLE registrations ADD COLUMN checkout_url text;
ALTER TABLE attendees ADD COLUMN member_pricing boolean NOT NULL DEFAULT false;
-- "My registrations": a signed-in person's registrations, as payer or as attendee.
CREATE INDEX registrations_payer_email ON registrations (payer_email);
CREATE INDEX attendees_email ON attendees (email);
