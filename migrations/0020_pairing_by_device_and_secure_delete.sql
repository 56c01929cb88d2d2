-- Hearth schema v20: a wrong pairing code is counted against the device that
-- typed it (its network address, as the practice computer sees it), so a
-- guessing device pauses itself, not the practice's real tablet; and an
-- erased name leaves no trace in the search index.
ALTER TABLE pairing_failures ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX pairing_failures_source ON pairing_failures(source, at_ms);

-- The people search index removes a changed or erased name's entries at
-- once, instead of leaving them in older index segments until a merge.
INSERT INTO people_search (people_search, rank) VALUES ('secure-delete', 1);
