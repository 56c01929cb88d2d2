-- Hearth schema v12: recall. An appointment type may ask the patient back
-- after some months (the six-month check-up); the desk's calls about a
-- recall are kept, with what came of them and when to call again.
ALTER TABLE appointment_types ADD COLUMN recall_months INTEGER
    CHECK (recall_months IS NULL OR recall_months BETWEEN 1 AND 60);
-- A practice that kept the starter set gets its usual six-month recalls, as
-- a new practice does.
UPDATE appointment_types SET recall_months = 6
 WHERE needs_room = 0 AND name IN ('Check-up', 'Hygiene');

CREATE TABLE recall_contacts (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    -- The recall's appointment type; NULL for a hotel's regular guest.
    type_id        INTEGER REFERENCES appointment_types(id),
    outcome        TEXT    NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'left_message', 'declined')),
    note           TEXT    NOT NULL DEFAULT '',
    -- A local day (YYYY-MM-DD): the recall rests until then.
    call_again_on  TEXT,
    at_ms          INTEGER NOT NULL,
    by_staff       INTEGER REFERENCES staff(id)
);
CREATE INDEX recall_contacts_by_person ON recall_contacts(person_id, at_ms);
