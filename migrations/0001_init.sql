-- Hearth schema v1: practice settings, staff, resources, appointment types,
-- blocked time, bookings and the audit log.
-- Instants are UTC epoch milliseconds in *_ms INTEGER columns.

CREATE TABLE practice (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    kind               TEXT    NOT NULL CHECK (kind IN ('dental', 'hotel')),
    name               TEXT    NOT NULL,
    time_zone          TEXT    NOT NULL,
    slot_minutes       INTEGER NOT NULL CHECK (slot_minutes IN (5, 10, 15)),
    check_in_minute    INTEGER NOT NULL DEFAULT 900 CHECK (check_in_minute BETWEEN 0 AND 1439),
    check_out_minute   INTEGER NOT NULL DEFAULT 660 CHECK (check_out_minute BETWEEN 0 AND 1439),
    version            INTEGER NOT NULL DEFAULT 1,
    updated_at_ms      INTEGER NOT NULL,
    updated_by         INTEGER
);

-- Opening hours: one row per open weekday (0 = Monday). Missing weekday = closed.
CREATE TABLE opening_hours (
    weekday      INTEGER PRIMARY KEY CHECK (weekday BETWEEN 0 AND 6),
    opens_minute INTEGER NOT NULL CHECK (opens_minute BETWEEN 0 AND 1440),
    closes_minute INTEGER NOT NULL CHECK (closes_minute BETWEEN 0 AND 1440),
    CHECK (closes_minute > opens_minute)
);

CREATE TABLE opening_breaks (
    id            INTEGER PRIMARY KEY,
    weekday       INTEGER NOT NULL REFERENCES opening_hours(weekday) ON DELETE CASCADE,
    starts_minute INTEGER NOT NULL,
    ends_minute   INTEGER NOT NULL,
    CHECK (ends_minute > starts_minute)
);

CREATE TABLE staff (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    role      TEXT    NOT NULL CHECK (role IN ('front_desk', 'practitioner', 'housekeeping', 'manager')),
    colour    TEXT    NOT NULL,
    archived  INTEGER NOT NULL DEFAULT 0,
    version   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE room_types (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    archived  INTEGER NOT NULL DEFAULT 0
);

-- Anything a booking can hold: a chair, a room, or a provider (a practitioner's diary).
CREATE TABLE resources (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('chair', 'room', 'provider')),
    name          TEXT    NOT NULL,
    colour        TEXT    NOT NULL,
    room_type_id  INTEGER REFERENCES room_types(id),
    staff_id      INTEGER REFERENCES staff(id),
    sort_order    INTEGER NOT NULL DEFAULT 0,
    archived      INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE appointment_types (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    colour          TEXT    NOT NULL,
    needs_chair     INTEGER NOT NULL DEFAULT 0,
    needs_provider  INTEGER NOT NULL DEFAULT 0,
    needs_room      INTEGER NOT NULL DEFAULT 0,
    archived        INTEGER NOT NULL DEFAULT 0
);

-- Blocked time: practice-wide when resource_id is NULL (holiday, closed day),
-- or for one resource (staff meeting, room out of order).
CREATE TABLE blocks (
    id            INTEGER PRIMARY KEY,
    resource_id   INTEGER REFERENCES resources(id),
    starts_at_ms  INTEGER NOT NULL,
    ends_at_ms    INTEGER NOT NULL,
    reason        TEXT    NOT NULL,
    created_by    INTEGER REFERENCES staff(id),
    created_at_ms INTEGER NOT NULL,
    removed       INTEGER NOT NULL DEFAULT 0,
    CHECK (ends_at_ms > starts_at_ms)
);
CREATE INDEX blocks_by_end ON blocks(ends_at_ms);

CREATE TABLE bookings (
    id               INTEGER PRIMARY KEY,
    person_name      TEXT    NOT NULL,
    person_phone     TEXT    NOT NULL DEFAULT '',
    type_id          INTEGER NOT NULL REFERENCES appointment_types(id),
    starts_at_ms     INTEGER NOT NULL,
    ends_at_ms       INTEGER NOT NULL,
    arrival_date     TEXT,
    departure_date   TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('booked', 'confirmed', 'arrived', 'in_treatment',
                                                        'checked_in', 'completed', 'checked_out',
                                                        'cancelled', 'no_show')),
    live             INTEGER NOT NULL DEFAULT 1,
    notes            TEXT    NOT NULL DEFAULT '',
    cancel_reason    TEXT,
    cancelled_by     INTEGER REFERENCES staff(id),
    cancelled_at_ms  INTEGER,
    override_by      INTEGER REFERENCES staff(id),
    override_at_ms   INTEGER,
    created_by       INTEGER REFERENCES staff(id),
    created_at_ms    INTEGER NOT NULL,
    updated_by       INTEGER REFERENCES staff(id),
    updated_at_ms    INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_at_ms > starts_at_ms)
);
CREATE INDEX bookings_by_end ON bookings(ends_at_ms);

-- What each booking holds, with its interval copied so that the overlap check
-- is one indexed lookup per resource.
CREATE TABLE booking_resources (
    booking_id    INTEGER NOT NULL REFERENCES bookings(id),
    resource_id   INTEGER NOT NULL REFERENCES resources(id),
    starts_at_ms  INTEGER NOT NULL,
    ends_at_ms    INTEGER NOT NULL,
    live          INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (booking_id, resource_id)
) WITHOUT ROWID;
CREATE INDEX booking_resources_busy ON booking_resources(resource_id, ends_at_ms) WHERE live = 1;

CREATE TABLE status_changes (
    id          INTEGER PRIMARY KEY,
    booking_id  INTEGER NOT NULL REFERENCES bookings(id),
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    by_staff    INTEGER REFERENCES staff(id)
);
CREATE INDEX status_changes_by_booking ON status_changes(booking_id);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    staff_id  INTEGER,
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id INTEGER,
    detail    TEXT    NOT NULL DEFAULT '{}'
);
