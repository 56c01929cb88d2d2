-- Hearth schema v13: each room's housekeeping status — clean, dirty,
-- inspected, out of order — with what was said, who set it and when. A room
-- without a row is clean; a check-out makes its room dirty.
CREATE TABLE room_states (
    resource_id    INTEGER PRIMARY KEY REFERENCES resources(id),
    status         TEXT    NOT NULL CHECK (status IN ('clean', 'dirty', 'inspected', 'out_of_order')),
    note           TEXT    NOT NULL DEFAULT '',
    changed_at_ms  INTEGER NOT NULL,
    changed_by     INTEGER REFERENCES staff(id)
);
