import { perMapResults, splitSessions, styleOf, summariseForm, trendOf } from '../../src/stats/model/form';
import { bestAndWorstMaps, totalsOf } from '../../src/stats/model/summary';
import type { MatchLine } from '../../src/stats/model/types';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 20);

function match(over: Partial<MatchLine> = {}): MatchLine {
  return {
    matchId: `1-${Math.random().toString(16).slice(2)}`,
    finishedAt: T0,
    map: 'de_mirage',
    win: true,
    ownScore: 13,
    opponentScore: 10,
    kills: 20,
    deaths: 16,
    assists: 4,
    kd: 1.25,
    adr: 80,
    hsPercent: 50,
    rounds: 23,
    mvps: 3,
    ...over,
  };
}

describe('stats aggregates', () => {
  it('totals: K/D is ΣK/ΣD, ADR round-weighted, HS% kill-weighted, win rate over decided matches', () => {
    const t = totalsOf([
      match({ kills: 30, deaths: 10, adr: 120, rounds: 30, hsPercent: 60, win: true }),
      match({ kills: 10, deaths: 30, adr: 40, rounds: 10, hsPercent: 20, win: false }),
      match({ kills: null, deaths: null, adr: null, rounds: null, hsPercent: null, win: null }),
    ]);
    expect(t).toMatchObject({ matches: 3, wins: 1, losses: 1, winRate: 0.5, kd: 1 });
    expect(t.adr).toBeCloseTo((120 * 30 + 40 * 10) / 40);
    expect(t.hsPercent).toBeCloseTo((60 * 30 + 20 * 10) / 40);
    expect(totalsOf([])).toMatchObject({ matches: 0, winRate: null, kd: null, adr: null });
  });

  it('best and worst maps need 5 matches unless no map has that many; a single map has no worst', () => {
    const maps = [
      { map: 'Mirage', matches: 50, winRatePercent: 55, kd: 1.1 },
      { map: 'Nuke', matches: 3, winRatePercent: 100, kd: 2 },
      { map: 'Inferno', matches: 40, winRatePercent: 41, kd: 0.9 },
      { map: 'Ancient', matches: 20, winRatePercent: 55, kd: 1.3 },
    ];
    expect(bestAndWorstMaps(maps)).toEqual({ best: maps[3], worst: maps[2] });
    expect(bestAndWorstMaps([maps[1]])).toEqual({ best: maps[1], worst: null });
    expect(bestAndWorstMaps([])).toEqual({ best: null, worst: null });
  });
});

describe('/form analysis', () => {
  it('sessions split where two matches are more than 12 h apart, newest first, across midnight', () => {
    const matches = [
      match({ finishedAt: T0 + 5 * HOUR }), // 01:00 next day, same night
      match({ finishedAt: T0 }),
      match({ finishedAt: T0 - 1 * HOUR, win: false }),
      match({ finishedAt: T0 - 14 * HOUR }),
      match({ finishedAt: null }),
      match({ finishedAt: T0 - 40 * HOUR }),
    ];
    const sessions = splitSessions(matches);
    expect(sessions.map((s) => s.totals.matches)).toEqual([3, 2, 1]);
    expect(sessions[0]).toMatchObject({ start: T0 - HOUR, end: T0 + 5 * HOUR });
    expect(sessions[0].totals).toMatchObject({ wins: 2, losses: 1 });
    expect(splitSessions([])).toEqual([]);
  });

  it('trend compares the newer half with the older one; small changes are "flat"; under 6 matches none', () => {
    const better = [
      ...Array.from({ length: 5 }, () => match({ kills: 26, deaths: 14, adr: 95, win: true })),
      ...Array.from({ length: 5 }, () => match({ kills: 15, deaths: 18, adr: 70, win: false })),
    ];
    expect(trendOf(better)?.direction).toBe('up');
    expect(trendOf([...better].reverse())?.direction).toBe('down');
    const steady = Array.from({ length: 12 }, (_, i) => match({ adr: 80 + (i % 2), win: i % 2 === 0 }));
    expect(trendOf(steady)?.direction).toBe('flat');
    expect(trendOf(better.slice(0, 5))).toBeNull();
  });

  it('per-map results, most played first; style tags from the window', () => {
    const maps = perMapResults([
      match(),
      match({ map: 'de_nuke', win: false }),
      match(),
      match({ map: null }),
    ]);
    expect(maps.map((m) => [m.map, m.totals.matches, m.totals.wins])).toEqual([
      ['de_mirage', 2, 2],
      ['?', 1, 1],
      ['de_nuke', 1, 0],
    ]);
    expect(styleOf(totalsOf([match({ hsPercent: 62, adr: 95, kills: 30, deaths: 20 })]))).toEqual([
      'sharpshooter',
      'impact',
      'survivor',
    ]);
    expect(styleOf(totalsOf([match({ kills: 10, deaths: 20, adr: 50, assists: 2 })]))).toEqual([
      'struggling',
    ]);
  });

  it('summary: role from the lifetime extended figures (AWPer by sniper kill rate), null without them', () => {
    const role = {
      entryRate: 0.1,
      sniperKillRate: 0.3,
      utilityDamagePerRound: 3,
      enemiesFlashedPerRound: 0.2,
      flashSuccessRate: 0.5,
    };
    const lifetime = {
      matches: 100,
      wins: 50,
      winRatePercent: 50,
      kd: 1,
      hsPercent: 40,
      adr: 75,
      currentWinStreak: 1,
      longestWinStreak: 5,
      recentResults: [],
      role,
    };
    expect(summariseForm({ matches: [match()], lifetime }).role).toBe('awper');
    expect(summariseForm({ matches: [match()], lifetime: null }).role).toBeNull();
  });
});
