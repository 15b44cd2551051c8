import type { PlayerMatchStats } from '../../src/faceit';
import { eloChange, type FinishedMatch, matchesAfter, toFinishedMatch } from '../../src/monitoring/matches';
import { parsePlayerQuery } from '../../src/monitoring/query';
import { escapeHtml, mapName, renderNotification } from '../../src/monitoring/render';
import {
  cadenceIntervals,
  capacity,
  dueShare,
  failureBackoffMs,
  nextCheckAt,
  planCycle,
} from '../../src/monitoring/settings';

const H = 3_600_000;
const line = { playerId: 'p', nickname: 'n', multiKills: { k2: 0, k3: 0, k4: 0, k5: 0 } };
const m = (matchId: string, finishedAt: number): FinishedMatch => ({ matchId, finishedAt, line });

describe('new matches after a cursor', () => {
  const list = [m('d', 400), m('c', 300), m('b', 200), m('a', 100)]; // newest first, as FACEIT sends them

  it('returns what came after the cursor match, oldest first', () => {
    expect(matchesAfter(list, { matchId: 'b', finishedAt: 200 })).toEqual({
      matches: [list[1], list[0]],
      cursorFound: true,
    });
    expect(matchesAfter(list, { matchId: 'd', finishedAt: 400 }).matches).toEqual([]);
  });
  it('uses the time when the cursor match fell off the page', () => {
    expect(matchesAfter(list, { matchId: 'zz', finishedAt: 250 }).matches.map((x) => x.matchId)).toEqual([
      'c',
      'd',
    ]);
  });
  it('a legacy cursor (id only) that is not on the page is reported, so the caller moves on without a flood', () => {
    expect(matchesAfter(list, { matchId: 'old', finishedAt: null })).toEqual({
      matches: list.slice().reverse(),
      cursorFound: false,
    });
    expect(matchesAfter(list, { matchId: 'c', finishedAt: null }).matches.map((x) => x.matchId)).toEqual([
      'd',
    ]);
  });
  it('an empty cursor after a first sight without matches: everything is new', () => {
    expect(matchesAfter(list, { matchId: null, finishedAt: null }).matches).toHaveLength(4);
  });
  it('two matches finished in the same millisecond are both new', () => {
    const same = [m('y', 500), m('x', 500), m('w', 100)];
    expect(matchesAfter(same, { matchId: 'w', finishedAt: 100 }).matches.map((x) => x.matchId)).toEqual([
      'x',
      'y',
    ]);
  });
});

describe('ELO change from snapshots', () => {
  const list = [m('c', 300), m('b', 200), m('a', 100)];
  it('now minus the last snapshot between the previous match and this one', () => {
    expect(eloChange(list, 0, [{ elo: 1000, at: 250 }], { elo: 1025, at: 350 })).toEqual({
      elo: 1025,
      eloDelta: 25,
    });
  });
  it('unknown when the only earlier snapshot predates another match (the change would mix two matches)', () => {
    expect(eloChange(list, 0, [{ elo: 1000, at: 150 }], { elo: 1050, at: 350 })).toEqual({
      elo: 1050,
      eloDelta: undefined,
    });
  });
  it('an older match uses the first snapshot after it', () => {
    const snaps = [
      { elo: 1000, at: 150 },
      { elo: 1020, at: 220 },
    ];
    expect(eloChange(list, 1, snaps, { elo: 1040, at: 350 })).toEqual({ elo: 1020, eloDelta: 20 });
    expect(eloChange(list, 1, [{ elo: 1000, at: 150 }])).toEqual({});
  });
});

describe('a /games/cs2/stats item', () => {
  const item = {
    matchId: '1-x',
    finishedAt: 1_000,
    map: 'de_anubis',
    score: '9 / 13',
    finalScore: 13,
    win: true,
    kills: 20,
    deaths: 10,
    assists: 4,
    kdRatio: 2,
    adr: 91.26,
    headshotsPercent: 55,
    doubleKills: 3,
    tripleKills: 1,
    raw: {},
  } as unknown as PlayerMatchStats;
  it("gives the score from the player's side and the line", () => {
    const f = toFinishedMatch(item, 'p', 'nick')!;
    expect(f).toMatchObject({ matchId: '1-x', ownScore: 13, oppScore: 9, map: 'de_anubis' });
    expect(f.line).toMatchObject({
      nickname: 'nick',
      win: true,
      kills: 20,
      multiKills: { k2: 3, k3: 1, k4: 0, k5: 0 },
    });
  });
});

