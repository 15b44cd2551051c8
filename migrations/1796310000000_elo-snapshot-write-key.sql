-- Up Migration

-- An ELO snapshot is written by activities, and Temporal retries an activity whose attempt may already have
-- committed (the answer lost, the worker killed after the commit, a timed-out attempt still running). The write key
-- names the write across its attempts (the activity's workflow run and activity id): a retry that reads the same ELO
-- finds its row and adds none (a retry that reads a new ELO has a new observation). NULL outside an activity.
ALTER TABLE player_elo_snapshots ADD COLUMN write_key TEXT;
CREATE UNIQUE INDEX player_elo_snapshots_write_key_idx
  ON player_elo_snapshots (faceit_player_id, write_key, elo) WHERE write_key IS NOT NULL;

-- Down Migration

DROP INDEX player_elo_snapshots_write_key_idx;
ALTER TABLE player_elo_snapshots DROP COLUMN write_key;
