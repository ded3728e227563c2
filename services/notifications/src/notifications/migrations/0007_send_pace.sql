-- The send cap (N6) shared by every instance: one row holding the time of the next free send
-- slot. Each send takes the slot after the last one handed out (adapters/send_pace.py), so all
-- the senders of all the instances together stay at SEND_RATE_PER_SECOND.
CREATE TABLE send_pace (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    next_slot timestamptz NOT NULL
);
INSERT INTO send_pace (next_slot) VALUES (now());
