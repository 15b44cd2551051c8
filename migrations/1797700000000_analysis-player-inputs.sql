-- Up Migration

-- Each player's fetched data (details, recent matches, lifetime stats) for one analysis run, written by the fetch
-- activity and read by the compute activity, so that the bulk data stays out of the workflow's history (Temporal
-- Cloud bills stored history). A retried fetch overwrites its row; rows older than a day are swept by the compute
-- activity (a run's compute follows its fetches by seconds; a cancelled run never reads them).
CREATE TABLE analysis_player_inputs (
  run_id TEXT NOT NULL,
  player_id TEXT NOT NULL,
  input JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, player_id)
);
CREATE INDEX analysis_player_inputs_created_at_idx ON analysis_player_inputs (created_at);

-- Down Migration

DROP TABLE analysis_player_inputs;
