-- Pipeline workers claim batches of events, extract outside any
-- transaction, then complete them (events_done, from 0009, keeps what is
-- done above each consumer's cursor). A claim names its worker and lasts
-- until `until`; a crashed worker's claims expire and are claimed again.
-- Append-only migrations: never edit this file.
CREATE TABLE event_claims (
    consumer TEXT        NOT NULL,
    seq      BIGINT      NOT NULL,
    worker   TEXT        NOT NULL,
    until    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consumer, seq)
);
