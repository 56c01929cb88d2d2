-- Hearth schema v19: where the practice's backups go, how often, how many are
-- kept, and whether the manager has the recovery sheet. The default folder
-- (beside the practice's folder) is always a destination; these are the
-- folders a manager adds: a second disk, a USB stick, a mounted share.
CREATE TABLE backup_destinations (
    id          INTEGER PRIMARY KEY,
    folder      TEXT    NOT NULL UNIQUE,
    label       TEXT    NOT NULL,
    added_at_ms INTEGER NOT NULL
);

CREATE TABLE backup_settings (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    every_minutes            INTEGER NOT NULL DEFAULT 60 CHECK (every_minutes BETWEEN 15 AND 1440),
    keep_hourly              INTEGER NOT NULL DEFAULT 24 CHECK (keep_hourly BETWEEN 1 AND 240),
    keep_daily               INTEGER NOT NULL DEFAULT 14 CHECK (keep_daily BETWEEN 1 AND 365),
    keep_weekly              INTEGER NOT NULL DEFAULT 8 CHECK (keep_weekly BETWEEN 0 AND 104),
    keep_monthly             INTEGER NOT NULL DEFAULT 12 CHECK (keep_monthly BETWEEN 0 AND 120),
    -- When a manager said the recovery sheet is printed or written down.
    recovery_sheet_at_ms     INTEGER,
    recovery_sheet_by        INTEGER REFERENCES staff(id)
);
INSERT INTO backup_settings (id) VALUES (1);
