/**
 * The prediction /accuracy scores is an immutable pre-match snapshot, enforced by the database (match_predictions,
 * migration 1799000000001): the first analysis of a match is kept, a later one never overwrites it, and a
 * prediction made after the start (an ONGOING room, FACEIT's started_at learned later, or the match's own result in
 * the players' data) is never scored. Real PostgreSQL; the analysis is the production one on a recorded FACEIT room.
 */
import { randomUUID } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { analyzeLobby } from '../../src/analysis/model/analyze';
import { matchInfoFrom } from '../../src/analysis/model/ingest';
import type { MatchInfo } from '../../src/analysis/model/types';
import { createAnalysisRepository } from '../../src/analysis/repository';
import { matchSchema } from '../../src/faceit/schemas';
import { createPredictionsRepository, summarise } from '../../src/predictions';
import { renderAccuracy } from '../../src/predictions/render';
import { loadSample } from '../analysis/samples';
import { testPool, uniqueTelegramId } from '../harness';

const snapshotRow = z.object({
  made_before_start: z.boolean(),
  model: z.number().nullable(),
  elo: z.number().nullable(),
  match_started_at: z.date().nullable(),
});
const viewRow = z.object({ model: z.number().nullable() });

/** The recorded room as it looked with `status` (no start time unless given), under a fresh match id. */
function room(status: string, extra: Partial<MatchInfo> = {}): MatchInfo {
  const info = matchInfoFrom(matchSchema.parse(JSON.parse(JSON.stringify(loadSample('match.json')))));
  return { ...info, matchId: `1-${randomUUID()}`, status, startedAt: null, ...extra };
}

/** The same room with faction1's players shown two levels higher: a different prediction. */
function stronger(match: MatchInfo): MatchInfo {
  const roster = match.factions.faction1.roster.map((r) => ({
    ...r,
    skillLevel: Math.min(10, (r.skillLevel ?? 5) + 2),
  }));
  return { ...match, factions: { ...match.factions, faction1: { ...match.factions.faction1, roster } } };
}

