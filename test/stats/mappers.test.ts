import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBody } from '../../src/faceit/schemas';
import {
  scoresOf,
  toLifetimeData,
  toMatchLine,
  toPlayerCard,
  toScoreboard,
} from '../../src/stats/model/mappers';
import { FACEIT_SAMPLES_DIR } from '../harness/shared';

const SAMPLES = FACEIT_SAMPLES_DIR;
const sample = (file: string): unknown => JSON.parse(readFileSync(path.join(SAMPLES, file), 'utf8'));

/** The FACEIT → DTO mapping, on the real recorded bodies. */
describe('stats mappers on the recorded FACEIT samples', () => {
  it('a player card: nickname, country, CS2 ELO, level and Steam64 id', () => {
    const player = parseBody('player', sample('player.json'));
    const card = toPlayerCard(player);
    expect(card.playerId).toBe(player.player_id);
    expect(card.elo).toBe(player.games.cs2?.faceit_elo);
    expect(card.level).toBe(player.games.cs2?.skill_level);
    expect(card.steamId64).toMatch(/^7656119\d{10}$/);
  });

  it('lifetime: ratios from the "Average" keys (not the sums), recent results newest first, 5v5 maps only', () => {
    const raw = sample('player_stats_cs2.json') as { lifetime: Record<string, unknown> };
    const stats = parseBody('playerStats', raw);
    const { lifetime, maps } = toLifetimeData(stats);
    expect(lifetime.kd).toBe(Number(raw.lifetime['Average K/D Ratio']));
    expect(lifetime.hsPercent).toBe(Number(raw.lifetime['Average Headshots %']));
    const recent = (raw.lifetime['Recent Results'] as string[]).map((r) => r === '1').reverse();
    expect(lifetime.recentResults).toEqual(recent);
    expect(lifetime.role.sniperKillRate).toEqual(expect.any(Number));
    expect(maps.map((m) => m.map)).toContain('Inferno');
    expect(maps.every((m) => m.matches > 0)).toBe(true);
  });

  it('a match line from the player’s side: own score first, K-D-A, epoch-ms finish time', () => {
    const list = parseBody('playerMatchStats', sample('player_games_cs2_stats.json'));
    const line = toMatchLine(list.items[0]);
    expect(line).toMatchObject({
      matchId: '1-6e9986d0-fca9-4840-986a-cd2cc127b227',
      map: 'de_inferno',
      win: false,
      ownScore: 11,
      opponentScore: 13,
      kills: 19,
      deaths: 15,
      assists: 2,
      adr: 75,
      finishedAt: 1773703361000,
    });
  });

  it('scores: the own score may be either side of "a / b"; junk gives nulls', () => {
    expect(scoresOf('13 / 11', 11)).toEqual([11, 13]);
    expect(scoresOf('13 / 11', 13)).toEqual([13, 11]);
    expect(scoresOf('garbage', 13)).toEqual([13, null]);
    expect(scoresOf(undefined, undefined)).toEqual([null, null]);
  });

  it('a scoreboard: both teams with every player, best fragger first', () => {
    const stats = parseBody('matchStats', sample('match_stats.json'));
    const board = toScoreboard('m', stats);
    expect(board?.teams).toHaveLength(2);
    for (const team of board?.teams ?? []) {
      expect(team.players).toHaveLength(5);
      const kills = team.players.map((p) => p.kills ?? 0);
      expect(kills).toEqual([...kills].sort((a, b) => b - a));
    }
    expect(board?.teams.filter((t) => t.win)).toHaveLength(1);
    expect(toScoreboard('m', { rounds: [] })).toBeNull();
  });
});
