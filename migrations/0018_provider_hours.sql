-- Hearth schema v18: providers' own hours.
-- A provider's weekly pattern of working hours (weekday 0 = Monday, minutes
-- from local midnight), inside the practice's opening hours. A provider with
-- no rows works whenever the practice is open; one with rows works only then,
-- and a weekday without rows is their day off. A day off, a course or a
-- holiday is blocked time on the provider; public holidays are closed days
-- of the practice.
CREATE TABLE resource_hours (
    resource_id INTEGER NOT NULL REFERENCES resources(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    PRIMARY KEY (resource_id, weekday, start_minute),
    CHECK (start_minute < end_minute)
) WITHOUT ROWID;
