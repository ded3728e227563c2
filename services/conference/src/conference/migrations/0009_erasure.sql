-- Erasure finds a person by the digest of their address (convene_contracts.privacy.email_digest:
-- SHA-256 of the trimmed, lower-case address, in hex); the events never carry the address itself.
CREATE FUNCTION email_sha256(address text) RETURNS text IMMUTABLE STRICT LANGUAGE sql
    AS $$ SELECT encode(sha256(convert_to(lower(btrim(address)), 'UTF8')), 'hex') $$;
