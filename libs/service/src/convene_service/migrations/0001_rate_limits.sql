-- The public rate limits (convene_service.rate_limits), kept in the service's own database so
-- that every instance and HTTP worker counts against the same allowance. One row per endpoint,
-- client address and minute-long window; a call updates only `calls`, which no index covers, so
-- the update can stay on its page (fillfactor leaves it room) without touching the indexes.
CREATE TABLE rate_limit_windows (
    endpoint text NOT NULL,
    client text NOT NULL,
    window_start timestamptz NOT NULL,
    calls integer NOT NULL,
    PRIMARY KEY (endpoint, client, window_start)
) WITH (fillfactor = 70);

-- Retention takes the old windows oldest first through this index.
CREATE INDEX rate_limit_windows_by_start ON rate_limit_windows (window_start);
