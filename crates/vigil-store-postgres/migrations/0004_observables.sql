-- Correlation stores occurrences, never pairs: one row per (observable, tip).
-- Append-only migrations: never edit this file.

CREATE TABLE observables (
    id    BIGSERIAL PRIMARY KEY,
    kind  TEXT NOT NULL,
    value TEXT NOT NULL,
    -- auto (decided from the data), hub or ignore (set by an admin)
    mode  TEXT NOT NULL DEFAULT 'auto',
    UNIQUE (kind, value)
);

CREATE TABLE sightings (
    observable_id BIGINT NOT NULL,
    tip_id        BIGINT NOT NULL,
    PRIMARY KEY (observable_id, tip_id)
);
CREATE INDEX sightings_tip ON sightings(tip_id, observable_id);

-- How far each consumer of the events outbox has got.
CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);
