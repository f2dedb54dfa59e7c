-- The public check. A value's digest key is the first 8 bytes of the
-- SHA-256 of its normalised value, read as a signed integer: the range API
-- reads one interval of it. Values stored before this migration get theirs
-- from `fill_check_digests`. Append-only migrations: never edit this file.
ALTER TABLE observables ADD COLUMN digest_key {bigint};
CREATE INDEX observables_digest ON observables(digest_key);

-- Analysts' judgement of a value (confirmed scam, under investigation,
-- cleared), one per value, as the check and the partners' feed show it.
CREATE TABLE standings (
    observable_id {bigint} PRIMARY KEY,
    standing      TEXT     NOT NULL,
    reason        TEXT     NOT NULL,
    decided_by    {bigint} NOT NULL,
    decided_at    {ts}     NOT NULL
);
CREATE INDEX standings_by_standing ON standings(standing, observable_id);
