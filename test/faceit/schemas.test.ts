import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createFaceitClient } from '../../src/faceit/client';
import { FaceitBadResponseError } from '../../src/faceit/errors';
import { mapKey } from '../../src/faceit/maps';
import { parseBody } from '../../src/faceit/schemas';
import { clientConfig, connectRedis, silentLogger, uniquePrefix } from './helpers';
import { FACEIT_SAMPLES_DIR } from '../harness/shared';

const SAMPLES = FACEIT_SAMPLES_DIR;
const sample = (file: string): string => readFileSync(path.join(SAMPLES, file), 'utf8');

/** Serves each recorded sample for its request path, with the recorded rate-limit headers. */
function sampleFetch(): typeof fetch {
  const routes: Array<[RegExp, string]> = [
    [/\/search\/players\?/, 'search_players.json'],
    [/\/players\?nickname=/, 'players_by_nickname.json'],
    [/\/players\/[^/?]+\/stats\/cs2$/, 'player_stats_cs2.json'],
    [/\/players\/[^/?]+\/history\?/, 'player_history.json'],
    [/\/players\/[^/?]+\/games\/cs2\/stats\?/, 'player_games_cs2_stats.json'],
    [/\/players\/[^/?]+$/, 'player.json'],
    [/\/matches\/[^/]+\/stats$/, 'match_stats.json'],
    [/\/matches\/[^/]+$/, 'match.json'],
  ];
  const headers = (JSON.parse(sample('response_headers.json')) as { headers: Record<string, string> })
    .headers;
  return (async (input: string | URL | Request) => {
    const url = String(input);
    const file = routes.find(([re]) => re.test(url))?.[1];
    if (!file) return new Response('{"errors":[]}', { status: 404 });
    return new Response(sample(file), { status: 200, headers });
  }) as typeof fetch;
}

