-- Hearth schema v22: every look at a person's details is recorded. One row
-- per staff member, person and screen (`through`) per hour, beside the one
-- audit entry that records it; later looks in that hour are covered by it.
CREATE TABLE person_looks (
    staff_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    through TEXT NOT NULL,
    hour_ms INTEGER NOT NULL,
    PRIMARY KEY (staff_id, person_id, through, hour_ms)
) WITHOUT ROWID;
CREATE INDEX person_looks_by_person ON person_looks(person_id, hour_ms);
