-- Hearth schema v2: how early before a booking's start its arrival (dental) or
-- check-in (hotel) may be marked. Never before the booking's own local day.
-- Dental: two hours; hotel: the whole arrival date.
ALTER TABLE practice ADD COLUMN early_arrival_minutes INTEGER NOT NULL DEFAULT 120
    CHECK (early_arrival_minutes BETWEEN 0 AND 1440);
UPDATE practice SET early_arrival_minutes = 1440 WHERE kind = 'hotel';
