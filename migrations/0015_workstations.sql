-- Hearth schema v15: two desks, one calendar. The computer that holds this
-- file can share it with the practice's other computers over TLS.
--
-- share_identity: this practice's certificate and key (made the first time it
-- is shared; other computers pin the certificate's SHA-256 fingerprint), the
-- secret the rotating six-digit pairing code is derived from, and whether the
-- desktop app shares the practice when it starts.
CREATE TABLE share_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cert_der BLOB NOT NULL,
    key_der BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    pairing_secret BLOB NOT NULL,
    sharing INTEGER NOT NULL DEFAULT 0 CHECK (sharing IN (0, 1)),
    port INTEGER NOT NULL DEFAULT 8443 CHECK (port BETWEEN 1 AND 65535),
    created_at_ms INTEGER NOT NULL
);

-- A computer or tablet paired with a code. Its credential is a random 256-bit
-- token it keeps; only the SHA-256 is stored. A manager can withdraw it.
CREATE TABLE workstations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('desktop', 'browser')),
    credential_hash TEXT NOT NULL UNIQUE,
    paired_at_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER,
    revoked_by INTEGER REFERENCES staff(id)
);

-- Wrong pairing codes, for the pause after too many.
CREATE TABLE pairing_failures (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL
);
CREATE INDEX pairing_failures_at ON pairing_failures(at_ms);
