/**
 * Builds a backtest dataset of finished FACEIT matches with leak-free pre-match windows (JSON lines, one match each):
 *
 *   npm run quality:collect -- --key <FACEIT server key> --seed <nickname> --matches 300 [--window 20] [--out FILE]
 *
 * From the seed player it walks match histories (breadth first: the players met are explored next), and for every
 * FINISHED 5v5 match records the winner, the picked map, the rosters with their skill levels, and each player's
 * /games/cs2/stats items that finished BEFORE the match started (at most --window of them). Nothing later leaks in:
 * no current ELO, no lifetime figures. Each player's stats list is fetched once (up to 100 items, FACEIT's maximum),
 * so a match older than a player's last 100 gets a thinner window for him.
 * FACEIT_API_BASE_URL points it at the emulator (`npm run dev` without a key, or emulators/faceit/main.ts) to build a
 * dataset offline; its figures then test the harness, not the model (BENCHMARKS.md). Rate: FACEIT_RATE_LIMIT_PER_SECOND.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { recentMatchesFrom, type RecentMatchStats } from '../src/analysis';
import { loadConfig } from '../src/config';
import { createFaceitClient, FaceitNotFoundError, type FaceitClient } from '../src/faceit';
import type { DatasetPlayer, DatasetRecord } from '../src/predictions';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      key: { type: 'string' },
      seed: { type: 'string' },
      matches: { type: 'string', default: '200' },
      window: { type: 'string', default: '20' },
      out: { type: 'string', default: 'quality-dataset.jsonl' },
      'emulator-lobbies': { type: 'string', default: '0' },
    },
  });
  const key = values.key ?? process.env.FACEIT_API_KEY;
  if (!key || !values.seed) {
    console.error(
      'usage: npm run quality:collect -- --key <FACEIT key> --seed <nickname> --matches N [--window 20] [--out FILE]',
    );
    process.exit(2);
  }
  const want = Number(values.matches);
  const windowSize = Number(values.window);
  const config = loadConfig({ ...process.env, FACEIT_API_KEY: key });
  const faceit = createFaceitClient({
    config,
    redis: null,
    logger: pino({ level: 'warn' }),
    metricsRegistry: null,
  });
  const lobbies = Number(values['emulator-lobbies']);
  if (lobbies > 0) await playEmulatorLobbies(config.FACEIT_API_BASE_URL, values.seed, lobbies);
  try {
    const records = await collect(faceit, values.seed, want, windowSize);
    writeFileSync(values.out, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const calls = faceit.stats().totals;
    console.log(`${records.length} matches → ${values.out} (${JSON.stringify(calls)})`);
  } finally {
    await faceit.close();
  }
}

/**
 * Emulator only (`--emulator-lobbies K`): plays K lobbies around the seed player through the emulator's control API
 * and lets the emulator decide them from its hidden strength (not the ELO formula), so the walk that follows
 * finds matches whose outcome the statistics can partly explain. Never use it against FACEIT.
 */
async function playEmulatorLobbies(baseUrl: string, seed: string, count: number): Promise<void> {
  const control = baseUrl.replace(/\/data\/v4\/?$/, '/__control');
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${control}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { matchId: string };
  };
  for (let i = 0; i < count; i++) {
    const lobby = await post('/lobbies', { players: [seed] });
    await post(`/matches/${lobby.matchId}/finish`, {});
  }
  console.log(`played ${count} emulator lobbies around ${seed}`);
}

/** Walks histories from `seed` until `want` finished matches are recorded (see the file comment). */
export async function collect(
  faceit: FaceitClient,
  seed: string,
  want: number,
  windowSize: number,
): Promise<DatasetRecord[]> {
  const o = { priority: 'low' as const };
  const start = await faceit.getPlayerByNickname(seed, o);
  const queue = [start.player_id];
  const queued = new Set(queue);
  const seenMatches = new Set<string>();
  const stats = new Map<string, RecentMatchStats[]>();
  const out: DatasetRecord[] = [];

  const windowOf = async (playerId: string, before: number): Promise<RecentMatchStats[]> => {
    let items = stats.get(playerId);
    if (!items) {
      try {
        items = recentMatchesFrom(await faceit.getPlayerMatchStats(playerId, { offset: 0, limit: 100 }, o));
      } catch (err) {
        if (!(err instanceof FaceitNotFoundError)) throw err;
        items = [];
      }
      stats.set(playerId, items);
    }
    // Leak-free: only what had finished before the match started.
    return items.filter((m) => m.finishedAt !== null && m.finishedAt < before).slice(0, windowSize);
  };

  while (queue.length > 0 && out.length < want) {
    const playerId = queue.shift() as string;
    const history = await faceit.getPlayerHistory(playerId, { offset: 0, limit: 100 }, o);
    for (const item of history.items) {
      if (out.length >= want) break;
      if (seenMatches.has(item.match_id)) continue;
      seenMatches.add(item.match_id);
      const match = await faceit.getMatch(item.match_id, o);
      const winner = match.results?.winner;
      const f1 = match.teams?.faction1?.roster ?? [];
      const f2 = match.teams?.faction2?.roster ?? [];
      if (
        (match.status ?? '').toUpperCase() !== 'FINISHED' ||
        (winner !== 'faction1' && winner !== 'faction2')
      )
        continue;
      if (f1.length !== 5 || f2.length !== 5) continue;
      const startedAt = (match.started_at ?? match.finished_at ?? 0) * 1000;
      if (!startedAt) continue;
      const side = async (roster: typeof f1): Promise<DatasetPlayer[]> => {
        const players: DatasetPlayer[] = [];
        for (const r of roster) {
          players.push({
            playerId: r.player_id,
            nickname: r.nickname ?? r.player_id,
            level: r.game_skill_level ?? null,
            recent: await windowOf(r.player_id, startedAt),
          });
          if (!queued.has(r.player_id)) {
            queued.add(r.player_id);
            queue.push(r.player_id);
          }
        }
        return players;
      };
      out.push({
        matchId: match.match_id,
        startedAt,
        finishedAt: (match.finished_at ?? 0) * 1000 || startedAt,
        map: match.voting?.map?.pick?.[0] ?? null,
        winner,
        factions: {
          faction1: { name: match.teams?.faction1?.name ?? 'faction1', players: await side(f1) },
          faction2: { name: match.teams?.faction2?.name ?? 'faction2', players: await side(f2) },
        },
      });
      if (out.length % 25 === 0) console.log(`${out.length}/${want} matches`);
    }
  }
  return out;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
