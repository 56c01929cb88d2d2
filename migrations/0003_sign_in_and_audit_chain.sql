-- Hearth schema v3: sign-in, sessions and a tamper-evident audit trail.

-- Each staff member signs in with a short login and a password (Argon2id,
-- PHC string). A database from v1/v2 has staff without either: on first open a
-- manager chooses theirs, then gives the others a temporary one.
ALTER TABLE staff ADD COLUMN login TEXT;
ALTER TABLE staff ADD COLUMN password_hash TEXT;
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX staff_by_login ON staff(login) WHERE login IS NOT NULL;

-- Minutes of inactivity before a screen locks and its session expires.
ALTER TABLE practice ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (idle_lock_minutes BETWEEN 1 AND 240);
-- The demo practice says so on its sign-in screen (every password is "demo").
ALTER TABLE practice ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;

-- A signed-in window or tab. Only the SHA-256 of the token is stored.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    token_hash     TEXT    NOT NULL UNIQUE,
    staff_id       INTEGER NOT NULL REFERENCES staff(id),
    workstation    TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    last_seen_ms   INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL,
    ended_at_ms    INTEGER,
    ended_why      TEXT
);
CREATE INDEX sessions_by_staff ON sessions(staff_id) WHERE ended_at_ms IS NULL;

-- Wrong passwords per login typed (whether or not the login exists, so the
-- answer never tells). Five in a row lock the login for five minutes.
CREATE TABLE sign_in_failures (
    login            TEXT    PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_ms  INTEGER NOT NULL,
    locked_until_ms  INTEGER
) WITHOUT ROWID;

-- The audit trail becomes a hash chain: each entry's hash covers its content
-- and the previous entry's hash; audit_head holds the newest, so a removed
-- last entry shows too. Entries written before v3 are sealed into the chain on
-- first open (while no entry has a hash yet).
ALTER TABLE audit_log ADD COLUMN session_id INTEGER;
ALTER TABLE audit_log ADD COLUMN workstation TEXT;
ALTER TABLE audit_log ADD COLUMN command TEXT;
ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'done';
ALTER TABLE audit_log ADD COLUMN entities TEXT NOT NULL DEFAULT '[]';
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE INDEX audit_by_staff ON audit_log(staff_id, id);
CREATE INDEX audit_by_time ON audit_log(at_ms);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    entry_id  INTEGER NOT NULL,
    hash      TEXT    NOT NULL
);
