-- Hearth schema v7: what the practice remembers about its people and what it
-- prepares for them — important dates that become occasions, notes with their
-- author, incidents remembered on later visits (with the gestures made), and
-- tasks (absolute or relative to a booking) made by hand or by rules.

-- How many days before a visit or stay an important date still counts.
ALTER TABLE practice ADD COLUMN occasion_lead_days INTEGER NOT NULL DEFAULT 7
    CHECK (occasion_lead_days BETWEEN 0 AND 60);

-- Preferences in the desk's words ("high floor, feather-free pillow", "likes
-- to hear each step") and tags ("regular", "corporate"), comma-separated.
ALTER TABLE people ADD COLUMN preferences TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN tags TEXT NOT NULL DEFAULT '';

-- Birthdays, anniversaries (with the year they began) and other dates. The
-- date of birth counts as a birthday without a row here.
CREATE TABLE person_dates (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'other')),
    month          INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day            INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    year           INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2200),
    label          TEXT    NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES staff(id),
    created_at_ms  INTEGER NOT NULL,
    removed        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_dates_by_person ON person_dates(person_id) WHERE removed = 0;

-- Notes about a person, with who wrote them and when. Removed, never deleted.
CREATE TABLE person_notes (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    body           TEXT    NOT NULL,
    created_by     INTEGER REFERENCES staff(id),
    created_at_ms  INTEGER NOT NULL,
    removed        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_notes_by_person ON person_notes(person_id, created_at_ms) WHERE removed = 0;

-- An occasion made from an important date carries its key ('birthday' or
-- 'date:<id>'), so it is made once per booking and a dismissal sticks.
ALTER TABLE booking_occasions ADD COLUMN auto_key TEXT;
CREATE UNIQUE INDEX booking_occasions_auto ON booking_occasions(booking_id, auto_key) WHERE auto_key IS NOT NULL;

-- Something that went wrong during a visit or stay.
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    booking_id      INTEGER NOT NULL REFERENCES bookings(id),
    person_id       INTEGER REFERENCES people(id),
    what            TEXT    NOT NULL,
    category        TEXT    NOT NULL CHECK (category IN ('maintenance', 'housekeeping', 'noise', 'service', 'clinical', 'billing', 'other')),
    severity        TEXT    NOT NULL CHECK (severity IN ('minor', 'moderate', 'serious')),
    -- Where it happened, as the booking's rooms or chairs were named then.
    place           TEXT    NOT NULL DEFAULT '',
    reported_at_ms  INTEGER NOT NULL,
    reported_by     INTEGER REFERENCES staff(id),
    handled_by      INTEGER REFERENCES staff(id),
    resolution      TEXT    NOT NULL DEFAULT '',
    resolved_at_ms  INTEGER,
    -- Remember on future visits, with the gesture to propose.
    remember        INTEGER NOT NULL DEFAULT 0,
    gesture         TEXT    NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX incidents_by_booking ON incidents(booking_id);
CREATE INDEX incidents_by_person ON incidents(person_id, reported_at_ms);

-- What was done for a remembered incident on a later visit: one per visit.
CREATE TABLE incident_gestures (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    booking_id   INTEGER NOT NULL REFERENCES bookings(id),
    what         TEXT    NOT NULL,
    by_staff     INTEGER REFERENCES staff(id),
    at_ms        INTEGER NOT NULL
);
CREATE UNIQUE INDEX incident_gestures_once ON incident_gestures(incident_id, booking_id);

-- Rules that prepare: an occasion of a kind, or a remembered incident, makes
-- a task for a role, due relative to the booking's start or end.
CREATE TABLE task_rules (
    id              INTEGER PRIMARY KEY,
    trigger         TEXT    NOT NULL CHECK (trigger IN ('occasion', 'remembered_incident')),
    occasion_kind   TEXT,
    role            TEXT    NOT NULL CHECK (role IN ('front_desk', 'practitioner', 'housekeeping', 'manager')),
    title           TEXT    NOT NULL,
    anchor          TEXT    NOT NULL CHECK (anchor IN ('start', 'end')),
    offset_minutes  INTEGER NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at_ms   INTEGER NOT NULL,
    CHECK ((trigger = 'occasion') = (occasion_kind IS NOT NULL))
);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    -- The rule's words with {room}, {name}, … kept, so the title follows the booking.
    title_template  TEXT,
    details         TEXT    NOT NULL DEFAULT '',
    person_id       INTEGER REFERENCES people(id),
    booking_id      INTEGER REFERENCES bookings(id),
    incident_id     INTEGER REFERENCES incidents(id),
    occasion_id     INTEGER REFERENCES booking_occasions(id),
    rule_id         INTEGER REFERENCES task_rules(id),
    role            TEXT    CHECK (role IS NULL OR role IN ('front_desk', 'practitioner', 'housekeeping', 'manager')),
    staff_id        INTEGER REFERENCES staff(id),
    -- Relative to a booking: its start or end plus an offset; due_at_ms follows.
    anchor          TEXT    CHECK (anchor IS NULL OR anchor IN ('start', 'end')),
    offset_minutes  INTEGER,
    due_at_ms       INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped', 'cancelled')),
    closed_by       INTEGER REFERENCES staff(id),
    closed_at_ms    INTEGER,
    close_note      TEXT    NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES staff(id),
    created_at_ms   INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK (role IS NOT NULL OR staff_id IS NOT NULL),
    CHECK ((anchor IS NULL) = (offset_minutes IS NULL)),
    CHECK (anchor IS NULL OR booking_id IS NOT NULL)
);
CREATE INDEX tasks_by_due ON tasks(due_at_ms);
CREATE INDEX tasks_by_booking ON tasks(booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX tasks_by_person ON tasks(person_id) WHERE person_id IS NOT NULL;

-- The rules a practice of each kind starts with (a new practice gets the same
-- from setup::task_rules::DEFAULTS; a test holds the two equal).
INSERT INTO task_rules (trigger, occasion_kind, role, title, anchor, offset_minutes, updated_at_ms)
SELECT r.trigger, r.occasion_kind, r.role, r.title, r.anchor, r.offset_minutes, p.updated_at_ms
  FROM practice p JOIN (
    SELECT 'hotel' AS kind, 'occasion' AS trigger, 'anniversary' AS occasion_kind, 'housekeeping' AS role,
           'Champagne on ice and a signed card in {room}' AS title, 'start' AS anchor, -120 AS offset_minutes, 1 AS n
    UNION ALL SELECT 'hotel', 'occasion', 'anniversary', 'manager', 'Write and sign the card for {name}: {occasion}', 'start', -240, 2
    UNION ALL SELECT 'hotel', 'occasion', 'honeymoon', 'housekeeping', 'Sparkling wine and petals in {room}', 'start', -120, 3
    UNION ALL SELECT 'hotel', 'occasion', 'birthday', 'housekeeping', 'Birthday cake and a card in {room}', 'start', -120, 4
    UNION ALL SELECT 'hotel', 'remembered_incident', NULL, 'manager', 'Gesture for {name}: {gesture}', 'start', -180, 5
    UNION ALL SELECT 'dental', 'occasion', 'birthday', 'front_desk', 'A birthday card from the team for {name}', 'start', -1440, 1
    UNION ALL SELECT 'dental', 'occasion', 'nervous_patient', 'front_desk', '10 extra minutes and a quiet room for {name}', 'start', -1440, 2
    UNION ALL SELECT 'dental', 'occasion', 'first_visit', 'front_desk', 'Welcome forms ready for {name}', 'start', -60, 3
    UNION ALL SELECT 'dental', 'remembered_incident', NULL, 'manager', 'Gesture for {name}: {gesture}', 'start', -1440, 4
  ) r ON r.kind = p.kind
 ORDER BY r.n;
