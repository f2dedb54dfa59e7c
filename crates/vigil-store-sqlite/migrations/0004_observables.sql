-- Correlation stores occurrences, never pairs: one row per (observable, tip).
-- Append-only migrations: never edit this file.

CREATE TABLE observables (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL,
    value TEXT NOT NULL,
    -- auto (decided from the data), hub or ignore (set by an admin)
    mode  TEXT NOT NULL DEFAULT 'auto',
    UNIQUE (kind, value)
);

CREATE TABLE sightings (
    observable_id INTEGER NOT NULL,
    tip_id        INTEGER NOT NULL,
    PRIMARY KEY (observable_id, tip_id)
) WITHOUT ROWID;
CREATE INDEX sightings_tip ON sightings(tip_id, observable_id);

-- How far each consumer of the events outbox has got.
CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);
