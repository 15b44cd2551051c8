import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DatabasePool } from '../../src/db/pool';
import {
  createEloSnapshotsRepository,
  type EloSnapshotsRepository,
} from '../../src/db/repositories/elo-snapshots';
import { testPool } from '../harness';

/**
 * Issue 14, point 8: an ELO snapshot written by an activity must not double when Temporal retries the activity (its
 * first attempt committed, then the answer was lost or the worker died). A doubled point shows as a flat step in
 * /elo's chart and skews the ELO change of a match.
 */
describe('ELO snapshots written by a retried activity', () => {
  let pool: DatabasePool;
  let repo: EloSnapshotsRepository;
  beforeAll(async () => {
    pool = await testPool();
    repo = createEloSnapshotsRepository(pool);
  });
  afterAll(async () => {
    await pool.end();
  });

  /** One attempt of the same activity (same workflow run, same activity id) as Temporal's retry runs it. */
  function attempt(workflowId: string, attemptNo: number) {
    return new MockActivityEnvironment({
      activityId: '7',
      attempt: attemptNo,
      workflowExecution: { workflowId, runId: `run-${workflowId}` },
    });
  }
  const elos = async (playerId: string) => (await repo.history(playerId)).map((s) => s.elo);

  it('the retry of a committed write adds no row, even when another snapshot landed in between', async () => {
    const playerId = `player-${randomUUID()}`;
    const workflowId = `profile-${randomUUID()}`;
    const write = () => repo.record([{ playerId, elo: 2000, level: 10, source: 'profile' }]);

    expect(await attempt(workflowId, 1).run(write)).toBe(1);
    // Monitoring sees the player at another ELO before the retry runs (the "latest equals" rule alone let it in).
    expect(await repo.record([{ playerId, elo: 2010, level: 10, source: 'monitoring' }])).toBe(1);
    expect(await attempt(workflowId, 2).run(write)).toBe(0);
    expect(await elos(playerId)).toEqual([2010, 2000]);
  });

  it('two attempts running at once (a timed-out attempt still going) write one row', async () => {
    const playerId = `player-${randomUUID()}`;
    const workflowId = `analysis-${randomUUID()}`;
    const write = () => repo.record([{ playerId, elo: 1850, level: 9, source: 'analysis' }]);
    const counts = await Promise.all([attempt(workflowId, 1).run(write), attempt(workflowId, 2).run(write)]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(await elos(playerId)).toEqual([1850]);
  });

  it('another activity seeing the same player is a new observation; one call naming a player twice writes once', async () => {
    const playerId = `player-${randomUUID()}`;
    expect(
      await attempt(`compare-${randomUUID()}`, 1).run(() =>
        repo.record([
          { playerId, elo: 1500, source: 'profile' },
          { playerId, elo: 1500, source: 'profile' }, // /compare of a player with themselves
        ]),
      ),
    ).toBe(1);
    expect(
      await attempt(`monitoring-${randomUUID()}`, 1).run(() =>
        repo.record([{ playerId, elo: 1525, source: 'monitoring', matchId: '1-m' }]),
      ),
    ).toBe(1);
    expect(await elos(playerId)).toEqual([1525, 1500]);
  });
});
