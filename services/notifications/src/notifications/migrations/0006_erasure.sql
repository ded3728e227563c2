-- Erasure finds a person by the digest of their address (convene_contracts.privacy.email_digest:
-- SHA-256 of the trimmed, lower-case address, in hex); the events never carry the address itself.
CREATE FUNCTION email_sha256(address text) RETURNS text IMMUTABLE STRICT LANGUAGE sql
    AS $$ SELECT encode(sha256(convert_to(lower(btrim(address)), 'UTF8')), 'hex') $$;

-- Whom an email names besides its recipient (a group's attendees in the payer's confirmation),
-- by the digest of their address: erasing one of them blanks the email's bodies and files too.
CREATE TABLE delivery_mentions (
    delivery_id  uuid NOT NULL REFERENCES deliveries (id),
    email_sha256 text NOT NULL,
    PRIMARY KEY (delivery_id, email_sha256)
);
CREATE INDEX delivery_mentions_person ON delivery_mentions (email_sha256);
