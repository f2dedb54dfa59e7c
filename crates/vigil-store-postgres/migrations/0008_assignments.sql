-- Facilities and tips assigned to staff accounts ("facility:12", "tip:5"),
-- one account per object. Append-only migrations: never edit this file.
CREATE TABLE assignments (
    object      TEXT PRIMARY KEY,
    staff_id    BIGINT NOT NULL REFERENCES staff(id),
    assigned_by BIGINT NOT NULL REFERENCES staff(id),
    assigned_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX assignments_staff ON assignments(staff_id, assigned_at);
-- The map counts tips by district within a province.
CREATE INDEX tips_place ON tips(province_code, district_code);
