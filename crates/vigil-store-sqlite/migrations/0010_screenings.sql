-- Exit screenings: policy version, outcome, score and reasons in the clear;
-- the traveller and the officer's note sealed (XChaCha20-Poly1305, vigil-core
-- keys); rows older than `[screening] keep_days` are purged by housekeeping.
-- Append-only migrations: never edit this file.
CREATE TABLE screenings (
    id          INTEGER PRIMARY KEY,
    policy      TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    score       INTEGER NOT NULL,
    reasons     TEXT    NOT NULL,
    post        TEXT    NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES staff(id),
    traveller   BLOB    NOT NULL,
    created_at  INTEGER NOT NULL, -- Unix nanoseconds
    decision    TEXT,
    note        BLOB    NOT NULL DEFAULT x'',
    decided_at  INTEGER
);
CREATE INDEX screenings_created ON screenings(created_at);
CREATE INDEX screenings_post ON screenings(post, created_at);
