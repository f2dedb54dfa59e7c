-- Analysts' merges, splits and separations of facilities: kept in order and
-- applied on top of every reclustering. Append-only migrations: never edit this file.
CREATE TABLE analyst_ops (
    id         INTEGER PRIMARY KEY,
    -- JSON written by vigil-core (vigil-intel's AnalystOp)
    op         TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX observables_mode ON observables(mode) WHERE mode <> 'auto';
