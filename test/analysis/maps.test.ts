import { analyzeLobby } from '../../src/analysis/model/analyze';
import {
  analyseMaps,
  confidenceFor,
  mapPool,
  recommendationFor,
  teamMapScore,
} from '../../src/analysis/model/maps';
import type { PlayerAnalysis, PlayerMapRecord, TeamAnalysis } from '../../src/analysis/model/types';
import { five, lifetime, lobby } from './fixtures';

function player(id: string, maps: PlayerMapRecord[]): PlayerAnalysis {
  return {
    playerId: id,
    nickname: id,
    faction: 'faction1',
    elo: null,
    level: null,
    country: null,
    source: 'recent',
    matches: 20,
    kd: 1,
    adr: 78,
    hsPercent: 45,
    winRate: 0.5,
    kpr: 0.72,
    dpr: 0.72,
    rating: 1,
    form: [],
    role: null,
    flags: { noData: false, smallSample: false, possibleSmurf: false },
    maps,
    threat: null,
  };
}

/** A team whose 5 players each played `perPlayer` matches on `map` with the given win rate and K/D. */
function team(map: string, perPlayer: number, winRate: number, kd: number): TeamAnalysis {
  const rec = (): PlayerMapRecord => ({
    map,
    matches: perPlayer,
    wins: Math.round(perPlayer * winRate),
    winRate,
    kd,
    source: 'recent',
  });
  return {
    faction: 'faction1',
    name: 't',
    players: Array.from({ length: 5 }, (_, i) => player(`p${i}`, perPlayer > 0 ? [rec()] : [])),
    avgElo: null,
    avgLevel: null,
    eloEstimated: 0,
    playersWithData: 5,
  };
}

