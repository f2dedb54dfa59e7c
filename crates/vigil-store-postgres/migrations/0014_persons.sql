-- Persons met in operations (issue 5): one `persons` row per real individual,
-- one `person_records` row each time a person is met. A record keeps in the
-- clear only what figures and jurisdiction need; the identity (names, date of
-- birth, documents, notes) is sealed by vigil-core, and the blocking keys
-- used to find the same person again are keyed hashes (no name in the clear).
-- Times are TIMESTAMPTZ.
-- Append-only migrations: never edit this file.
CREATE TABLE persons (
    id          BIGSERIAL PRIMARY KEY,
    merged_into BIGINT REFERENCES persons(id), -- set when merged into another
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE TABLE person_records (
    id              BIGSERIAL PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES persons(id),
    operation_id    BIGINT REFERENCES operations(id),
    province_code   TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('suspect', 'victim', 'witness', 'recruiter')),
    nationality     TEXT    NOT NULL,
    language        TEXT    NOT NULL,
    sex             TEXT    NOT NULL,
    minor           BOOLEAN NOT NULL,
    indicators      TEXT    NOT NULL, -- JSON list of vigil_domain::victims::Indicator codes
    imminent_danger BOOLEAN NOT NULL,
    consent         TEXT    NOT NULL,
    likely_victim   BOOLEAN NOT NULL,
    referred        BOOLEAN NOT NULL,
    referral_reason TEXT    NOT NULL,
    identity        BYTEA   NOT NULL, -- sealed JSON
    victim_ack_by   BIGINT REFERENCES staff(id),
    victim_ack_at   TIMESTAMPTZ,
    victim_ack_note TEXT,
    created_by      BIGINT NOT NULL REFERENCES staff(id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_records_person ON person_records(person_id);
CREATE INDEX person_records_operation ON person_records(operation_id) WHERE operation_id IS NOT NULL;
CREATE INDEX person_records_created ON person_records(created_at);
CREATE INDEX person_records_province ON person_records(province_code, created_at);
CREATE TABLE person_keys (
    key       BYTEA   NOT NULL, -- keyed hash of a blocking key
    record_id BIGINT NOT NULL REFERENCES person_records(id),
    PRIMARY KEY (key, record_id)
);
CREATE TABLE person_reviews (
    id         BIGSERIAL PRIMARY KEY,
    record_a   BIGINT NOT NULL REFERENCES person_records(id),
    record_b   BIGINT NOT NULL REFERENCES person_records(id),
    score      DOUBLE PRECISION NOT NULL, -- match probability, 0-1
    reasons    TEXT    NOT NULL, -- JSON list of reasons
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'same', 'different')),
    decided_by BIGINT REFERENCES staff(id),
    decided_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_reviews_status ON person_reviews(status, id);
