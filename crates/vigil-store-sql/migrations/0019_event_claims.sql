-- Pipeline workers claim batches of events, extract outside any transaction,
-- then complete them. A claim names its worker and lasts until `until`; a
-- crashed worker's claims expire and are claimed again. `events_done` keeps
-- what each consumer has done above its cursor (the cursor moves up to the
-- first event not done, and the rows below it are removed); PostgreSQL has
-- had it since its migration 9. Append-only migrations: never edit this file.
CREATE TABLE IF NOT EXISTS events_done (
    consumer TEXT     NOT NULL,
    seq      {bigint} NOT NULL,
    PRIMARY KEY (consumer, seq)
);

CREATE TABLE event_claims (
    consumer TEXT     NOT NULL,
    seq      {bigint} NOT NULL,
    worker   TEXT     NOT NULL,
    until    {ts}     NOT NULL,
    PRIMARY KEY (consumer, seq)
);
