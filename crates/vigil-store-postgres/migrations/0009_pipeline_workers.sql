-- Several pipeline workers share the outbox: the events each consumer has
-- done above its cursor (the cursor moves up to the first event not done,
-- and the rows below it are removed), and leases for work one worker at a
-- time must do (reclustering).
CREATE TABLE events_done (
    consumer TEXT   NOT NULL,
    seq      BIGINT NOT NULL,
    PRIMARY KEY (consumer, seq)
);

CREATE TABLE leases (
    name  TEXT PRIMARY KEY,
    owner TEXT        NOT NULL,
    until TIMESTAMPTZ NOT NULL
);
