-- One row per email Convene owes someone: written with the inbox row, before anything is sent.
CREATE TABLE deliveries (
    id          uuid PRIMARY KEY,
    event_id    uuid NOT NULL,
    template    text NOT NULL,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body_text   text NOT NULL,
    body_html   text NOT NULL,
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts    int  NOT NULL DEFAULT 0,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    -- One fact, one template, one person: one email, however often the event arrives.
    UNIQUE (event_id, template, recipient)
);
CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE status = 'pending';
