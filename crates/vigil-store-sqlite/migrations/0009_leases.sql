-- Leases for work one process at a time must do (reclustering), when a
-- `vigil worker` runs beside `vigil serve` on the same database.
CREATE TABLE leases (
    name  TEXT PRIMARY KEY,
    owner TEXT    NOT NULL,
    until INTEGER NOT NULL -- Unix nanoseconds
);
