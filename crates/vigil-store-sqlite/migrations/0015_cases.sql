-- Cases and prosecutions (issue 5): case files, the operations and seized
-- items they rest on, defendants, charges under a statute code (statutes are
-- data: vigil-domain's statutes.toml), hearings and verdicts. Times are Unix
-- nanoseconds in UTC with the local offset in minutes beside them; court
-- dates are ISO dates ('YYYY-MM-DD'). Stage and verdict rules are checked by
-- vigil-core. Append-only migrations: never edit this file.
CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    reference     TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL,
    name          TEXT,             -- a named case's public name
    province_code TEXT    NOT NULL, -- jurisdiction
    court         TEXT    NOT NULL,
    stage         TEXT    NOT NULL CHECK (stage IN ('investigation', 'charged', 'trial', 'verdict', 'appeal')),
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX cases_province ON cases(province_code, id);
CREATE INDEX cases_created ON cases(created_at);
CREATE TABLE case_operations (
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    PRIMARY KEY (case_id, operation_id)
) WITHOUT ROWID;
CREATE TABLE case_items (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    item_id INTEGER NOT NULL REFERENCES seized_items(id),
    PRIMARY KEY (case_id, item_id)
) WITHOUT ROWID;
CREATE TABLE case_defendants (
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    person_id  INTEGER NOT NULL, -- persons(id); checked by vigil-core
    outcome    TEXT    NOT NULL DEFAULT 'pending'
               CHECK (outcome IN ('pending', 'convicted', 'acquitted', 'dismissed')),
    sentence   TEXT    NOT NULL DEFAULT '',
    outcome_on TEXT,             -- ISO date
    PRIMARY KEY (case_id, person_id)
) WITHOUT ROWID;
CREATE TABLE charges (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL,
    person_id  INTEGER NOT NULL, -- persons(id); checked by vigil-core
    statute    TEXT    NOT NULL, -- a statute code
    charged_on TEXT    NOT NULL, -- ISO date
    verdict    TEXT    CHECK (verdict IN ('convicted', 'acquitted', 'dropped')),
    verdict_on TEXT,             -- ISO date
    FOREIGN KEY (case_id, person_id) REFERENCES case_defendants(case_id, person_id)
);
CREATE INDEX charges_case ON charges(case_id, id);
CREATE TABLE hearings (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    at        INTEGER NOT NULL,
    at_offset INTEGER NOT NULL,  -- minutes east of UTC
    court     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    notes     TEXT    NOT NULL
);
CREATE INDEX hearings_case ON hearings(case_id, at);
