-- Hearth schema v11: how long someone may sit in the waiting room before the
-- desk is told (minutes after arrival, default 10).
ALTER TABLE practice ADD COLUMN waiting_alert_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (waiting_alert_minutes BETWEEN 1 AND 120);
