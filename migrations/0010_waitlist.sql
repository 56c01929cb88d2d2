-- Hearth schema v10: the waitlist (ASAP list) — who wants a visit of a type,
-- with whom, in which window — offered a slot when one frees up.
CREATE TABLE waitlist (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES people(id),
    type_id           INTEGER NOT NULL REFERENCES appointment_types(id),
    provider_id       INTEGER REFERENCES resources(id),
    duration_minutes  INTEGER NOT NULL,
    window_from       TEXT    NOT NULL,
    window_to         TEXT    NOT NULL,
    notes             TEXT    NOT NULL DEFAULT '',
    handoff_id        INTEGER REFERENCES handoffs(id),
    created_by        INTEGER REFERENCES staff(id),
    created_at_ms     INTEGER NOT NULL,
    -- Off the list: booked (with the booking) or removed (with why).
    closed_at_ms      INTEGER,
    closed_by         INTEGER REFERENCES staff(id),
    closed_reason     TEXT,
    booking_id        INTEGER REFERENCES bookings(id)
);
CREATE INDEX waitlist_open ON waitlist(created_at_ms) WHERE closed_at_ms IS NULL;