describe('prediction snapshots (match_predictions)', () => {
  let pool: DatabasePool;
  let telegramId: number;
  beforeAll(async () => {
    pool = await testPool();
    telegramId = uniqueTelegramId();
    await pool.query(sql.unsafe`INSERT INTO users (telegram_id, language) VALUES (${telegramId}, 'en')`);
  });
  afterAll(() => pool?.end());

  const analyses = () => createAnalysisRepository(pool);
  const predictions = () => createPredictionsRepository(pool);

  async function analyse(match: MatchInfo, extra: { ownResultSeen?: boolean } = {}) {
    const analysis = analyzeLobby({ match, players: {} });
    await analyses().saveCompleted({
      matchId: match.matchId,
      workflowId: `test-${randomUUID()}`,
      startedAt: Date.now(),
      analysis,
      faceitCalls: 1,
      matchStartedAt: match.startedAt ?? null,
      ...extra,
    });
    return analysis;
  }

  async function askedAndFinished(matchId: string, winner: 'faction1' | 'faction2') {
    await pool.query(sql.unsafe`
      INSERT INTO analysis_requests (match_id, telegram_id, chat_id, progress_message_id, tier, usage_day, status)
      VALUES (${matchId}, ${telegramId}, ${telegramId}, ${Math.floor(Math.random() * 1e9)}, 'free', current_date,
        'delivered')`);
    expect(await predictions().recordOutcome({ matchId, outcome: 'finished', winner, source: 'poll' })).toBe(
      true,
    );
  }

  const snapshot = (matchId: string) =>
    pool.one(sql.type(snapshotRow)`
      SELECT made_before_start, faction1_model_win_probability::float8 AS model,
        faction1_elo_win_probability::float8 AS elo, match_started_at
      FROM match_predictions WHERE match_id = ${matchId}`);
  const view = (matchId: string) =>
    pool.one(sql.type(viewRow)`
      SELECT faction1_model_win_probability::float8 AS model FROM match_analyses WHERE match_id = ${matchId}`);
  const mine = async () => predictions().scored({ telegramId });

  it('keeps the first pre-match analysis: a later one updates the report, never the scored prediction', async () => {
    const voting = room('VOTING');
    const first = await analyse(voting);
    const p1 = Math.round((first.modelWinProbability?.faction1 ?? 0) * 10_000) / 10_000;
    expect(await snapshot(voting.matchId)).toMatchObject({ made_before_start: true, model: p1 });

    // Analysed again (READY now, stronger numbers): the view changes, the snapshot does not.
    const second = await analyse(stronger({ ...voting, status: 'READY' }));
    const p2 = Math.round((second.modelWinProbability?.faction1 ?? 0) * 10_000) / 10_000;
    expect(p2).not.toBe(p1);
    expect((await view(voting.matchId)).model).toBe(p2);
    expect(await snapshot(voting.matchId)).toMatchObject({ made_before_start: true, model: p1 });

    // FACEIT's start time, learned by the outcome check, is later than the snapshot: still scored, with p1.
    expect(await predictions().recordStartedAt(voting.matchId, Date.now() + 60_000)).toBe(true);
    await askedAndFinished(voting.matchId, 'faction1');
    const scored = await mine();
    expect(scored).toHaveLength(1);
    expect(scored[0]).toMatchObject({ model: p1, y: 1 });
  });

  it('is insert-once in the database itself: a direct rewrite is refused, a known start time cannot move', async () => {
    const ready = room('READY');
    await analyse(ready);
    await expect(
      pool.query(sql.unsafe`
        UPDATE match_predictions SET faction1_model_win_probability = 0.99 WHERE match_id = ${ready.matchId}`),
    ).rejects.toThrow(/insert-once/);
    await expect(
      pool.query(sql.unsafe`UPDATE match_predictions SET made_at = now() WHERE match_id = ${ready.matchId}`),
    ).rejects.toThrow(/insert-once/);
    expect(await predictions().recordStartedAt(ready.matchId, Date.now() + 60_000)).toBe(true);
    // The repository never moves it, and neither can a direct statement.
    expect(await predictions().recordStartedAt(ready.matchId, Date.now() - 3_600_000)).toBe(false);
    await expect(
      pool.query(sql.unsafe`
        UPDATE match_predictions SET match_started_at = now() - interval '1 hour' WHERE match_id = ${ready.matchId}`),
    ).rejects.toThrow(/insert-once/);
    // The flag is derived, never written.
    await expect(
      pool.query(
        sql.unsafe`UPDATE match_predictions SET made_before_start = true WHERE match_id = ${ready.matchId}`,
      ),
    ).rejects.toThrow(/made_before_start/);
  });

  it('never scores an analysis made after the start, nor one that saw the result, and says how many', async () => {
    const before = (await mine()).length;
    const notScoredBefore = await predictions().notScored();

    // The room was ONGOING: FACEIT's started_at is in the past.
    const ongoing = room('ONGOING', { startedAt: Date.now() - 10 * 60_000 });
    await analyse(ongoing);
    expect((await snapshot(ongoing.matchId)).made_before_start).toBe(false);

    // A stale (cached) room said READY, but FACEIT's start time learned later is before the analysis.
    const stale = room('READY');
    await analyse(stale);
    expect((await snapshot(stale.matchId)).made_before_start).toBe(true);
    await predictions().recordStartedAt(stale.matchId, Date.now() - 5 * 60_000);
    expect((await snapshot(stale.matchId)).made_before_start).toBe(false);

    // A player's fetched history already listed this very match.
    const leaked = room('VOTING');
    await analyse(leaked, { ownResultSeen: true });
    expect((await snapshot(leaked.matchId)).made_before_start).toBe(false);

    for (const m of [ongoing, stale, leaked]) await askedAndFinished(m.matchId, 'faction2');
    // None of them is scored, and a re-analysis (even one reading a room that looks unstarted) changes nothing.
    await analyse({ ...ongoing, status: 'READY', startedAt: null });
    expect((await snapshot(ongoing.matchId)).made_before_start).toBe(false);
    expect(await mine()).toHaveLength(before);
    const notScored = await predictions().notScored();
    expect(notScored - notScoredBefore).toBeGreaterThanOrEqual(3);

    // What the user reads.
    const en = renderAccuracy('en', summarise(await mine()), null, 3);
    expect(en).toContain(
      '3 finished matches are not scored: their first analysis came after the match had started (or already saw its result). Only the first prediction made before the start counts.',
    );
    const ru = renderAccuracy('ru', summarise(await mine()), null, 3);
    expect(ru).toContain('Не оценено завершённых матчей: 3');
  });
});
