-- Certificates of attendance (C11): one per checked-in attendee, issued once.
CREATE TABLE certificates (
    attendee_id uuid PRIMARY KEY REFERENCES attendees (id),
    hours       numeric(5, 1) NOT NULL,
    issued_at   timestamptz NOT NULL
);