describe('notification text', () => {
  it('is escaped HTML with result, map, score, K-D-A, ADR, HS%, multi-kills, ELO and the room link', () => {
    const text = renderNotification('en', {
      matchId: '1-abc',
      map: 'de_dust2',
      ownScore: 13,
      oppScore: 11,
      lines: [
        {
          ...line,
          nickname: '<b>&evil',
          win: true,
          kills: 21,
          deaths: 15,
          assists: 3,
          kd: 1.4,
          adr: 88.04,
          hsPercent: 48,
          multiKills: { k2: 2, k3: 0, k4: 1, k5: 0 },
          elo: 2011,
          eloDelta: -3,
        },
      ],
    });
    expect(text).toBe(
      [
        '🟢 <b>Victory</b> · Dust2 · <b>13:11</b>',
        '👤 <b>&lt;b&gt;&amp;evil</b> — 21-15-3 (K/D 1.40) · ADR 88.0 · HS 48%',
        '🔥 4K×1 · 2K×2',
        '📉 ELO 2011 (<b>−3</b>)',
        '🔗 <a href="https://www.faceit.com/en/cs2/room/1-abc">Match room</a>',
      ].join('\n'),
    );
  });
  it('speaks Russian and shows unknown values as dashes', () => {
    const text = renderNotification('ru', { matchId: '1-q', lines: [{ ...line, win: false }] });
    expect(text).toContain('🔴 <b>Поражение</b> · ? · <b>—</b>');
    expect(text).toContain('—-—-— (K/D —)');
    expect(text).toContain('Комната матча');
  });
  it('helpers', () => {
    expect(escapeHtml('a<b>&"c')).toBe('a&lt;b&gt;&amp;&quot;c');
    expect(mapName('de_ancient')).toBe('Ancient');
    expect(mapName('cs_office')).toBe('Office');
  });
});

describe('player queries', () => {
  it.each([
    ['s1mple', 's1mple'],
    ['  donk  ', 'donk'],
    ['https://www.faceit.com/en/players/ZywOo', 'ZywOo'],
    ['faceit.com/ru/players/m0NESY/stats/cs2', 'm0NESY'],
    ['https://example.com/x', undefined],
    ['', undefined],
    ['a', undefined],
  ])('%s → %s', (input, expected) => expect(parsePlayerQuery(input)).toBe(expected));
});

describe('adaptive cadence and capacity', () => {
  it('checks recently active players every cycle and dormant ones rarely', () => {
    const now = 100 * 86_400_000;
    expect(cadenceIntervals(now - 1 * H, now)).toBe(1);
    expect(cadenceIntervals(now - 10 * H, now)).toBe(2);
    expect(cadenceIntervals(now - 3 * 24 * H, now)).toBe(6);
    expect(cadenceIntervals(now - 20 * 24 * H, now)).toBe(12);
    expect(cadenceIntervals(now - 90 * 24 * H, now)).toBe(24);
    expect(cadenceIntervals(null, now)).toBe(24);
  });
  it('an active player is due again by the next cycle, a dormant one later with jitter', () => {
    const I = 10 * 60_000;
    expect(nextCheckAt(0, -H, I, () => 0.5)).toBe(I - 60_000);
    const dormant = nextCheckAt(0, null, I, () => 0.5);
    expect(dormant).toBeGreaterThan(23 * I);
    expect(dormant).toBeLessThan(27 * I);
  });
  it('backs failing players off', () => {
    expect(failureBackoffMs(0, false)).toBe(60_000);
    expect(failureBackoffMs(3, false)).toBe(8 * 60_000);
    expect(failureBackoffMs(0, true)).toBe(24 * H);
  });
  it('10 requests/s for 10 minutes: 6000 calls, half of them for monitoring, about 2600 players a cycle', () => {
    expect(capacity({ perSecond: 10, intervalMinutes: 10 })).toEqual({
      callsPerInterval: 6000,
      monitoringCalls: 3000,
      playersPerCycle: 2608,
      playersAllEveryInterval: 2608,
      playersWholeBudget: 5217,
    });
    expect(planCycle({ FACEIT_RATE_LIMIT_PER_SECOND: 10, MONITORING_INTERVAL_MINUTES: 10 })).toMatchObject({
      maxPlayers: 2608,
      deadlineMs: 8 * 60_000,
      intervalMs: 10 * 60_000,
    });
  });
  it('the share of players due per cycle follows how recently they played', () => {
    expect(dueShare([H, H])).toBe(1);
    expect(dueShare([H, null])).toBeCloseTo((1 + 1 / 24) / 2);
  });
});
