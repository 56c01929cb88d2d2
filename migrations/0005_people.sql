-- Hearth schema v5: people (patients or guests) in a table of their own, every
-- booking pointing at one, and a trigram index for finding them by any part of
-- a name, phone digits, e-mail or date of birth.
CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    given_name      TEXT    NOT NULL DEFAULT '',
    family_name     TEXT    NOT NULL DEFAULT '',
    preferred_name  TEXT    NOT NULL DEFAULT '',
    pronunciation   TEXT    NOT NULL DEFAULT '',
    date_of_birth   TEXT,
    phone           TEXT    NOT NULL DEFAULT '',
    phone_digits    TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    address         TEXT    NOT NULL DEFAULT '',
    language        TEXT    NOT NULL DEFAULT '',
    vip             INTEGER NOT NULL DEFAULT 0,
    archived        INTEGER NOT NULL DEFAULT 0,
    merged_into     INTEGER REFERENCES people(id),
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX people_by_family ON people(family_name COLLATE NOCASE);
CREATE INDEX people_by_given ON people(given_name COLLATE NOCASE);
CREATE INDEX people_by_birth ON people(date_of_birth) WHERE date_of_birth IS NOT NULL;

-- What the desk must know before anything else: an allergy, a condition, a
-- premedication, an accessibility need. Removed, never deleted.
CREATE TABLE person_alerts (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('allergy', 'condition', 'premedication', 'accessibility', 'other')),
    severity       TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    text           TEXT    NOT NULL,
    created_by     INTEGER REFERENCES staff(id),
    created_at_ms  INTEGER NOT NULL,
    removed        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_alerts_by_person ON person_alerts(person_id) WHERE removed = 0;

ALTER TABLE bookings ADD COLUMN person_id INTEGER REFERENCES people(id);
CREATE INDEX bookings_by_person ON bookings(person_id, starts_at_ms);

-- The search index, kept in step by triggers inside every writing transaction.
-- Trigram: any part of a name, accents folded (remove_diacritics).
CREATE VIRTUAL TABLE people_search USING fts5(
    name, phone_digits, email, date_of_birth,
    tokenize = 'trigram remove_diacritics 1'
);
CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, name, phone_digits, email, date_of_birth)
    VALUES (new.id, trim(new.given_name || ' ' || new.family_name || ' ' || new.preferred_name),
            new.phone_digits, new.email, coalesce(new.date_of_birth, ''));
END;
CREATE TRIGGER people_search_update AFTER UPDATE ON people BEGIN
    DELETE FROM people_search WHERE rowid = old.id;
    INSERT INTO people_search (rowid, name, phone_digits, email, date_of_birth)
    VALUES (new.id, trim(new.given_name || ' ' || new.family_name || ' ' || new.preferred_name),
            new.phone_digits, new.email, coalesce(new.date_of_birth, ''));
END;
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_search WHERE rowid = old.id;
END;

-- Existing bookings: one person per distinct name and phone, split at the
-- first space into given and family name, and every booking linked.
INSERT INTO people (given_name, family_name, phone, phone_digits, created_at_ms, updated_at_ms)
SELECT CASE WHEN instr(name, ' ') > 0 THEN substr(name, 1, instr(name, ' ') - 1) ELSE name END,
       CASE WHEN instr(name, ' ') > 0 THEN substr(name, instr(name, ' ') + 1) ELSE '' END,
       phone,
       replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
       first_ms, first_ms
  FROM (SELECT person_name AS name, person_phone AS phone, min(created_at_ms) AS first_ms
          FROM bookings GROUP BY person_name, person_phone ORDER BY min(id));
UPDATE bookings SET person_id = (
    SELECT p.id FROM people p
     WHERE p.phone = bookings.person_phone
       AND (CASE WHEN p.family_name = '' THEN p.given_name ELSE p.given_name || ' ' || p.family_name END) = bookings.person_name
);
