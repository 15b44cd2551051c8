-- Up Migration

-- Predictions you can check (src/predictions): the bot's own probability beside the ELO baseline
-- (faction1_win_probability keeps meaning the ELO baseline, as in every row stored before), and the outcome of
-- every analysed match: finished (with the winner and score) or cancelled, recorded once by the outcome workflow,
-- monitoring or a FACEIT webhook, whichever sees it first.
ALTER TABLE match_analyses
  ADD COLUMN faction1_model_win_probability NUMERIC(5, 4)
    CHECK (faction1_model_win_probability BETWEEN 0 AND 1),
  ADD COLUMN outcome TEXT CHECK (outcome IN ('finished', 'cancelled', 'unknown')),
  ADD COLUMN outcome_source TEXT CHECK (outcome_source IN ('poll', 'monitoring', 'webhook')),
  ADD COLUMN final_score TEXT;

-- A match at exactly 50 % has no predicted winner, but its result is still worth recording.
ALTER TABLE match_analyses DROP CONSTRAINT IF EXISTS match_analyses_check;

CREATE INDEX match_analyses_scored_idx ON match_analyses (outcome_recorded_at)
  WHERE actual_winner IS NOT NULL;

-- Down Migration

DROP INDEX match_analyses_scored_idx;
UPDATE match_analyses SET actual_winner = NULL WHERE predicted_winner IS NULL AND actual_winner IS NOT NULL;
ALTER TABLE match_analyses ADD CONSTRAINT match_analyses_check
  CHECK (actual_winner IS NULL OR predicted_winner IS NOT NULL);
ALTER TABLE match_analyses
  DROP COLUMN final_score,
  DROP COLUMN outcome_source,
  DROP COLUMN outcome,
  DROP COLUMN faction1_model_win_probability;
