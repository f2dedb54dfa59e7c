-- Immigration (issue 5, item 5): detentions, deportation orders and
-- departures (deported or voluntary). Each record keeps its own subject:
-- nationality in the clear, the identity (name, passport number, date of
-- birth) sealed by vigil-core (XChaCha20-Poly1305, purpose
-- "immigration.subject"). Dates are DATE; created_at is TIMESTAMPTZ.
-- Append-only migrations: never edit this file.
CREATE TABLE detentions (
    id            BIGSERIAL PRIMARY KEY,
    subject       BYTEA   NOT NULL,
    person_id     BIGINT,           -- persons(id) when known; set by vigil-core's linkage
    operation_id  BIGINT REFERENCES operations(id),
    nationality   TEXT    NOT NULL,
    place         TEXT    NOT NULL,
    province_code TEXT    NOT NULL,
    from_on       DATE    NOT NULL,
    until_on      DATE,
    created_by    BIGINT NOT NULL REFERENCES staff(id),
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX detentions_from ON detentions(from_on, province_code);
CREATE TABLE deportation_orders (
    id            BIGSERIAL PRIMARY KEY,
    reference     TEXT    NOT NULL UNIQUE,
    subject       BYTEA   NOT NULL,
    person_id     BIGINT,           -- persons(id) when known; set by vigil-core's linkage
    nationality   TEXT    NOT NULL,
    issued_on     DATE    NOT NULL,
    authority     TEXT    NOT NULL,
    province_code TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('issued', 'executed', 'cancelled')),
    created_by    BIGINT NOT NULL REFERENCES staff(id),
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX deportation_orders_issued ON deportation_orders(issued_on, province_code);
CREATE INDEX deportation_orders_nationality ON deportation_orders(nationality, issued_on);
CREATE TABLE departures (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('deported', 'voluntary')),
    subject       BYTEA   NOT NULL,
    person_id     BIGINT,           -- persons(id) when known; set by vigil-core's linkage
    operation_id  BIGINT REFERENCES operations(id),
    order_id      BIGINT REFERENCES deportation_orders(id),
    nationality   TEXT    NOT NULL, -- ISO 3166-1 alpha-2, upper case
    departed_on   DATE    NOT NULL,
    port          TEXT    NOT NULL, -- an exit post code (vigil_domain::posts)
    province_code TEXT    NOT NULL, -- the port's province
    batch         TEXT,             -- the CSV import it came in, if any
    created_by    BIGINT NOT NULL REFERENCES staff(id),
    created_at    TIMESTAMPTZ NOT NULL
);
-- Lists and exports by period.
CREATE INDEX departures_day ON departures(departed_on);
CREATE INDEX departures_nationality ON departures(nationality, departed_on);
CREATE UNIQUE INDEX departures_order ON departures(order_id) WHERE order_id IS NOT NULL;
-- The figures read tallies per (day, province, kind, nationality), kept by
-- statement-level triggers in the same transaction as every write to
-- departures (whoever writes them), so a year's figures sum a few thousand
-- rows, not 250,000.
CREATE TABLE departure_tallies (
    departed_on   DATE   NOT NULL,
    province_code TEXT   NOT NULL,
    kind          TEXT   NOT NULL,
    nationality   TEXT   NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (departed_on, province_code, kind, nationality)
);
CREATE FUNCTION departure_tallies_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO departure_tallies AS t (departed_on, province_code, kind, nationality, n)
    SELECT departed_on, province_code, kind, nationality, COUNT(*)
    FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (departed_on, province_code, kind, nationality) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION departure_tallies_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE departure_tallies t SET n = t.n - o.c
    FROM (SELECT departed_on, province_code, kind, nationality, COUNT(*) AS c
          FROM old_rows GROUP BY 1, 2, 3, 4) o
    WHERE t.departed_on = o.departed_on AND t.province_code = o.province_code
      AND t.kind = o.kind AND t.nationality = o.nationality;
    RETURN NULL;
END $$;
CREATE FUNCTION departure_tallies_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE departure_tallies t SET n = t.n - o.c
    FROM (SELECT departed_on, province_code, kind, nationality, COUNT(*) AS c
          FROM old_rows GROUP BY 1, 2, 3, 4) o
    WHERE t.departed_on = o.departed_on AND t.province_code = o.province_code
      AND t.kind = o.kind AND t.nationality = o.nationality;
    INSERT INTO departure_tallies AS t (departed_on, province_code, kind, nationality, n)
    SELECT departed_on, province_code, kind, nationality, COUNT(*)
    FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (departed_on, province_code, kind, nationality) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE TRIGGER departures_tally_insert AFTER INSERT ON departures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION departure_tallies_add();
CREATE TRIGGER departures_tally_delete AFTER DELETE ON departures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION departure_tallies_remove();
CREATE TRIGGER departures_tally_update AFTER UPDATE ON departures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION departure_tallies_move();
