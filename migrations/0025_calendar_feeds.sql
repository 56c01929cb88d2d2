-- Hearth schema v25: calendar feeds. A practitioner (or a hotel's room) can
-- have a read-only iCalendar feed of their bookings at a secret address; only
-- the address's SHA-256 is kept, so the practice file never holds the
-- address itself. Withdrawn feeds keep their row (when, by whom) and no hash.
CREATE TABLE calendar_feeds (
    resource_id     INTEGER PRIMARY KEY REFERENCES resources(id),
    token_hash      TEXT,
    -- The person's full name in the feed, not their initials (a phone's
    -- calendar keeps it on servers outside the practice): the practice's choice.
    full_names      INTEGER NOT NULL DEFAULT 0,
    on_since_ms     INTEGER,
    on_by           INTEGER REFERENCES staff(id),
    withdrawn_at_ms INTEGER,
    withdrawn_by    INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX calendar_feeds_by_token ON calendar_feeds(token_hash) WHERE token_hash IS NOT NULL;
