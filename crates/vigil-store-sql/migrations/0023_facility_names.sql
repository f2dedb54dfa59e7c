-- A facility's readable name, chosen by the intelligence from its tips (the
-- reporters' words for the compound, a gazetteer place or a shared
-- identifier) as JSON; empty until the facility is next written.
-- Append-only migrations: never edit this file.
ALTER TABLE facilities ADD COLUMN name TEXT NOT NULL DEFAULT '';
