-- Up Migration

-- FACEIT's own win probability for faction1 (teams.faction1.stats.winProbability on matchmaking rooms), stored
-- beside ELO alone and the model so /accuracy scores it as a third baseline; null where the room carries none.
ALTER TABLE match_analyses
  ADD COLUMN faction1_faceit_win_probability NUMERIC(5, 4)
    CHECK (faction1_faceit_win_probability BETWEEN 0 AND 1);

-- Down Migration

ALTER TABLE match_analyses DROP COLUMN faction1_faceit_win_probability;
