-- Suspected facilities: clusters of tips, with a priority and its reasons.
-- Append-only migrations: never edit this file.

CREATE TABLE facilities (
    id            BIGINT PRIMARY KEY,
    priority      DOUBLE PRECISION NOT NULL,
    -- JSON array of {code, weight, detail}, written by vigil-core
    reasons       TEXT NOT NULL,
    province_code TEXT,
    tips          BIGINT NOT NULL,
    first_at      TIMESTAMPTZ NOT NULL,
    last_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX facilities_queue ON facilities(priority DESC, id);

CREATE TABLE facility_tips (
    tip_id      BIGINT PRIMARY KEY,
    facility_id BIGINT NOT NULL
);
CREATE INDEX facility_tips_facility ON facility_tips(facility_id, tip_id);
