-- Up Migration

-- Which legacy file (its SHA-256) and which position in its `users` list last wrote a user. Re-runs and resumed
-- runs of the same file skip rows already written by the same or a later record, so an earlier duplicate never
-- overwrites a later one and a second run writes nothing; a different file overwrites (it is a newer export).
ALTER TABLE users
  ADD COLUMN legacy_source   TEXT,
  ADD COLUMN legacy_position INTEGER CHECK (legacy_position >= 0);

-- The legacy bot could hold a FACEIT player id without a nickname; the account (and its monitoring cursor) is kept,
-- the nickname is filled in the next time the bot sees the player.
ALTER TABLE faceit_accounts ALTER COLUMN nickname DROP NOT NULL;
ALTER TABLE tracked_players ALTER COLUMN nickname DROP NOT NULL;

-- Per-run scratch: every user id a run has read (with its latest position and referrer), committed with each batch.
-- It counts merged duplicates across batches, finds the record that won, and finds referrers absent from the file;
-- the run removes its rows when it finishes.
CREATE TABLE migration_seen (
  run_id      TEXT NOT NULL REFERENCES migration_runs (run_id) ON DELETE CASCADE,
  telegram_id BIGINT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  referred_by BIGINT,
  PRIMARY KEY (run_id, telegram_id)
);

-- Down Migration

DROP TABLE migration_seen;
ALTER TABLE tracked_players ALTER COLUMN nickname SET NOT NULL;
ALTER TABLE faceit_accounts ALTER COLUMN nickname SET NOT NULL;
ALTER TABLE users DROP COLUMN legacy_position, DROP COLUMN legacy_source;