describe('map scores', () => {
  it('is 0.5 for an average team and for a team without matches on the map', () => {
    expect(teamMapScore(team('de_nuke', 4, 0.5, 1), 'de_nuke').score).toBeCloseTo(0.5, 12);
    expect(teamMapScore(team('de_nuke', 0, 0.9, 2), 'de_nuke')).toMatchObject({
      score: 0.5,
      matches: 0,
    });
  });

  it('shrinks toward 0.5 with c = min(1, m/10), m counted per player (not player-matches of the team)', () => {
    const full = teamMapScore(team('de_nuke', 10, 0.8, 1), 'de_nuke'); // 10 each → c = 1
    const half = teamMapScore(team('de_nuke', 5, 0.8, 1), 'de_nuke'); // 5 each → c = 0.5
    const two = teamMapScore(team('de_nuke', 2, 0.8, 1), 'de_nuke'); // 2 each: was "full confidence" (n = 10)
    expect(full.score).toBeCloseTo(0.5 + 0.6 * 0.3, 12);
    expect(half.score - 0.5).toBeCloseTo((full.score - 0.5) / 2, 12);
    expect(two.score - 0.5).toBeCloseTo((full.score - 0.5) / 5, 12);
    expect(two).toMatchObject({ matches: 10, matchesPerPlayer: 2 });
  });

  const one = (f1: TeamAnalysis, f2: TeamAnalysis) =>
    analyseMaps({ faction1: f1, faction2: f2 }, ['de_nuke'], null)[0];

  it('gives the expected edge in points with a 95 % interval, a pick/ban only where it excludes zero', () => {
    // 50 matches each at 65 % against 45 %: shrunk 0.625 vs 0.458, 2.1 logit per unit → +8.7 points, ± 7.1 with the unknown rating part (no rating on the map in these records).
    const clear = one(team('de_nuke', 50, 0.65, 1), team('de_nuke', 50, 0.45, 1));
    expect(clear.edge).toMatchObject({ points: 8.7, margin: 7.1, likely: 'faction1' });
    expect(recommendationFor(clear, 'faction1')).toBe('pick');
    expect(recommendationFor(clear, 'faction2')).toBe('ban');
    const mirrored = one(team('de_nuke', 50, 0.45, 1), team('de_nuke', 50, 0.65, 1));
    expect(mirrored.edge).toMatchObject({ points: -8.7, likely: 'faction2' });
    expect(recommendationFor(mirrored, 'faction1')).toBe('ban');
    // The same gap over 10 matches each is inside its interval: unclear, no pick, no ban.
    const thin = one(team('de_nuke', 10, 0.65, 1), team('de_nuke', 10, 0.45, 1));
    expect(thin.edge?.likely).toBeNull();
    expect(Math.abs(thin.edge?.points ?? 0)).toBeLessThan(thin.edge?.margin ?? 0);
    expect(thin.favoured).toBeNull();
    expect(recommendationFor(thin, 'faction1')).toBe('neutral');
  });

  it('does not recommend from a small sample what a full sample would', () => {
    // Two matches each at 100 % against 0 %: the old table called that "favoured"; here it is unclear.
    const small = one(team('de_nuke', 2, 1, 1.5), team('de_nuke', 2, 0, 0.7));
    expect(small.favoured).toBeNull();
    expect(small.edge?.likely).toBeNull();
    expect(small.edge?.margin).toBeGreaterThan(Math.abs(small.edge?.points ?? 0));
    // No data on either side: no edge, the widest interval.
    const none = one(team('de_nuke', 0, 0.5, 1), team('de_nuke', 0, 0.5, 1));
    expect(none.edge).toMatchObject({ points: 0, likely: null });
    expect(none.edge?.margin).toBeGreaterThan(small.edge?.margin ?? 0);
  });

  it('derives confidence from the smaller sample, in matches per player', () => {
    expect([0, 4.9, 5, 14, 15, 500].map(confidenceFor)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
    const m = analyseMaps(
      { faction1: team('de_nuke', 100, 0.5, 1), faction2: team('de_nuke', 6, 0.5, 1) },
      ['de_nuke'],
      null,
    )[0];
    expect(m.confidence).toBe('medium'); // 6 matches per player on the weaker side
  });

  it('uses the match pool, else active duty, always with the picked map, normalised', () => {
    expect(mapPool(undefined, null)).toEqual([
      'de_mirage',
      'de_inferno',
      'de_nuke',
      'de_ancient',
      'de_anubis',
      'de_dust2',
      'de_train',
    ]);
    expect(mapPool(['de_dust2', 'Mirage', 'de_overpass'], 'de_vertigo')).toEqual([
      'de_dust2',
      'de_mirage',
      'de_overpass',
      'de_vertigo',
    ]);
  });
});

describe('maps in a full analysis', () => {
  const nukeStrong = lifetime({
    matches: 800,
    winRate: 55,
    kd: 1.1,
    maps: [
      { label: 'Nuke', matches: 120, winRate: 68, kd: 1.3 },
      { label: 'Mirage', matches: 120, winRate: 40, kd: 0.9 },
      { label: 'Inferno', matches: 120, winRate: 50, kd: 1.0 },
    ],
  });
  const mirageStrong = lifetime({
    matches: 800,
    winRate: 55,
    kd: 1.1,
    maps: [
      { label: 'Nuke', matches: 120, winRate: 45, kd: 0.95 },
      { label: 'Mirage', matches: 120, winRate: 64, kd: 1.2 },
      { label: 'Inferno', matches: 120, winRate: 50, kd: 1.0 },
    ],
  });
  const input = lobby(
    five({ lifetime: nukeStrong, maps: ['de_cache'] }),
    five({ lifetime: mirageStrong, maps: ['de_cache'] }),
    {
      pickedMap: 'de_inferno',
      mapPool: ['de_mirage', 'de_nuke', 'de_inferno', 'de_ancient'],
    },
  );
  const a = analyzeLobby(input);

  it('lists the picked map first and highlights it', () => {
    expect(a.maps[0].map).toBe('de_inferno');
    expect(a.maps[0].picked).toBe(true);
    expect(a.maps.filter((m) => m.picked)).toHaveLength(1);
    expect(a.pickedMap).toBe('de_inferno');
  });

  it('maps lifetime labels to the pool and recommends Nuke for faction1 and Mirage for faction2', () => {
    const nuke = a.maps.find((m) => m.map === 'de_nuke');
    const mirage = a.maps.find((m) => m.map === 'de_mirage');
    const inferno = a.maps.find((m) => m.map === 'de_inferno');
    const ancient = a.maps.find((m) => m.map === 'de_ancient');
    expect(nuke && recommendationFor(nuke, 'faction1')).toBe('pick');
    expect(mirage && recommendationFor(mirage, 'faction1')).toBe('ban');
    expect(mirage && recommendationFor(mirage, 'faction2')).toBe('pick');
    expect(inferno?.favoured).toBeNull();
    expect(nuke?.confidence).toBe('high');
    expect(ancient).toMatchObject({ favoured: null, confidence: 'low' });
  });
});
