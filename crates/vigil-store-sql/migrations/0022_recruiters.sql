-- Local recruiters: where persons met come from, how victims were recruited
-- and by whom, and the recruiters' arrests. A recruiter is one row whether
-- met in person (`person_id`) or known only by the contacts victims gave;
-- contacts are observables, so a recruiter links to tips, facilities and the
-- screening watchlist through the values they share. Home villages are
-- gazetteer codes (the commune, district and province kept beside them for
-- grouping). Append-only migrations: never edit this file.
CREATE TABLE recruiters (
    id          {id},
    person_id   {bigint} REFERENCES persons(id),
    merged_into {bigint} REFERENCES recruiters(id),
    created_at  {ts}     NOT NULL
);
CREATE INDEX recruiters_person ON recruiters(person_id) WHERE person_id IS NOT NULL;

CREATE TABLE recruiter_contacts (
    recruiter_id  {bigint} NOT NULL REFERENCES recruiters(id),
    observable_id {bigint} NOT NULL REFERENCES observables(id),
    PRIMARY KEY (recruiter_id, observable_id)
);
CREATE INDEX recruiter_contacts_observable ON recruiter_contacts(observable_id);

-- A person met's home village (victims and recruiters).
CREATE TABLE person_origins (
    record_id     {bigint} PRIMARY KEY REFERENCES person_records(id),
    village_code  TEXT NOT NULL,
    commune_code  TEXT NOT NULL,
    district_code TEXT NOT NULL,
    province_code TEXT NOT NULL
);
CREATE INDEX person_origins_commune ON person_origins(commune_code);
CREATE INDEX person_origins_district ON person_origins(district_code);

-- How a victim was recruited; `recruiter_id` is empty when no contact was
-- given. A recruiter met in person links here through its own record too.
CREATE TABLE recruitments (
    record_id    {bigint} PRIMARY KEY REFERENCES person_records(id),
    recruiter_id {bigint} REFERENCES recruiters(id),
    promised_job TEXT NOT NULL,
    route        TEXT NOT NULL
);
CREATE INDEX recruitments_recruiter ON recruitments(recruiter_id);

-- A recruiter met in an operation and arrested there. `foreign_national`
-- is the nationality recorded at the arrest (not Cambodian).
CREATE TABLE recruiter_arrests (
    recruiter_id     {bigint} NOT NULL REFERENCES recruiters(id),
    record_id        {bigint} NOT NULL REFERENCES person_records(id),
    operation_id     {bigint} NOT NULL REFERENCES operations(id),
    province_code    TEXT     NOT NULL,
    commune_code     TEXT,
    foreign_national {bool}   NOT NULL,
    arrested_at      {ts}     NOT NULL,
    PRIMARY KEY (record_id)
);
CREATE INDEX recruiter_arrests_recruiter ON recruiter_arrests(recruiter_id);
CREATE INDEX recruiter_arrests_at ON recruiter_arrests(arrested_at);

-- The commune view reads the tips placed in a district or commune.
CREATE INDEX tips_district ON tips(district_code, received_at) WHERE district_code IS NOT NULL;
CREATE INDEX tips_commune ON tips(commune_code, received_at) WHERE commune_code IS NOT NULL;
