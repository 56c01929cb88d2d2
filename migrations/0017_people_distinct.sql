-- Hearth schema v17: one record per person, kept that way.
-- Two records the desk said are different people (two John Smiths): the
-- possible-duplicates list leaves the pair out from then on. Ids only; the
-- pair is kept in low, high order.
CREATE TABLE people_distinct (
    low_id INTEGER NOT NULL REFERENCES people(id),
    high_id INTEGER NOT NULL REFERENCES people(id),
    decided_by INTEGER NOT NULL REFERENCES staff(id),
    decided_at_ms INTEGER NOT NULL,
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
) WITHOUT ROWID;
-- A typed name is checked against people with that e-mail (and born that
-- day: people_by_birth, since v5).
CREATE INDEX people_by_email ON people(lower(email)) WHERE email <> '';
