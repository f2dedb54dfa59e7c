-- Facts about the installation, e.g. the fingerprint of the key file that
-- belongs to this database. Append-only migrations: never edit this file.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
