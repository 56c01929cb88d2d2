-- Hearth schema v24: moving in, the coming bookings. An import of bookings
-- records each booking it added (so that undoing it takes them out again),
-- and the names of the old system's chairs, rooms, providers and types are
-- mapped to Hearth's once and remembered for the next file.

-- import_changes gains 'booking'; SQLite can't change a CHECK in place, so
-- the table is made again with its rows.
CREATE TABLE import_changes_v24 (
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    what        TEXT    NOT NULL CHECK (what IN ('person', 'filled', 'alert', 'note', 'date', 'booking')),
    row_id      INTEGER NOT NULL,
    person_id   INTEGER NOT NULL,
    before      TEXT,
    after       TEXT
);
INSERT INTO import_changes_v24 (import_id, what, row_id, person_id, before, after)
    SELECT import_id, what, row_id, person_id, before, after FROM import_changes;
DROP TABLE import_changes;
ALTER TABLE import_changes_v24 RENAME TO import_changes;
CREATE INDEX import_changes_by_import ON import_changes(import_id, what);
CREATE INDEX import_changes_by_person ON import_changes(person_id);

-- "Op 3" in the old system is "Chair 3" here: what the manager said, by the
-- kind of name and the name folded (lower case, accents and spacing gone).
CREATE TABLE import_name_maps (
    field       TEXT    NOT NULL CHECK (field IN ('chair', 'provider', 'room', 'type')),
    name        TEXT    NOT NULL,
    target_id   INTEGER NOT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (field, name)
) WITHOUT ROWID;

-- Undoing an import of bookings looks at everything that may point at
-- each booking it added (a booking the desk has used since is kept).
CREATE INDEX booking_occasions_of_booking ON booking_occasions(booking_id);
CREATE INDEX incident_gestures_by_booking ON incident_gestures(booking_id);
CREATE INDEX tasks_by_occasion ON tasks(occasion_id) WHERE occasion_id IS NOT NULL;
CREATE INDEX waitlist_by_booking ON waitlist(booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX handoffs_by_booking ON handoffs(booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX handoffs_by_result_booking ON handoffs(result_booking_id) WHERE result_booking_id IS NOT NULL;
