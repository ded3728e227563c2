-- The W3C trace context (traceparent, tracestate) of the transaction that wrote the row, when it
-- was traced: the relay's publish span continues that trace. NULL when tracing is off.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;
