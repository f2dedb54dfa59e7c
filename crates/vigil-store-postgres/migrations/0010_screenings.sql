-- Exit screenings: policy version, outcome, score and reasons in the clear;
-- the traveller and the officer's note sealed (XChaCha20-Poly1305, vigil-core
-- keys); rows older than `[screening] keep_days` are purged by housekeeping.
-- Append-only migrations: never edit this file.
CREATE TABLE screenings (
    id          BIGSERIAL PRIMARY KEY,
    policy      TEXT        NOT NULL,
    outcome     TEXT        NOT NULL,
    score       BIGINT      NOT NULL,
    reasons     TEXT        NOT NULL,
    post        TEXT        NOT NULL,
    officer_id  BIGINT      NOT NULL REFERENCES staff(id),
    traveller   BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    decision    TEXT,
    note        BYTEA       NOT NULL DEFAULT '\x',
    decided_at  TIMESTAMPTZ
);
CREATE INDEX screenings_created ON screenings(created_at);
CREATE INDEX screenings_post ON screenings(post, created_at);