describe('FACEIT schemas against the recorded samples', () => {
  let redis: Redis;
  beforeAll(() => (redis = connectRedis()));
  afterAll(() => redis.disconnect());

  it('covers every JSON sample in the folder', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json') && f !== 'response_headers.json');
    expect(files.sort()).toEqual(
      [
        'match.json',
        'match_stats.json',
        'player.json',
        'player_games_cs2_stats.json',
        'player_history.json',
        'player_stats_cs2.json',
        'players_by_nickname.json',
        'search_players.json',
      ].sort(),
    );
  });

  it('parses every sample through the client, with the right values', async () => {
    const client = createFaceitClient({
      config: clientConfig('https://open.faceit.com/data/v4'),
      redis,
      logger: silentLogger(),
      fetch: sampleFetch(),
      keyPrefix: uniquePrefix('samples'),
      metricsRegistry: null,
    });
    try {
      const byNick = await client.getPlayerByNickname('Darwin');
      expect(byNick.games.cs2).toMatchObject({
        faceit_elo: 2014,
        skill_level: 10,
        game_player_id: '76561198002596349',
      });
      const player = await client.getPlayer('ffe3566c-9574-4f1b-8012-bf4d42aeb898');
      expect(player.nickname).toBe('Darwin');
      expect(player.steam_id_64).toBe('76561198002596349');

      const stats = await client.getPlayerStats(player.player_id);
      // Lifetime sums must not pass for ratios.
      expect(stats.lifetime.kdRatio).toBe(0.95);
      expect(stats.lifetime.kdRatioSum).toBe(2309.97);
      expect(stats.lifetime.headshotsPercent).toBe(33);
      expect(stats.lifetime.headshotsPercentSum).toBe(78997);
      expect(stats.lifetime).toMatchObject({ matches: 2423, wins: 1204, winRatePercent: 50, adr: 75.72 });
      expect(stats.lifetime).toMatchObject({
        entryRate: 0.15,
        sniperKillRate: 0,
        utilityDamagePerRound: 2.89,
      });
      expect(stats.lifetime.recentResults).toEqual([1, 1, 1, 1, 0]);
      expect(stats.segments).toHaveLength(10);
      const inferno = stats.segments.find((s) => s.label === 'Inferno');
      expect(inferno?.stats).toMatchObject({
        matches: 188,
        kdRatio: 1.02,
        kdRatioSum: 192.4,
        krRatio: 0.68,
        adr: 73.97,
      });
      expect(inferno?.type).toBe('Map');

      const history = await client.getPlayerHistory(player.player_id, { limit: 20 });
      expect(history.items).toHaveLength(20);
      expect(history.items[0]).toMatchObject({ status: 'finished', results: { winner: 'faction2' } });
      expect(history.items[0].teams?.faction1.players).toHaveLength(5);
      expect(history.items[0].teams?.faction1.players[0].skill_level).toBe(8);

      const games = await client.getPlayerMatchStats(player.player_id, { limit: 20 });
      expect(games.items).toHaveLength(20);
      expect(games.items[0]).toMatchObject({
        matchId: '1-6e9986d0-fca9-4840-986a-cd2cc127b227',
        map: 'de_inferno',
        score: '11 / 13',
        kills: 19,
        deaths: 15,
        kdRatio: 1.27,
        adr: 75,
        headshotsPercent: 47,
        win: false,
        finishedAt: 1773703361000,
      });

      const match = await client.getMatch('1-bb13fd78-e183-4d37-8a4b-ceed67da5265');
      expect(match.status).toBe('FINISHED');
      expect(match.voting?.map?.pick).toEqual(['de_inferno']);
      expect(match.teams?.faction1.roster).toHaveLength(5);
      expect(match.teams?.faction2.roster[0].game_skill_level).toBe(10);
      expect(match.results?.score).toEqual({ faction1: 13, faction2: 10 });

      const matchStats = await client.getMatchStats(match.match_id);
      const round = matchStats.rounds[0];
      expect(round.round_stats).toMatchObject({ map: 'de_inferno', score: '13 / 10', rounds: 23 });
      expect(round.teams[0].teamStats).toMatchObject({ name: 'speciaLz', win: 1, finalScore: 13 });
      expect(round.teams[0].players[0].stats).toMatchObject({
        kills: 19,
        deaths: 13,
        adr: 99,
        kdRatio: 1.46,
        win: true,
      });

      const search = await client.searchPlayers({ nickname: 'ZywOo' });
      expect(search.items[0]).toMatchObject({
        nickname: 'ZywOo',
        games: [{ name: 'cs2', skill_level: 10 }, expect.anything()],
      });
    } finally {
      await client.close();
    }
  });

  it('is lenient where FACEIT is loose', () => {
    const player = parseBody('player', {
      player_id: 'p1',
      nickname: 'x',
      games: { cs2: { faceit_elo: '1500', skill_level: 'n/a' }, weird: 42 },
      surprise: { kept: true },
    });
    expect(player.games.cs2).toMatchObject({ faceit_elo: 1500, skill_level: undefined });
    expect(player.games.weird).toBeUndefined();
    expect(player.surprise).toEqual({ kept: true });
    const games = parseBody('playerMatchStats', { items: [{ stats: { 'Match Id': 'm1', Kills: '' } }] });
    expect(games.items[0].matchId).toBe('m1');
    expect(games.items[0].kills).toBeUndefined();
    expect(games.items[0].win).toBeUndefined();
    expect(parseBody('playerHistory', { items: null }).items).toEqual([]);
  });

  it('names the endpoint and the first problem of a body that does not fit', () => {
    expect(() => parseBody('playerMatchStats', { items: [{ stats: {} }] })).toThrow(
      new FaceitBadResponseError('playerMatchStats', 'items.0.stats.Match Id: Required', false),
    );
    expect(() => parseBody('match', { status: 'READY' })).toThrow(/match: .*match_id: Required/);
  });

  it('joins map names across endpoints', () => {
    expect(mapKey('de_dust2')).toBe(mapKey('Dust2'));
    expect(mapKey('de_inferno')).toBe('inferno');
  });
});
