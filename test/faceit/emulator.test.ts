import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaceitEmulator, startFaceitEmulator } from '../../emulators/faceit';
import { parseBody } from '../../src/faceit/schemas';

const ANCHOR = Date.UTC(2026, 2, 20);

describe('FACEIT emulator', () => {
  let emulator: FaceitEmulator;
  const get = (path: string, key: string | null = emulator.apiKey) =>
    fetch(`${emulator.baseUrl}${path}`, { headers: key === null ? {} : { Authorization: `Bearer ${key}` } });
  const json = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    emulator = await startFaceitEmulator({ seed: 'emulator-test', latencyMs: 0, anchorTime: ANCHOR });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    emulator.control.clearFaults();
    emulator.control.resetCounters({ rateWindows: true });
  });

  it('requires the bearer key (401 without or with a wrong one)', async () => {
    const id = emulator.control.findPlayers({ limit: 1 })[0].playerId;
    expect((await get(`/players/${id}`, null)).status).toBe(401);
    const wrong = await get(`/players/${id}`, 'wrong-key');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    expect((await get(`/players/${id}`)).status).toBe(200);
  });

  it("answers 404 in FACEIT's error shape, and 400 for bad parameters", async () => {
    const res = await get('/players/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      errors: [{ message: expect.any(String), code: 'err_nf0', http_status: 404, parameters: [] }],
    });
    expect((await get('/matches/1-00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const id = emulator.control.findPlayers({ limit: 1 })[0].playerId;
    expect((await get(`/players/${id}/history?game=cs2&limit=500`)).status).toBe(400);
    expect((await get(`/players/${id}/history`)).status).toBe(400);
    expect((await get('/players')).status).toBe(400);
    expect((await get('/search/players')).status).toBe(400);
  });

  it("sends FACEIT's rate-limit headers and 429s past 10 requests per 1-second window", async () => {
    const id = emulator.control.findPlayers({ limit: 1 })[0].playerId;
    // Start right after a window boundary so all 15 land in one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const answers = await Promise.all(Array.from({ length: 15 }, () => get(`/players/${id}`)));
    const ok = answers.filter((r) => r.status === 200);
    const limited = answers.filter((r) => r.status === 429);
    expect(ok).toHaveLength(10);
    expect(limited).toHaveLength(5);
    expect(ok[0].headers.get('ratelimit-limit')).toBe('10, 10;w=1');
    expect(ok.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(ok[0].headers.get('ratelimit-reset')).toBe('0');
    expect(limited[0].headers.get('retry-after')).toBe('1');
    expect(emulator.control.counts().rateLimited).toBe(5);
  });

  it('is deterministic: same seed, same data; another seed, other data', async () => {
    const twin = await startFaceitEmulator({ seed: 'emulator-test', latencyMs: 0, anchorTime: ANCHOR });
    const other = await startFaceitEmulator({ seed: 'another', latencyMs: 0, anchorTime: ANCHOR });
    try {
      const player = emulator.control.findPlayers({ minMatches: 30, limit: 1 })[0];
      // A history page without `to` echoes the current second as its `to`, the way FACEIT does; two
      // calls can straddle a second, so that one field is left out of the comparison.
      const body = async (e: FaceitEmulator, path: string) =>
        (await fetch(`${e.baseUrl}${path}`, { headers: { Authorization: `Bearer ${e.apiKey}` } }))
          .text()
          .then((text) => text.replace(/"to":\d+/, '"to":"now"'));
      for (const path of [
        `/players/${player.playerId}`,
        `/players/${player.playerId}/stats/cs2`,
        `/players/${player.playerId}/history?game=cs2&limit=5`,
        `/players/${player.playerId}/games/cs2/stats?limit=30`,
      ]) {
        expect(await body(twin, path)).toBe(await body(emulator, path));
      }
      const games = JSON.parse(
        await body(emulator, `/players/${player.playerId}/games/cs2/stats?limit=1`),
      ) as {
        items: Array<{ stats: Record<string, string> }>;
      };
      const matchId = games.items[0].stats['Match Id'];
      expect(await body(twin, `/matches/${matchId}/stats`)).toBe(
        await body(emulator, `/matches/${matchId}/stats`),
      );
      expect(other.control.findPlayers({ limit: 3 })).not.toEqual(emulator.control.findPlayers({ limit: 3 }));
    } finally {
      await Promise.all([twin.stop(), other.stop()]);
    }
  });

  it('serves one consistent world through every endpoint', async () => {
    const summary = emulator.control.findPlayers({ minMatches: 40, limit: 1 })[0];
    const byNick = parseBody(
      'playerByNickname',
      await json(`/players?nickname=${encodeURIComponent(summary.nickname)}`),
    );
    const bySteam = parseBody(
      'playerBySteamId',
      await json(`/players?game=cs2&game_player_id=${summary.steamId64}`),
    );
    expect(byNick.player_id).toBe(summary.playerId);
    expect(bySteam.player_id).toBe(summary.playerId);
    expect(byNick.games.cs2).toMatchObject({ faceit_elo: summary.elo, skill_level: summary.level });

    const stats = parseBody('playerStats', await json(`/players/${summary.playerId}/stats/cs2`));
    expect(stats.lifetime.matches).toBe(summary.matches);
    const segmentMatches = stats.segments.reduce((n, s) => n + (s.stats.matches ?? 0), 0);
    expect(segmentMatches).toBe(summary.matches);
    expect(stats.lifetime.kdRatio).toBeCloseTo((stats.lifetime.kdRatioSum ?? 0) / summary.matches, 2);

    const games = parseBody(
      'playerMatchStats',
      await json(`/players/${summary.playerId}/games/cs2/stats?limit=20`),
    );
    const history = parseBody(
      'playerHistory',
      await json(`/players/${summary.playerId}/history?game=cs2&limit=20`),
    );
    expect(games.items.map((g) => g.matchId)).toEqual(history.items.map((h) => h.match_id));
    const newest = games.items
      .map((g) => g.win)
      .slice(0, 5)
      .reverse();
    expect(stats.lifetime.recentResults).toEqual(newest.map((w) => (w ? 1 : 0)));

    const first = games.items[0];
    const match = parseBody('match', await json(`/matches/${first.matchId}`));
    expect(match.status).toBe('FINISHED');
    expect(match.voting?.map?.pick).toEqual([first.map]);
    const matchStats = parseBody('matchStats', await json(`/matches/${first.matchId}/stats`));
    const line = matchStats.rounds[0].teams
      .flatMap((t) => t.players)
      .find((p) => p.player_id === summary.playerId);
    expect(line?.stats).toMatchObject({
      kills: first.kills,
      deaths: first.deaths,
      adr: first.adr,
      win: first.win,
    });
    expect(matchStats.rounds[0].teams.map((t) => t.players.length)).toEqual([5, 5]);

    const search = parseBody(
      'searchPlayers',
      await json(`/search/players?nickname=${encodeURIComponent(summary.nickname)}&limit=5`),
    );
    expect(search.items[0].player_id).toBe(summary.playerId);
  });

  it('generates varied players: levels, AWPers, new accounts, smurfs, players without CS2', async () => {
    const all = emulator.control.findPlayers({ limit: 5000 });
    const levels = new Set(all.map((p) => p.level));
    expect(levels.size).toBe(10);
    expect(all.filter((p) => p.newAccount && p.matches < 30).length).toBeGreaterThan(100);
    expect(all.filter((p) => p.smurf).length).toBeGreaterThan(20);
    const noCs2 = all.find((p) => !p.hasCs2);
    expect(noCs2).toBeDefined();
    expect((await get(`/players/${noCs2?.playerId}/stats/cs2`)).status).toBe(404);
    const awper = emulator.control.findPlayers({ role: 'awper', minMatches: 50, limit: 1 })[0];
    const rifler = emulator.control.findPlayers({ role: 'rifler', minMatches: 50, limit: 1 })[0];
    const rate = async (id: string) =>
      parseBody('playerStats', await json(`/players/${id}/stats/cs2`)).lifetime.sniperKillRate ?? 0;
    expect(await rate(awper.playerId)).toBeGreaterThan(0.25);
    expect(await rate(rifler.playerId)).toBeLessThan(0.06);
    for (const p of all.slice(0, 200)) {
      const floor = [0, 501, 751, 901, 1051, 1201, 1351, 1531, 1751, 2001][p.level - 1];
      expect(p.elo).toBeGreaterThanOrEqual(floor);
    }
  });

  it('creates lobbies and finishes matches through the control API, with webhooks', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
    const hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      // Over HTTP, as another process would.
      const control = (path: string, body: unknown) =>
        fetch(`${emulator.origin}/__control${path}`, {
          method: path === '/webhook' ? 'PUT' : 'POST',
          body: JSON.stringify(body),
        });
      expect((await control('/webhook', { url, secret: 's3cret' })).status).toBe(200);
      const me = emulator.control.findPlayers({ minMatches: 30, limit: 1 })[0];
      const lobby = (await (
        await control('/lobbies', { players: [me.nickname], withMissingPlayer: true })
      ).json()) as {
        matchId: string;
        teams: Record<'faction1' | 'faction2', { players: Array<{ playerId: string; exists: boolean }> }>;
      };
      expect(lobby.teams.faction1.players[0].playerId).toBe(me.playerId);
      const match = parseBody('match', await json(`/matches/${lobby.matchId}`));
      expect(match.status).toBe('READY');
      expect(match.teams?.faction1.roster).toHaveLength(5);
      expect(match.teams?.faction2.roster).toHaveLength(5);
      expect(match.voting?.map?.pick).toHaveLength(1);
      const ghost = lobby.teams.faction2.players.find((p) => !p.exists);
      expect((await get(`/players/${ghost?.playerId}`)).status).toBe(404);
      expect((await get(`/matches/${lobby.matchId}/stats`)).status).toBe(404);

      const finished = (await (
        await control(`/matches/${lobby.matchId}/finish`, { score: [13, 8] })
      ).json()) as { winner: string };
      expect(finished.winner).toBe('faction1');
      const history = parseBody(
        'playerHistory',
        await json(`/players/${me.playerId}/history?game=cs2&limit=1`),
      );
      expect(history.items[0].match_id).toBe(lobby.matchId);
      const games = parseBody(
        'playerMatchStats',
        await json(`/players/${me.playerId}/games/cs2/stats?limit=1`),
      );
      expect(games.items[0]).toMatchObject({ matchId: lobby.matchId, win: true, score: '13 / 8' });
      const stats = parseBody('playerStats', await json(`/players/${me.playerId}/stats/cs2`));
      expect(stats.lifetime.matches).toBe(me.matches + 1);
      expect(emulator.control.player(me.playerId)?.elo).toBeGreaterThan(me.elo);
      expect(parseBody('match', await json(`/matches/${lobby.matchId}`)).status).toBe('FINISHED');
      expect((await get(`/matches/${lobby.matchId}/stats`)).status).toBe(200);

      expect(received.map((r) => r.body.event)).toEqual(['match_status_ready', 'match_status_finished']);
      const finishedHook = received[1];
      expect(finishedHook.headers['x-faceit-webhook-secret']).toBe('s3cret');
      expect(finishedHook.body).toMatchObject({
        event: 'match_status_finished',
        retry_count: 0,
        version: 1,
        payload: { id: lobby.matchId, game: 'cs2', teams: expect.any(Array) },
      });
      const teams = (finishedHook.body.payload as { teams: Array<{ roster: Array<{ id: string }> }> }).teams;
      expect(teams[0].roster.map((p) => p.id)).toContain(me.playerId);

      const cancelled = await emulator.control.createLobby({ status: 'CANCELLED' });
      expect(parseBody('match', await json(`/matches/${cancelled.matchId}`)).status).toBe('CANCELLED');
      const ongoing = await emulator.control.createLobby({ status: 'ONGOING', withNoCs2Player: true });
      const noCs2 = ongoing.teams.faction2.players.find((p) => p.exists && !p.hasCs2);
      expect(noCs2).toBeDefined();
      expect((await get(`/players/${noCs2?.playerId}/stats/cs2`)).status).toBe(404);
    } finally {
      emulator.control.setWebhook(null);
      await new Promise((r) => hook.close(r));
    }
  });

  it('injects faults: 5xx share, storms, malformed bodies, missing keys, hangs', async () => {
    const id = emulator.control.findPlayers({ minMatches: 30, limit: 1 })[0].playerId;
    emulator.control.setFaults({ serverErrorRate: 1 });
    expect([500, 503]).toContain((await get(`/players/${id}`)).status);
    emulator.control.setFaults({ rateLimitStorm: { durationMs: 10_000, retryAfterS: 7 } });
    const storm = await get(`/players/${id}`);
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('7');
    emulator.control.setFaults({ malformedRate: 1 });
    const broken = await (await get(`/players/${id}`)).text();
    expect(() => parseBody('player', JSON.parse(broken))).toThrow();
    emulator.control.setFaults({ missingKeys: 0.9 });
    const sparse = (await json(`/players/${id}/games/cs2/stats?limit=5`)) as {
      items: Array<{ stats: Record<string, unknown> }>;
    };
    expect(Object.keys(sparse.items[0].stats).length).toBeLessThan(15);
    expect(sparse.items[0].stats['Match Id']).toBeDefined();
    emulator.control.setFaults({ hangRate: 1 });
    await expect(
      fetch(`${emulator.baseUrl}/players/${id}`, {
        headers: { Authorization: `Bearer ${emulator.apiKey}` },
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    expect(emulator.control.counts().byStatus).toMatchObject({ '429': 1 });
    expect(emulator.control.requestLog({ limit: 1 })[0].fault).toBe('hang');
  });
});
