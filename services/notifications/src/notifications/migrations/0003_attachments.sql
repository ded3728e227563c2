-- Files sent with an email (N5): calendar invites, ticket QR codes shown inline.
CREATE TABLE delivery_attachments (
    delivery_id  uuid NOT NULL REFERENCES deliveries (id),
    filename     text NOT NULL,
    content_type text NOT NULL,
    content      bytea NOT NULL,
    content_id   text, -- set for an image the HTML shows inline (src="cid:...")
    PRIMARY KEY (delivery_id, filename)
);
