-- Immigration (issue 5, item 5): detentions, deportation orders and
-- departures (deported or voluntary). Each record keeps its own subject:
-- nationality in the clear, the identity (name, passport number, date of
-- birth) sealed by vigil-core (XChaCha20-Poly1305, purpose
-- "immigration.subject"). Dates are TEXT 'YYYY-MM-DD' (they sort as dates);
-- created_at is Unix nanoseconds in UTC.
-- Append-only migrations: never edit this file.
CREATE TABLE detentions (
    id            INTEGER PRIMARY KEY,
    subject       BLOB    NOT NULL,
    person_id     INTEGER,          -- persons(id) when known; set by vigil-core's linkage
    operation_id  INTEGER REFERENCES operations(id),
    nationality   TEXT    NOT NULL,
    place         TEXT    NOT NULL,
    province_code TEXT    NOT NULL,
    from_on       TEXT    NOT NULL,
    until_on      TEXT,
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX detentions_from ON detentions(from_on, province_code);
CREATE TABLE deportation_orders (
    id            INTEGER PRIMARY KEY,
    reference     TEXT    NOT NULL UNIQUE,
    subject       BLOB    NOT NULL,
    person_id     INTEGER,          -- persons(id) when known; set by vigil-core's linkage
    nationality   TEXT    NOT NULL,
    issued_on     TEXT    NOT NULL,
    authority     TEXT    NOT NULL,
    province_code TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('issued', 'executed', 'cancelled')),
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX deportation_orders_issued ON deportation_orders(issued_on, province_code);
CREATE INDEX deportation_orders_nationality ON deportation_orders(nationality, issued_on);
CREATE TABLE departures (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('deported', 'voluntary')),
    subject       BLOB    NOT NULL,
    person_id     INTEGER,          -- persons(id) when known; set by vigil-core's linkage
    operation_id  INTEGER REFERENCES operations(id),
    order_id      INTEGER REFERENCES deportation_orders(id),
    nationality   TEXT    NOT NULL, -- ISO 3166-1 alpha-2, upper case
    departed_on   TEXT    NOT NULL,
    port          TEXT    NOT NULL, -- an exit post code (vigil_domain::posts)
    province_code TEXT    NOT NULL, -- the port's province
    batch         TEXT,             -- the CSV import it came in, if any
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    INTEGER NOT NULL
);
-- Lists and exports by period.
CREATE INDEX departures_day ON departures(departed_on);
CREATE INDEX departures_nationality ON departures(nationality, departed_on);
CREATE UNIQUE INDEX departures_order ON departures(order_id) WHERE order_id IS NOT NULL;
-- The figures read tallies per (day, province, kind, nationality), kept by
-- triggers in the same transaction as every write to departures (whoever
-- writes them), so a year's figures sum a few thousand rows, not 250,000.
CREATE TABLE departure_tallies (
    departed_on   TEXT    NOT NULL,
    province_code TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    nationality   TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (departed_on, province_code, kind, nationality)
) WITHOUT ROWID;
CREATE TRIGGER departures_tally_insert AFTER INSERT ON departures BEGIN
    INSERT INTO departure_tallies (departed_on, province_code, kind, nationality, n)
    VALUES (NEW.departed_on, NEW.province_code, NEW.kind, NEW.nationality, 1)
    ON CONFLICT (departed_on, province_code, kind, nationality) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER departures_tally_delete AFTER DELETE ON departures BEGIN
    UPDATE departure_tallies SET n = n - 1
    WHERE departed_on = OLD.departed_on AND province_code = OLD.province_code
      AND kind = OLD.kind AND nationality = OLD.nationality;
END;
CREATE TRIGGER departures_tally_update
AFTER UPDATE OF departed_on, province_code, kind, nationality ON departures BEGIN
    UPDATE departure_tallies SET n = n - 1
    WHERE departed_on = OLD.departed_on AND province_code = OLD.province_code
      AND kind = OLD.kind AND nationality = OLD.nationality;
    INSERT INTO departure_tallies (departed_on, province_code, kind, nationality, n)
    VALUES (NEW.departed_on, NEW.province_code, NEW.kind, NEW.nationality, 1)
    ON CONFLICT (departed_on, province_code, kind, nationality) DO UPDATE SET n = n + 1;
END;
