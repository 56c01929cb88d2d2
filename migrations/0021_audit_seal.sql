-- Hearth schema v21: the audit trail is sealed with the practice's key.
-- Each entry's hash becomes an HMAC-SHA-256 under a key derived from the
-- practice key (never stored in this file), so a trail rebuilt with the
-- published algorithm alone no longer checks. `audit_seal` names the key that
-- seals the chain (by its public id); the migration's Rust step reseals the
-- entries already written when the file is opened with its key.
CREATE TABLE audit_seal (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key_id TEXT NOT NULL
);
