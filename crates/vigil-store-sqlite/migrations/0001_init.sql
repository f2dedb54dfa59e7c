-- Vigil on SQLite: the first schema. Migrations are append-only: never edit this file.
-- Timestamps are INTEGER unix nanoseconds (UTC).

CREATE TABLE tips (
    id            INTEGER PRIMARY KEY,
    external_ref  TEXT UNIQUE,
    channel       TEXT NOT NULL,
    category      TEXT NOT NULL,
    text          TEXT NOT NULL,
    province_code TEXT,
    district_code TEXT,
    commune_code  TEXT,
    village_code  TEXT,
    place         TEXT,
    lat           REAL,
    lon           REAL,
    danger        INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'received',
    language      TEXT,
    received_at   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX tips_province ON tips(province_code);

-- Only keyed hashes of a receipt are kept: the lookup part (HMAC) and the
-- secret part (argon2id PHC string).
CREATE TABLE receipts (
    lookup_hash BLOB PRIMARY KEY,
    tip_id      INTEGER NOT NULL UNIQUE REFERENCES tips(id),
    secret_hash TEXT NOT NULL
);

-- Idempotency keys of API clients (keyed hash). The encrypted receipt is kept
-- only until expires_at, then set to NULL; the key hash stays so a late retry
-- still stores nothing twice.
CREATE TABLE client_refs (
    key_hash    BLOB PRIMARY KEY,
    tip_id      INTEGER NOT NULL REFERENCES tips(id),
    receipt_enc BLOB,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX client_refs_expiry ON client_refs(expires_at) WHERE receipt_enc IS NOT NULL;

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    tip_id     INTEGER NOT NULL REFERENCES tips(id),
    author     TEXT NOT NULL,
    body_enc   BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_tip ON messages(tip_id, id);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    tip_id     INTEGER NOT NULL REFERENCES tips(id),
    message_id INTEGER REFERENCES messages(id),
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    data_enc   BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_tip ON attachments(tip_id, id);

-- The outbox: the pipeline resumes from the last sequence it processed.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    tip_id     INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- The hash-chained audit log (append-only).
CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    at_unix_nanos INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    object        TEXT NOT NULL,
    detail        TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
