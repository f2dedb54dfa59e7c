-- The fairness report per post and month. Kept in the clear for it alone: the
-- traveller's sex and age band (nothing else personal), and the result of a
-- referral (confirmed / not_confirmed, by whom, when). Purging screenings past
-- `[screening] keep_days` first folds them into `screening_tallies`, per
-- (post, month in Cambodia time, policy, sex, age band), in the same
-- statement, so an old month's report stays right after its rows are gone.
-- `screening_policies` keeps each policy's scope note and the written
-- justifications of its weights on protected attributes, which the report shows.
-- Append-only migrations: never edit this file.
ALTER TABLE screenings ADD COLUMN sex TEXT NOT NULL DEFAULT 'unspecified';
ALTER TABLE screenings ADD COLUMN age_band TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE screenings ADD COLUMN referral_result TEXT;
ALTER TABLE screenings ADD COLUMN referral_by BIGINT REFERENCES staff(id);
ALTER TABLE screenings ADD COLUMN referral_at TIMESTAMPTZ;

CREATE TABLE screening_tallies (
    post              TEXT   NOT NULL,
    month             TEXT   NOT NULL, -- YYYY-MM, Cambodia time (UTC+7)
    policy            TEXT   NOT NULL,
    sex               TEXT   NOT NULL,
    age_band          TEXT   NOT NULL,
    screenings        BIGINT NOT NULL,
    advised_interview BIGINT NOT NULL,
    advised_refer     BIGINT NOT NULL,
    decided_clear     BIGINT NOT NULL,
    decided_interview BIGINT NOT NULL,
    decided_refer     BIGINT NOT NULL,
    confirmed         BIGINT NOT NULL,
    not_confirmed     BIGINT NOT NULL,
    PRIMARY KEY (post, month, policy, sex, age_band)
);

CREATE TABLE screening_policies (
    policy          TEXT PRIMARY KEY,
    scope_note      TEXT NOT NULL,
    justifications  TEXT NOT NULL -- JSON array of {attribute, value, weight, justification}
);
