-- Hearth schema v14: how the practice writes times and dates, whatever the
-- computer's own settings: a 24-hour or a 12-hour clock, and the order of day,
-- month and year in a date typed or shown as numbers.
ALTER TABLE practice ADD COLUMN time_format TEXT NOT NULL DEFAULT '24h' CHECK (time_format IN ('24h', '12h'));
ALTER TABLE practice ADD COLUMN date_order TEXT NOT NULL DEFAULT 'dmy' CHECK (date_order IN ('dmy', 'mdy', 'ymd'));
