-- Operations (raids), the fraud networks they hit, seized evidence and each
-- item's chain of custody (issue 5). Times are TIMESTAMPTZ with the local
-- UTC offset in minutes kept beside them. A custody entry's fields are kept
-- as vigil-custody's JSON event, hashed into the item's chain.
-- Append-only migrations: never edit this file.
CREATE TABLE networks (
    id                       BIGSERIAL PRIMARY KEY,
    name                     TEXT        NOT NULL,
    leaders                  TEXT        NOT NULL, -- JSON list of names
    dismantled_by_operation  BIGINT,
    dismantled_evidence      TEXT        NOT NULL DEFAULT '',
    created_at               TIMESTAMPTZ NOT NULL
);
CREATE TABLE operations (
    id              BIGSERIAL PRIMARY KEY,
    reference       TEXT        NOT NULL UNIQUE,
    title           TEXT        NOT NULL,
    lead_agency     TEXT        NOT NULL,
    partners        TEXT        NOT NULL, -- JSON list of agencies
    planned_for     TIMESTAMPTZ,
    planned_offset  BIGINT,               -- minutes east of UTC
    happened_at     TIMESTAMPTZ,
    happened_offset BIGINT,
    province_code   TEXT        NOT NULL,
    district_code   TEXT,
    commune_code    TEXT,
    place           TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    outcome         TEXT        NOT NULL,
    network_id      BIGINT REFERENCES networks(id),
    created_by      BIGINT      NOT NULL REFERENCES staff(id),
    created_at      TIMESTAMPTZ NOT NULL
);
ALTER TABLE networks ADD FOREIGN KEY (dismantled_by_operation) REFERENCES operations(id);
CREATE INDEX operations_province ON operations(province_code, id);
CREATE TABLE operation_facilities (
    operation_id BIGINT NOT NULL REFERENCES operations(id),
    facility_id  BIGINT NOT NULL, -- no foreign key: reclustering rewrites facilities
    PRIMARY KEY (operation_id, facility_id)
);
CREATE TABLE seized_items (
    id            BIGSERIAL PRIMARY KEY,
    operation_id  BIGINT      NOT NULL REFERENCES operations(id),
    reference     TEXT        NOT NULL,
    kind          TEXT        NOT NULL,
    serial        TEXT,
    imei          TEXT,
    iccid         TEXT,
    card_last4    TEXT,
    cash_amount   TEXT,
    cash_currency TEXT,
    description   TEXT        NOT NULL,
    image_sha256  TEXT,
    item          TEXT        NOT NULL, -- vigil-custody's NewItem as JSON, hashed at seizure
    holder        TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (operation_id, reference)
);
CREATE INDEX seized_items_imei ON seized_items(imei) WHERE imei IS NOT NULL;
CREATE TABLE custody_entries (
    item_id   BIGINT      NOT NULL REFERENCES seized_items(id),
    step      BIGINT      NOT NULL,
    kind      TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    at_offset BIGINT      NOT NULL,
    event     TEXT        NOT NULL, -- vigil-custody's Event as JSON
    prev_hash TEXT        NOT NULL,
    hash      TEXT        NOT NULL,
    PRIMARY KEY (item_id, step)
);
