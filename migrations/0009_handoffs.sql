-- Hearth schema v9: handoffs — notes from one staff member to a role or a
-- person, about a person or a booking (or for the next shift), with an
-- optional requested action (a follow-up to book in a window, a call back, a
-- task) and their life: open → seen → done or declined.
CREATE TABLE handoffs (
    id                  INTEGER PRIMARY KEY,
    from_staff          INTEGER REFERENCES staff(id),
    to_role             TEXT    CHECK (to_role IS NULL OR to_role IN ('front_desk', 'practitioner', 'housekeeping', 'manager')),
    to_staff            INTEGER REFERENCES staff(id),
    person_id           INTEGER REFERENCES people(id),
    booking_id          INTEGER REFERENCES bookings(id),
    shift_note          INTEGER NOT NULL DEFAULT 0,
    body                TEXT    NOT NULL,
    priority            TEXT    NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'urgent')),
    action              TEXT    NOT NULL DEFAULT 'none' CHECK (action IN ('none', 'follow_up', 'call_back', 'task')),
    -- A follow-up: what to book, with whom, how long, and the days it may fall on.
    follow_type_id      INTEGER REFERENCES appointment_types(id),
    follow_provider_id  INTEGER REFERENCES resources(id),
    follow_minutes      INTEGER,
    window_from         TEXT,
    window_to           TEXT,
    status              TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'seen', 'done', 'declined')),
    seen_by             INTEGER REFERENCES staff(id),
    seen_at_ms          INTEGER,
    closed_by           INTEGER REFERENCES staff(id),
    closed_at_ms        INTEGER,
    outcome             TEXT    NOT NULL DEFAULT '',
    result_booking_id   INTEGER REFERENCES bookings(id),
    created_at_ms       INTEGER NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    CHECK (to_role IS NOT NULL OR to_staff IS NOT NULL),
    CHECK (action <> 'follow_up' OR (follow_type_id IS NOT NULL AND window_from IS NOT NULL AND window_to IS NOT NULL))
);
CREATE INDEX handoffs_to_role ON handoffs(to_role, status);
CREATE INDEX handoffs_to_staff ON handoffs(to_staff, status);
CREATE INDEX handoffs_from_staff ON handoffs(from_staff, created_at_ms);
