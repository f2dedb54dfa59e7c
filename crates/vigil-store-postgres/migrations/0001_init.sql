-- Vigil on PostgreSQL: the first schema. Migrations are append-only: never edit this file.
-- Timestamps are TIMESTAMPTZ (microseconds), except the audit chain, which keeps
-- exact unix nanoseconds because they are hashed.

CREATE TABLE tips (
    id            BIGSERIAL PRIMARY KEY,
    external_ref  TEXT UNIQUE,
    channel       TEXT NOT NULL,
    category      TEXT NOT NULL,
    text          TEXT NOT NULL,
    province_code TEXT,
    district_code TEXT,
    commune_code  TEXT,
    village_code  TEXT,
    place         TEXT,
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION,
    danger        BIGINT NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'received',
    language      TEXT,
    received_at   TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX tips_province ON tips(province_code);

-- Only keyed hashes of a receipt are kept: the lookup part (HMAC) and the
-- secret part (argon2id PHC string).
CREATE TABLE receipts (
    lookup_hash BYTEA PRIMARY KEY,
    tip_id      BIGINT NOT NULL UNIQUE REFERENCES tips(id),
    secret_hash TEXT NOT NULL
);

-- Idempotency keys of API clients (keyed hash). The encrypted receipt is kept
-- only until expires_at, then set to NULL; the key hash stays so a late retry
-- still stores nothing twice.
CREATE TABLE client_refs (
    key_hash    BYTEA PRIMARY KEY,
    tip_id      BIGINT NOT NULL REFERENCES tips(id),
    receipt_enc BYTEA,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX client_refs_expiry ON client_refs(expires_at) WHERE receipt_enc IS NOT NULL;

CREATE TABLE messages (
    id         BIGSERIAL PRIMARY KEY,
    tip_id     BIGINT NOT NULL REFERENCES tips(id),
    author     TEXT NOT NULL,
    body_enc   BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX messages_tip ON messages(tip_id, id);

CREATE TABLE attachments (
    id         BIGSERIAL PRIMARY KEY,
    tip_id     BIGINT NOT NULL REFERENCES tips(id),
    message_id BIGINT REFERENCES messages(id),
    mime       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    data_enc   BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_tip ON attachments(tip_id, id);

-- The outbox: the pipeline resumes from the last sequence it processed.
-- Rows are inserted only while holding the audit lock (see src/lib.rs), so
-- sequence order is commit order and a reader tailing `seq > last` never
-- skips a row that commits late. Sequences may have gaps (rolled back writes).
CREATE TABLE events (
    seq        BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL,
    tip_id     BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The hash-chained audit log (append-only). `seq` is the chain position,
-- assigned by the appender under the audit lock, so it is gapless.
CREATE TABLE audit (
    seq           BIGINT PRIMARY KEY,
    at_unix_nanos BIGINT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    object        TEXT NOT NULL,
    detail        TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
