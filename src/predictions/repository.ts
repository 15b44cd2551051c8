import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { ScoredMatch } from './model/scores';

/**
 * Outcomes of analysed matches (columns of match_analyses, migration 1796200000000_predictions.sql) and the rows
 * /accuracy scores (the prediction snapshots of match_predictions, migration 1799000000001_prediction-snapshots.sql). An outcome is written once: the first of the outcome workflow's poll, a monitoring sighting
 * or a webhook-triggered check wins, and later ones change nothing.
 */

export type OutcomeSource = 'poll' | 'monitoring' | 'webhook';
export type Faction = 'faction1' | 'faction2';

export type RecordOutcomeInput =
  | { matchId: string; outcome: 'finished'; winner: Faction; score?: string | null; source: OutcomeSource }
  | { matchId: string; outcome: 'cancelled' | 'unknown'; source: OutcomeSource };

export interface Sighting {
  matchId: string;
  /** A player of the match and whether his team won (a /games/cs2/stats item's `Result`). */
  playerId: string;
  win: boolean;
  /** "13 / 9" as the item has it (optional). */
  score?: string | null;
}

const statusRow = z.object({
  status: z.string(),
  outcome: z.string().nullable(),
  actual_winner: z.string().nullable(),
});

const scoredRow = z.object({
  elo: z.number().nullable(),
  model: z.number().nullable(),
  faceit: z.number().nullable(),
  winner: z.string(),
});

export function createPredictionsRepository(pool: DatabasePool) {
  return {
    /** The analysis row's state: null when the match was never analysed. */
    async outcomeState(matchId: string) {
      return pool.maybeOne(sql.type(statusRow)`
        SELECT status, outcome, actual_winner FROM match_analyses WHERE match_id = ${matchId}`);
    },

    /** Records the outcome of a completed analysis once. True when this call recorded it. */
    async recordOutcome(input: RecordOutcomeInput): Promise<boolean> {
      const winner = input.outcome === 'finished' ? input.winner : null;
      const score = input.outcome === 'finished' ? (input.score ?? null) : null;
      const updated = await pool.query(sql.unsafe`
        UPDATE match_analyses
        SET outcome = ${input.outcome}, actual_winner = ${winner}, final_score = ${score},
            outcome_source = ${input.source}, outcome_recorded_at = now()
        WHERE match_id = ${input.matchId} AND status = 'completed'
          AND (outcome IS NULL OR (outcome = 'unknown' AND ${input.outcome} <> 'unknown'))`);
      return updated.rowCount > 0;
    },

    /**
     * Monitoring saw players' finished matches: those that are analysed and still open get their winner from the
     * player's faction in the stored analysis. One statement for the whole batch; returns the match ids recorded.
     */
    async recordSightings(sightings: readonly Sighting[], source: OutcomeSource): Promise<string[]> {
      if (sightings.length === 0) return [];
      const rows = await pool.anyFirst(sql.type(z.object({ match_id: z.string() }))`
        WITH s AS (
          SELECT DISTINCT ON (match_id) match_id, player_id, win, score
          FROM ${sql.unnest(
            sightings.map((x) => [x.matchId, x.playerId, x.win, x.score ?? null]),
            ['text', 'text', 'bool', 'text'],
          )} AS t(match_id, player_id, win, score)
        ), sided AS (
          SELECT a.match_id, s.win, s.score,
            CASE
              WHEN a.result -> 'teams' -> 'faction1' -> 'players' @> jsonb_build_array(jsonb_build_object('playerId', s.player_id)) THEN 'faction1'
              WHEN a.result -> 'teams' -> 'faction2' -> 'players' @> jsonb_build_array(jsonb_build_object('playerId', s.player_id)) THEN 'faction2'
            END AS side
          FROM match_analyses a JOIN s ON s.match_id = a.match_id
          WHERE a.status = 'completed' AND (a.outcome IS NULL OR a.outcome = 'unknown')
        )
        UPDATE match_analyses m
        SET outcome = 'finished',
            actual_winner = CASE WHEN sided.win THEN sided.side
                                 ELSE (CASE sided.side WHEN 'faction1' THEN 'faction2' ELSE 'faction1' END) END,
            final_score = sided.score, outcome_source = ${source}, outcome_recorded_at = now()
        FROM sided
        WHERE m.match_id = sided.match_id AND sided.side IS NOT NULL
        RETURNING m.match_id`);
      return [...rows];
    },

    /**
     * FACEIT's started_at of a match, learned once after the analysis (the outcome check's GET /matches/{id}): the
     * database then re-derives whether the prediction snapshot was made before the start. Never changes a known one.
     */
    async recordStartedAt(matchId: string, startedAtMs: number): Promise<boolean> {
      const updated = await pool.query(sql.unsafe`
        UPDATE match_predictions SET match_started_at = ${sql.timestamp(new Date(startedAtMs))}
        WHERE match_id = ${matchId} AND match_started_at IS NULL`);
      return updated.rowCount > 0;
    },

    /**
     * Scored matches (finished, winner known), oldest first: all of them, or those a Telegram user asked about.
     * Each is scored on its prediction snapshot (match_predictions: the first analysis, made before the match
     * started); a match analysed only after its start, or with its own result in the data, is never scored.
     * `model` is null for analyses stored before the model existed (scored with their ELO baseline then).
     */
    async scored(scope: { telegramId?: number } = {}): Promise<ScoredMatch[]> {
      const rows = await pool.any(sql.type(scoredRow)`
        SELECT p.faction1_elo_win_probability::float8 AS elo, p.faction1_model_win_probability::float8 AS model,
          p.faction1_faceit_win_probability::float8 AS faceit, a.actual_winner AS winner
        FROM match_predictions p JOIN match_analyses a USING (match_id)
        WHERE p.made_before_start AND a.outcome = 'finished' AND a.actual_winner IS NOT NULL
          ${
            scope.telegramId === undefined
              ? sql.fragment``
              : sql.fragment`AND EXISTS (SELECT 1 FROM analysis_requests r
                  WHERE r.match_id = a.match_id AND r.telegram_id = ${scope.telegramId})`
          }
        ORDER BY a.outcome_recorded_at, a.match_id`);
      return rows.map((r) => ({
        elo: r.elo,
        model: r.model,
        faceit: r.faceit,
        y: r.winner === 'faction1' ? 1 : 0,
      }));
    },

    /** Finished matches left out of the score: their first analysis came after the start (or saw the result). */
    async notScored(): Promise<number> {
      return pool.oneFirst(sql.type(z.object({ n: z.number() }))`
        SELECT count(*)::int AS n FROM match_predictions p JOIN match_analyses a USING (match_id)
        WHERE NOT p.made_before_start AND a.outcome = 'finished' AND a.actual_winner IS NOT NULL`);
    },
  };
}
export type PredictionsRepository = ReturnType<typeof createPredictionsRepository>;
