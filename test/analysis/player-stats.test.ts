import { mapLabel, normaliseMap } from '../../src/faceit/maps';
import {
  matchRounds,
  roundsFromScore,
  sortNewestFirst,
  summarisePlayer,
} from '../../src/analysis/model/player-stats';
import { loadSample, samplePlayer } from './samples';

interface RawItem {
  stats: Record<string, string | number>;
}

describe('player aggregates on the real samples', () => {
  const raw = (loadSample('player_games_cs2_stats.json').items as RawItem[]).map((i) => i.stats);
  const darwin = samplePlayer();
  const s = summarisePlayer(darwin.input);

  it('aggregates K/D, win rate and form over the 20 real matches', () => {
    const kills = raw.reduce((a, m) => a + Number(m['Kills']), 0);
    const deaths = raw.reduce((a, m) => a + Number(m['Deaths']), 0);
    const wins = raw.filter((m) => m['Result'] === '1').length;
    expect(s.source).toBe('recent');
    expect(s.matches).toBe(20);
    expect(s.kd).toBeCloseTo(kills / deaths, 10);
    expect(s.winRate).toBeCloseTo(wins / 20, 10);
    const newestFirst = [...raw].sort(
      (a, b) => Number(b['Match Finished At']) - Number(a['Match Finished At']),
    );
    expect(s.form.join('')).toBe(
      newestFirst
        .slice(0, 10)
        .map((m) => (m['Result'] === '1' ? 'W' : 'L'))
        .join(''),
    );
  });

  it('computes round-weighted ADR, kill-weighted HS% and per-round figures', () => {
    const rounds = raw.reduce((a, m) => a + Number(m['Rounds']), 0);
    const damage = raw.reduce((a, m) => a + Number(m['ADR']) * Number(m['Rounds']), 0);
    const kills = raw.reduce((a, m) => a + Number(m['Kills']), 0);
    const hs = raw.reduce((a, m) => a + Number(m['Headshots %']) * Number(m['Kills']), 0);
    expect(s.adr).toBeCloseTo(damage / rounds, 8);
    expect(s.hsPercent).toBeCloseTo(hs / kills, 8);
    expect(s.kpr).toBeCloseTo(kills / rounds, 8);
    expect(s.rating).toBeGreaterThan(0.7);
    expect(s.rating).toBeLessThan(1.4);
  });

  it('summarises lifetime: win rate from Wins/Matches and a rating from the map segment totals', () => {
    expect(s.lifetime?.matches).toBe(2423);
    expect(s.lifetime?.winRate).toBeCloseTo(1204 / 2423, 8);
    expect(s.lifetime?.kd).toBe(0.95);
    expect(s.lifetime?.rating).toBeGreaterThan(0.8);
    expect(s.lifetime?.rating).toBeLessThan(1.1);
  });

  it('takes the role figures from lifetime when recent matches lack the extended keys', () => {
    expect(s.extended.entryRate).toBe(0.15);
    // The share of kills with a sniper rifle comes from the lifetime totals (the rate keys are swapped and rounded).
    const lifetime = loadSample('player_stats_cs2.json').lifetime as Record<string, string>;
    expect(s.extended.sniperKillRate).toBeCloseTo(
      Number(lifetime['Total Sniper Kills']) / Number(lifetime['Total Kills with extended stats']),
      8,
    );
    expect(s.extended.sniperKillRate).toBeGreaterThan(0);
    expect(s.extended.utilityDamagePerRound).toBe(2.89);
  });

  it('normalises lifetime labels ("Inferno") and recent maps (de_inferno) to one id', () => {
    const ids = s.maps.map((m) => m.map);
    expect(ids).toContain('de_inferno');
    expect(ids).toContain('de_dust2');
    expect(new Set(ids).size).toBe(ids.length);
    const inferno = s.maps.find((m) => m.map === 'de_inferno');
    expect(inferno?.source).toBe('lifetime');
    expect(inferno?.matches).toBe(188);
    expect(inferno?.wins).toBe(82);
  });

  it('reads lifetime-only players, with FACEIT\'s oldest-first "Recent Results" reversed', () => {
    const only = summarisePlayer({ details: null, recent: null, lifetime: darwin.input.lifetime });
    expect(only.source).toBe('lifetime');
    expect(only.matches).toBe(2423);
    expect(only.kd).toBe(0.95);
    // ["1","1","1","1","0"] with "Current Win Streak": "0" → the newest result is the loss.
    expect(only.form.join('')).toBe('LWWWW');
  });

  it('reports no data for a player whose fetches failed', () => {
    const none = summarisePlayer(undefined);
    expect(none.source).toBe('none');
    expect(none.matches).toBe(0);
    expect(none.rating).toBeNull();
    expect(summarisePlayer({ details: null, recent: [], lifetime: null }).source).toBe('none');
  });
});

describe('helpers', () => {
  it('derives rounds from Rounds, else the score, else K/R', () => {
    expect(roundsFromScore('13 / 11')).toBe(24);
    expect(roundsFromScore('garbage')).toBeNull();
    const m = {
      matchId: 'x',
      finishedAt: null,
      map: null,
      win: true,
      kills: 20,
      deaths: 10,
      assists: 3,
      adr: null,
      hsPercent: null,
      kr: 0.8,
      rounds: null,
      score: null,
    };
    expect(matchRounds({ ...m, rounds: 30 })).toBe(30);
    expect(matchRounds({ ...m, score: '16 / 14' })).toBe(30);
    expect(matchRounds(m)).toBe(25);
    expect(matchRounds({ ...m, kr: null })).toBeNull();
  });

  it('sorts newest first and keeps undated matches after dated ones in input order', () => {
    const mk = (id: string, t: number | null) => ({
      matchId: id,
      finishedAt: t,
      map: null,
      win: true,
      kills: 0,
      deaths: 0,
      assists: 0,
      adr: null,
      hsPercent: null,
      kr: null,
      rounds: null,
      score: null,
    });
    const sorted = sortNewestFirst([mk('a', null), mk('b', 1), mk('c', 3), mk('d', null), mk('e', 2)]);
    expect(sorted.map((m) => m.matchId).join('')).toBe('cebad');
  });

  it('normalises map names both ways', () => {
    expect(normaliseMap('Inferno')).toBe('de_inferno');
    expect(normaliseMap(' de_Inferno ')).toBe('de_inferno');
    expect(normaliseMap('Dust2')).toBe('de_dust2');
    expect(normaliseMap('Dust II')).toBe('de_dust2');
    expect(normaliseMap('cs_office')).toBe('cs_office');
    expect(normaliseMap('')).toBe('');
    expect(mapLabel('de_inferno')).toBe('Inferno');
    expect(mapLabel('de_dust2')).toBe('Dust2');
    expect(mapLabel('Anubis')).toBe('Anubis');
  });
});
