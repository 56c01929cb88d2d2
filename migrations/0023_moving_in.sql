-- Hearth schema v23: moving in. A practice brings its people from the system
-- it leaves. Each import is recorded with its counts and what it changed, so
-- it can be undone for 7 days: the people it added, and the fields it filled
-- in people already here (as they were, and as the import left them).

-- The old system's number for a person: how a second import knows them.
ALTER TABLE people ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
CREATE INDEX people_by_external_id ON people(external_id) WHERE external_id <> '';

-- A file being handed over in parts (the screens send at most a few hundred
-- kilobytes at a time). Kept inside the (encrypted) practice file, never
-- beside it, and removed once imported or after a day.
CREATE TABLE import_uploads (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    complete    INTEGER NOT NULL DEFAULT 0,
    by_staff    INTEGER REFERENCES staff(id),
    at_ms       INTEGER NOT NULL
);
-- Each part as it came, in order: a part is one insert, never a rewrite of
-- everything handed over before it.
CREATE TABLE import_upload_parts (
    upload_id   INTEGER NOT NULL REFERENCES import_uploads(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    bytes       BLOB    NOT NULL,
    PRIMARY KEY (upload_id, seq)
) WITHOUT ROWID;

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('people', 'bookings')),
    file_name     TEXT    NOT NULL,
    file_sha256   TEXT    NOT NULL,
    by_staff      INTEGER REFERENCES staff(id),
    at_ms         INTEGER NOT NULL,
    -- 'running' while its batches are written; 'done'; 'undone'.
    state         TEXT    NOT NULL CHECK (state IN ('running', 'done', 'undone')),
    added         INTEGER NOT NULL DEFAULT 0,
    merged        INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    undone_at_ms  INTEGER,
    undone_by     INTEGER REFERENCES staff(id)
);

-- What an import changed, one row each: a person added ('person'), a person
-- already here filled in ('filled', with the fields before and after), and
-- each alert, note or date it added ('alert', 'note', 'date').
CREATE TABLE import_changes (
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    what        TEXT    NOT NULL CHECK (what IN ('person', 'filled', 'alert', 'note', 'date')),
    row_id      INTEGER NOT NULL,
    person_id   INTEGER NOT NULL,
    before      TEXT,
    after       TEXT
);
CREATE INDEX import_changes_by_import ON import_changes(import_id, what);
CREATE INDEX import_changes_by_person ON import_changes(person_id);

-- Undoing an import removes the people it added, and each removal looks in
-- every table that may point at the person. Each of those looks needs an
-- index that can serve it: a partial index on `removed = 0` can't, so those
-- are made whole; the rest are new (partial on IS NOT NULL where the column
-- is mostly empty, which a lookup of one id can use).
DROP INDEX person_alerts_by_person;
CREATE INDEX person_alerts_by_person ON person_alerts(person_id);
DROP INDEX person_dates_by_person;
CREATE INDEX person_dates_by_person ON person_dates(person_id);
DROP INDEX person_notes_by_person;
CREATE INDEX person_notes_by_person ON person_notes(person_id, created_at_ms);
DROP INDEX person_links_by_other;
CREATE INDEX person_links_by_other ON person_links(other_id);
DROP INDEX person_links_by_person;
CREATE INDEX person_links_by_person ON person_links(person_id);
CREATE INDEX people_by_merged_into ON people(merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX person_merges_by_merged ON person_merges(merged_id);
CREATE INDEX handoffs_by_person ON handoffs(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX waitlist_by_person ON waitlist(person_id);
CREATE INDEX people_distinct_by_high ON people_distinct(high_id);
