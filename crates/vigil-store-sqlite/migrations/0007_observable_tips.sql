-- How many tips carry each observable, kept by record_sightings in the same
-- transaction as the sightings, so reading "seen in N tips" no longer counts
-- N index entries (issue 4: a value seen 12,000 times answers in well under
-- a millisecond). Append-only migrations: never edit this file.
ALTER TABLE observables ADD COLUMN tips INTEGER NOT NULL DEFAULT 0;
UPDATE observables
SET tips = (SELECT COUNT(*) FROM sightings s WHERE s.observable_id = observables.id);
