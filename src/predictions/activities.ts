import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { DatabasePool } from 'slonik';
import { FaceitNotFoundError, toActivityFailure, type FaceitClient } from '../faceit';
import { createPredictionsRepository } from './repository';
import type { CheckOutcomeResult } from './workflow-types';

/** What the predictions activities need (built by the worker, see src/activities). */
export interface PredictionsActivityDeps {
  pool: DatabasePool;
  faceit: FaceitClient;
  logger: Logger;
}

const CANCELLED = new Set(['CANCELLED', 'CANCELED', 'ABORTED']);

export function createPredictionsActivities(deps: PredictionsActivityDeps) {
  const repo = createPredictionsRepository(deps.pool);
  const log = deps.logger.child({ component: 'predictions' });

  return {
    /**
     * One look at an analysed match: the database first (a sighting may have recorded it: no FACEIT call), then
     * GET /matches/{id} at low priority. FINISHED records the winner, CANCELLED records the cancellation; `final`
     * records "unknown" when FACEIT still has no result.
     */
    async predictionsCheckOutcome(input: { matchId: string; final: boolean }): Promise<CheckOutcomeResult> {
      const row = await repo.outcomeState(input.matchId);
      if (!row || row.status !== 'completed') return { done: true, state: 'not-analysed', calls: 0 };
      if (row.outcome && row.outcome !== 'unknown') return { done: true, state: 'recorded', calls: 0 };
      let match;
      try {
        match = await deps.faceit.getMatch(input.matchId, {
          priority: 'low',
          cache: false,
          signal: Context.current().cancellationSignal,
        });
      } catch (err) {
        if (err instanceof FaceitNotFoundError) {
          await repo.recordOutcome({ matchId: input.matchId, outcome: 'unknown', source: 'poll' });
          return { done: true, state: 'unknown', calls: 1 };
        }
        throw toActivityFailure(err);
      }
      const status = (match.status ?? '').toUpperCase();
      // FACEIT's start time decides, in the database, whether the stored prediction was made before it.
      if (match.started_at) await repo.recordStartedAt(input.matchId, match.started_at * 1000);
      const winner = match.results?.winner;
      if (status === 'FINISHED' && (winner === 'faction1' || winner === 'faction2')) {
        const s = match.results?.score ?? {};
        const score =
          s.faction1 !== undefined && s.faction2 !== undefined ? `${s.faction1} / ${s.faction2}` : null;
        await repo.recordOutcome({
          matchId: input.matchId,
          outcome: 'finished',
          winner,
          score,
          source: 'poll',
        });
        log.info({ matchId: input.matchId, winner }, 'match outcome recorded');
        return { done: true, state: 'finished', status, calls: 1 };
      }
      if (CANCELLED.has(status)) {
        await repo.recordOutcome({ matchId: input.matchId, outcome: 'cancelled', source: 'poll' });
        return { done: true, state: 'cancelled', status, calls: 1 };
      }
      if (input.final) {
        await repo.recordOutcome({ matchId: input.matchId, outcome: 'unknown', source: 'poll' });
        return { done: true, state: 'unknown', status, calls: 1 };
      }
      return { done: false, state: 'pending', status, calls: 1 };
    },
  };
}
export type PredictionsActivities = ReturnType<typeof createPredictionsActivities>;
