-- Pipeline workers claim batches of events, extract outside any
-- transaction, then complete them. A claim names its worker and lasts until
-- `until`; a crashed worker's claims expire and are claimed again. The events
-- each consumer has done above its cursor are kept as on PostgreSQL (the
-- cursor moves up to the first event not done, and the rows below it are
-- removed). Append-only migrations: never edit this file.
CREATE TABLE events_done (
    consumer TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (consumer, seq)
);

CREATE TABLE event_claims (
    consumer TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    worker   TEXT    NOT NULL,
    until    INTEGER NOT NULL, -- Unix nanoseconds
    PRIMARY KEY (consumer, seq)
);
