-- The W3C trace context of the intake that owed the email, when it was traced: the send's span
-- joins the trace of the event that called for the email. NULL when tracing is off.
ALTER TABLE deliveries ADD COLUMN trace_context jsonb;
