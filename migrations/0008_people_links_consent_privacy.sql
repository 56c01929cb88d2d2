-- Hearth schema v8: the rest of a person's record — contact consent per
-- channel, an emergency contact, household links — and what privacy and
-- duplicates need: merging two records of one person (recorded and shown on
-- the survivor) and erasing a person on request (anonymised, recorded).

-- Consent per channel: 1 yes, 0 no, NULL not asked.
ALTER TABLE people ADD COLUMN consent_sms INTEGER CHECK (consent_sms IN (0, 1));
ALTER TABLE people ADD COLUMN consent_email INTEGER CHECK (consent_email IN (0, 1));
ALTER TABLE people ADD COLUMN consent_phone INTEGER CHECK (consent_phone IN (0, 1));
ALTER TABLE people ADD COLUMN consent_post INTEGER CHECK (consent_post IN (0, 1));
-- A second number (home, work); search finds either.
ALTER TABLE people ADD COLUMN other_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN emergency_name TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN emergency_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN emergency_relation TEXT NOT NULL DEFAULT '';
-- Structured preferences from the practice kind's list ("High floor",
-- "Left-handed"), comma-separated; the free text stays in `preferences`.
ALTER TABLE people ADD COLUMN preference_flags TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN erased_at_ms INTEGER;
ALTER TABLE people ADD COLUMN erased_by INTEGER REFERENCES staff(id);

-- The practice's country: the default region for phone numbers typed without +.
ALTER TABLE practice ADD COLUMN country TEXT NOT NULL DEFAULT '';

-- Household links: partner, family. One row per pair, read both ways.
CREATE TABLE person_links (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    other_id       INTEGER NOT NULL REFERENCES people(id),
    relation       TEXT    NOT NULL CHECK (relation IN ('partner', 'family', 'other')),
    created_by     INTEGER REFERENCES staff(id),
    created_at_ms  INTEGER NOT NULL,
    removed        INTEGER NOT NULL DEFAULT 0,
    CHECK (person_id <> other_id)
);
CREATE INDEX person_links_by_person ON person_links(person_id) WHERE removed = 0;
CREATE INDEX person_links_by_other ON person_links(other_id) WHERE removed = 0;

-- Two records of one person made one: what moved, who did it and when.
CREATE TABLE person_merges (
    id             INTEGER PRIMARY KEY,
    survivor_id    INTEGER NOT NULL REFERENCES people(id),
    merged_id      INTEGER NOT NULL REFERENCES people(id),
    merged_name    TEXT    NOT NULL,
    moved          TEXT    NOT NULL,
    by_staff       INTEGER REFERENCES staff(id),
    at_ms          INTEGER NOT NULL
);
CREATE INDEX person_merges_by_survivor ON person_merges(survivor_id);
