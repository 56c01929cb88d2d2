-- Hearth schema v6: occasions on a booking — an anniversary, a birthday, a
-- first visit, a nervous patient — that the desk and the rooms prepare for.
-- Dismissed, never deleted (the dismissal is remembered).
CREATE TABLE booking_occasions (
    id               INTEGER PRIMARY KEY,
    booking_id       INTEGER NOT NULL REFERENCES bookings(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('anniversary', 'birthday', 'first_visit', 'honeymoon',
                                                      'nervous_patient', 'celebration', 'other')),
    text             TEXT    NOT NULL DEFAULT '',
    created_by       INTEGER REFERENCES staff(id),
    created_at_ms    INTEGER NOT NULL,
    dismissed_by     INTEGER REFERENCES staff(id),
    dismissed_at_ms  INTEGER
);
CREATE INDEX booking_occasions_by_booking ON booking_occasions(booking_id) WHERE dismissed_at_ms IS NULL;
