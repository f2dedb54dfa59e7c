-- Rewards: a supervisor marks a tip as having led to a result; its reporter
-- reads a reward code in the follow-up thread and claims it. One row per tip
-- at most (the primary key). Nothing about the reporter is kept: the code is
-- stored sealed under the instance key (for the thread) and as a keyed hash
-- (for the claim at the counter), and the only people named are the staff
-- who awarded and recorded the claim. Append-only migrations: never edit
-- this file.
CREATE TABLE rewards (
    tip_id      {bigint} PRIMARY KEY REFERENCES tips(id),
    reason      TEXT     NOT NULL,
    code_sealed {bytes}  NOT NULL,
    code_hash   {bytes}  NOT NULL UNIQUE,
    awarded_by  {bigint} NOT NULL REFERENCES staff(id),
    awarded_at  {ts}     NOT NULL,
    claimed_by  {bigint} REFERENCES staff(id),
    claimed_at  {ts}
);

-- The figures count awards and claims by day.
CREATE INDEX rewards_awarded ON rewards(awarded_at);
CREATE INDEX rewards_claimed ON rewards(claimed_at) WHERE claimed_at IS NOT NULL;
