import { analyzeLobby } from '../../src/analysis/model/analyze';
import {
  advantageFor,
  analyseMaps,
  confidenceFor,
  mapPool,
  MAP_THRESHOLD,
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

  it('recommends a pick at +0.08 and a ban at −0.08, nothing in between', () => {
    const run = (wrUs: number, wrThem: number) =>
      analyseMaps(
        { faction1: team('de_nuke', 10, wrUs, 1), faction2: team('de_nuke', 10, wrThem, 1) },
        ['de_nuke'],
        null,
      )[0];
    // advantage = 0.6 · Δwin rate at equal K/D, full weight
    const pick = run(0.5 + MAP_THRESHOLD / 0.6, 0.5);
    expect(pick.advantage).toBeCloseTo(MAP_THRESHOLD, 4);
    expect(recommendationFor(pick, 'faction1')).toBe('pick');
    expect(recommendationFor(pick, 'faction2')).toBe('ban');
    const neutral = run(0.62, 0.5);
    expect(neutral.favoured).toBeNull();
    expect(recommendationFor(neutral, 'faction1')).toBe('neutral');
    const ban = run(0.5, 0.5 + MAP_THRESHOLD / 0.6);
    expect(ban.advantage).toBeCloseTo(-MAP_THRESHOLD, 4);
    expect(recommendationFor(ban, 'faction1')).toBe('ban');
    expect(advantageFor(ban, 'faction2')).toBeCloseTo(MAP_THRESHOLD, 4);
  });

  it('does not recommend from a small sample what a full sample would', () => {
    const small = analyseMaps(
      { faction1: team('de_nuke', 2, 0.7, 1), faction2: team('de_nuke', 2, 0.5, 1) },
      ['de_nuke'],
      null,
    )[0];
    expect(small.favoured).toBeNull();
    expect(small.confidence).toBe('low');
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
