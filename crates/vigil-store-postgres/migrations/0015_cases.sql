-- Cases and prosecutions (issue 5): case files, the operations and seized
-- items they rest on, defendants, charges under a statute code (statutes are
-- data: vigil-domain's statutes.toml), hearings and verdicts. Times are
-- TIMESTAMPTZ with the local offset in minutes beside them; court dates are
-- DATE. Stage and verdict rules are checked by vigil-core.
-- Append-only migrations: never edit this file.
CREATE TABLE cases (
    id            BIGSERIAL   PRIMARY KEY,
    reference     TEXT        NOT NULL UNIQUE,
    title         TEXT        NOT NULL,
    name          TEXT,                 -- a named case's public name
    province_code TEXT        NOT NULL, -- jurisdiction
    court         TEXT        NOT NULL,
    stage         TEXT        NOT NULL CHECK (stage IN ('investigation', 'charged', 'trial', 'verdict', 'appeal')),
    created_by    BIGINT      NOT NULL REFERENCES staff(id),
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_province ON cases(province_code, id);
CREATE INDEX cases_created ON cases(created_at);
CREATE TABLE case_operations (
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    operation_id BIGINT NOT NULL REFERENCES operations(id),
    PRIMARY KEY (case_id, operation_id)
);
CREATE TABLE case_items (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    item_id BIGINT NOT NULL REFERENCES seized_items(id),
    PRIMARY KEY (case_id, item_id)
);
CREATE TABLE case_defendants (
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    person_id  BIGINT NOT NULL, -- persons(id); checked by vigil-core
    outcome    TEXT   NOT NULL DEFAULT 'pending'
               CHECK (outcome IN ('pending', 'convicted', 'acquitted', 'dismissed')),
    sentence   TEXT   NOT NULL DEFAULT '',
    outcome_on DATE,
    PRIMARY KEY (case_id, person_id)
);
CREATE TABLE charges (
    id         BIGSERIAL PRIMARY KEY,
    case_id    BIGINT    NOT NULL,
    person_id  BIGINT    NOT NULL, -- persons(id); checked by vigil-core
    statute    TEXT      NOT NULL, -- a statute code
    charged_on DATE      NOT NULL,
    verdict    TEXT      CHECK (verdict IN ('convicted', 'acquitted', 'dropped')),
    verdict_on DATE,
    FOREIGN KEY (case_id, person_id) REFERENCES case_defendants(case_id, person_id)
);
CREATE INDEX charges_case ON charges(case_id, id);
CREATE TABLE hearings (
    id        BIGSERIAL   PRIMARY KEY,
    case_id   BIGINT      NOT NULL REFERENCES cases(id),
    at        TIMESTAMPTZ NOT NULL,
    at_offset BIGINT      NOT NULL, -- minutes east of UTC
    court     TEXT        NOT NULL,
    kind      TEXT        NOT NULL,
    outcome   TEXT        NOT NULL,
    notes     TEXT        NOT NULL
);
CREATE INDEX hearings_case ON hearings(case_id, at);
