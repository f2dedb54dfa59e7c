-- Operations (raids), the fraud networks they hit, seized evidence and each
-- item's chain of custody (issue 5). Times are Unix nanoseconds in UTC with
-- the local UTC offset in minutes kept beside them. A custody entry's fields
-- are kept as vigil-custody's JSON event, hashed into the item's chain.
-- Append-only migrations: never edit this file.
CREATE TABLE networks (
    id                       INTEGER PRIMARY KEY,
    name                     TEXT    NOT NULL,
    leaders                  TEXT    NOT NULL, -- JSON list of names
    dismantled_by_operation  INTEGER REFERENCES operations(id),
    dismantled_evidence      TEXT    NOT NULL DEFAULT '',
    created_at               INTEGER NOT NULL
);
CREATE TABLE operations (
    id              INTEGER PRIMARY KEY,
    reference       TEXT    NOT NULL UNIQUE,
    title           TEXT    NOT NULL,
    lead_agency     TEXT    NOT NULL,
    partners        TEXT    NOT NULL, -- JSON list of agencies
    planned_for     INTEGER,
    planned_offset  INTEGER,          -- minutes east of UTC
    happened_at     INTEGER,
    happened_offset INTEGER,
    province_code   TEXT    NOT NULL,
    district_code   TEXT,
    commune_code    TEXT,
    place           TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    outcome         TEXT    NOT NULL,
    network_id      INTEGER REFERENCES networks(id),
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX operations_province ON operations(province_code, id);
CREATE TABLE operation_facilities (
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    facility_id  INTEGER NOT NULL, -- no foreign key: reclustering rewrites facilities
    PRIMARY KEY (operation_id, facility_id)
) WITHOUT ROWID;
CREATE TABLE seized_items (
    id            INTEGER PRIMARY KEY,
    operation_id  INTEGER NOT NULL REFERENCES operations(id),
    reference     TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    serial        TEXT,
    imei          TEXT,
    iccid         TEXT,
    card_last4    TEXT,
    cash_amount   TEXT,
    cash_currency TEXT,
    description   TEXT    NOT NULL,
    image_sha256  TEXT,
    item          TEXT    NOT NULL, -- vigil-custody's NewItem as JSON, hashed at seizure
    holder        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (operation_id, reference)
);
CREATE INDEX seized_items_imei ON seized_items(imei) WHERE imei IS NOT NULL;
CREATE TABLE custody_entries (
    item_id   INTEGER NOT NULL REFERENCES seized_items(id),
    step      INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    at_offset INTEGER NOT NULL,
    event     TEXT    NOT NULL, -- vigil-custody's Event as JSON
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL,
    PRIMARY KEY (item_id, step)
) WITHOUT ROWID;
