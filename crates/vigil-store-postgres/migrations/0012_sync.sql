-- Offline posts (`vigil sync`): every screening change takes the next change
-- sequence, drawn under the audit lock so it follows commit order (pushed in
-- that order); a screening received from a post keeps its origin
-- (`instance:id`), unique, so a bundle received twice or out of order leaves
-- one row. A post keeps its push cursor and the watchlist and policy it
-- pulled from central, replaced whole by each pull.
-- Append-only migrations: never edit this file.
ALTER TABLE screenings ADD COLUMN origin TEXT;
ALTER TABLE screenings ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
UPDATE screenings SET change_seq = id;
CREATE SEQUENCE screenings_change_seq;
SELECT setval('screenings_change_seq', COALESCE((SELECT MAX(id) FROM screenings), 0) + 1, false);
CREATE UNIQUE INDEX screenings_origin ON screenings(origin);
CREATE INDEX screenings_change ON screenings(change_seq);

CREATE TABLE sync_cursors (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);

CREATE TABLE sync_pulled (
    id         INTEGER     PRIMARY KEY CHECK (id = 1),
    policy_id  TEXT        NOT NULL,
    policy     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sync_watchlist (
    value TEXT NOT NULL,
    label TEXT NOT NULL
);
