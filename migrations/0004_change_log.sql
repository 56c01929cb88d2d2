-- Hearth schema v4: the change log. One row per committed write: what changed
-- (topics and ids, as JSON) and the window it came from. Change events are
-- published from it; a screen that reconnects asks for what it missed by id;
-- a second process on the same file follows it to see the first one's writes.
CREATE TABLE change_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms    INTEGER NOT NULL,
    origin   TEXT,
    changes  TEXT    NOT NULL
);
