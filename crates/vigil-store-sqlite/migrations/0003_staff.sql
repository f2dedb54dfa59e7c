-- Staff accounts and their tokens. Append-only migrations: never edit this file.

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    jurisdiction    TEXT NOT NULL,
    password_hash   TEXT,
    totp_secret_enc BLOB,
    totp_last_step  INTEGER NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);

-- Sessions, pending second-factor sign-ins, setup links and API tokens: only a
-- keyed hash of each secret is kept.
CREATE TABLE staff_tokens (
    hash         BLOB PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    purpose      TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    csrf         TEXT,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER
);
CREATE INDEX staff_tokens_staff ON staff_tokens(staff_id, purpose);
CREATE INDEX staff_tokens_expiry ON staff_tokens(expires_at) WHERE expires_at IS NOT NULL;

CREATE INDEX tips_queue ON tips(danger DESC, received_at DESC);
