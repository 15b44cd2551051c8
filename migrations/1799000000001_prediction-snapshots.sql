-- Up Migration

-- The prediction /accuracy scores: one immutable snapshot per match, the first analysis of it. match_analyses keeps
-- the latest view (a later analysis replaces the report), this table keeps what the bot said first, and whether it
-- said it before the match started: only those rows are ever scored.
--   room_status       the match room's status when the analysis read it (VOTING, READY, ONGOING, ...)
--   own_result_seen   a player's fetched history already listed this match (post-match data was cached)
--   match_started_at  FACEIT's started_at: from the room when it had one, else filled in once, later, by the
--                     outcome check (GET /matches/{id}); never changed once known
--   made_at           when the analysis was stored, to the second: FACEIT's started_at has whole seconds, so an
--                     analysis stored in the very second the match went live counts as made before it (the
--                     warm-up is still on then); one stored a second later does not
--   made_before_start derived by the database from these, not written by the bot
CREATE TABLE match_predictions (
  match_id                       TEXT PRIMARY KEY REFERENCES match_analyses (match_id) ON DELETE CASCADE,
  workflow_id                    TEXT NOT NULL,
  made_at                        TIMESTAMPTZ NOT NULL DEFAULT date_trunc('second', now()),
  room_status                    TEXT NOT NULL,
  own_result_seen                BOOLEAN NOT NULL,
  match_started_at               TIMESTAMPTZ,
  faction1_elo_win_probability   NUMERIC(5, 4) CHECK (faction1_elo_win_probability BETWEEN 0 AND 1),
  faction1_model_win_probability NUMERIC(5, 4) CHECK (faction1_model_win_probability BETWEEN 0 AND 1),
  faction1_faceit_win_probability NUMERIC(5, 4) CHECK (faction1_faceit_win_probability BETWEEN 0 AND 1),
  predicted_winner               TEXT CHECK (predicted_winner IN ('faction1', 'faction2')),
  made_before_start              BOOLEAN GENERATED ALWAYS AS (
    room_status IN ('CHECK_IN', 'CAPTAIN_PICK', 'SUBSTITUTION', 'VOTING', 'CONFIGURING', 'READY')
    AND NOT own_result_seen
    AND (match_started_at IS NULL OR made_at <= match_started_at)
  ) STORED
);

-- Insert-once: a snapshot is never rewritten. The only change allowed is learning FACEIT's started_at once.
CREATE FUNCTION match_predictions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.match_id IS DISTINCT FROM OLD.match_id
    OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id
    OR NEW.made_at IS DISTINCT FROM OLD.made_at
    OR NEW.room_status IS DISTINCT FROM OLD.room_status
    OR NEW.own_result_seen IS DISTINCT FROM OLD.own_result_seen
    OR NEW.faction1_elo_win_probability IS DISTINCT FROM OLD.faction1_elo_win_probability
    OR NEW.faction1_model_win_probability IS DISTINCT FROM OLD.faction1_model_win_probability
    OR NEW.faction1_faceit_win_probability IS DISTINCT FROM OLD.faction1_faceit_win_probability
    OR NEW.predicted_winner IS DISTINCT FROM OLD.predicted_winner
    OR (OLD.match_started_at IS NOT NULL AND NEW.match_started_at IS DISTINCT FROM OLD.match_started_at)
  THEN
    RAISE EXCEPTION 'match_predictions is insert-once: the snapshot of match % cannot change', OLD.match_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER match_predictions_immutable BEFORE UPDATE ON match_predictions
  FOR EACH ROW EXECUTE FUNCTION match_predictions_immutable();

CREATE INDEX match_predictions_scored_idx ON match_predictions (match_id) WHERE made_before_start;

-- Analyses stored before this table: the probabilities are those of the latest analysis of the match (a re-analysis
-- replaced them), scored only when that analysis read a room that had not started; their post-match data is unknown.
INSERT INTO match_predictions (match_id, workflow_id, made_at, room_status, own_result_seen,
  faction1_elo_win_probability, faction1_model_win_probability, faction1_faceit_win_probability, predicted_winner)
SELECT match_id, workflow_id, date_trunc('second', COALESCE(completed_at, started_at)), COALESCE(upper(result ->> 'status'), 'UNKNOWN'),
  false, faction1_win_probability, faction1_model_win_probability, faction1_faceit_win_probability, predicted_winner
FROM match_analyses WHERE status = 'completed';

-- Down Migration

DROP TABLE match_predictions;
DROP FUNCTION match_predictions_immutable();
