import { MAP_POOL, type SimPlayer } from './players';
import { type Rng, clamp } from './prng';

/** Simulates one CS2 matchmaking match (MR12: first to 13, overtime from 12–12) and a player's line in it. */

export type Faction = 'faction1' | 'faction2';

export interface Outcome {
  map: string;
  winner: Faction;
  score: Record<Faction, number>;
  firstHalf: Record<Faction, number>;
  overtime: Record<Faction, number>;
  rounds: number;
}

export interface StatLine {
  kills: number;
  deaths: number;
  assists: number;
  headshots: number;
  damage: number;
  mvps: number;
  doubleKills: number;
  tripleKills: number;
  quadroKills: number;
  pentaKills: number;
  entryCount: number;
  entryWins: number;
  sniperKills: number;
  pistolKills: number;
  knifeKills: number;
  zeusKills: number;
  clutchKills: number;
  oneVsOneCount: number;
  oneVsOneWins: number;
  oneVsTwoCount: number;
  oneVsTwoWins: number;
  utilityCount: number;
  utilitySuccesses: number;
  utilityDamage: number;
  utilityEnemies: number;
  flashCount: number;
  flashSuccesses: number;
  enemiesFlashed: number;
}

export function pickMap(rng: Rng, player: SimPlayer): string {
  return rng.weighted(MAP_POOL, player.mapWeights);
}

export function mapStrength(player: SimPlayer, map: string): number {
  const i = MAP_POOL.indexOf(map as (typeof MAP_POOL)[number]);
  return i < 0 ? 0 : player.mapSkill[i];
}

export function simulateOutcome(rng: Rng, map: string, winner: Faction): Outcome {
  const loser: Faction = winner === 'faction1' ? 'faction2' : 'faction1';
  const overtime = rng.chance(0.09);
  const score = { faction1: 0, faction2: 0 };
  const ot = { faction1: 0, faction2: 0 };
  const firstHalf = { faction1: 0, faction2: 0 };
  if (overtime) {
    const periods = rng.chance(0.75) ? 1 : 2;
    ot[winner] = 4 + 3 * (periods - 1);
    ot[loser] = 2 + 3 * (periods - 1);
    score[winner] = 12 + ot[winner];
    score[loser] = 12 + ot[loser];
    firstHalf[winner] = rng.int(3, 9);
    firstHalf[loser] = 12 - firstHalf[winner];
  } else {
    score[winner] = 13;
    score[loser] = clamp(Math.round(rng.normal(7.5, 3)), 0, 11);
    const lo = Math.max(0, 12 - score[loser]);
    firstHalf[winner] = rng.int(lo, 12);
    firstHalf[loser] = 12 - firstHalf[winner];
  }
  return { map, winner, score, firstHalf, overtime: ot, rounds: score.faction1 + score.faction2 };
}

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}

/** One player's line, consistent with their skill profile, the map, the result and the match length. */
export function simulateLine(rng: Rng, player: SimPlayer, outcome: Outcome, side: Faction): StatLine {
  const s = player.skill;
  const won = outcome.winner === side;
  const rounds = outcome.rounds;
  const form = Math.exp(rng.normal(0, 0.2)) * (1 + mapStrength(player, outcome.map));
  // Win/loss swing kept small so the mean of per-match K/D (what FACEIT averages) stays near the profile's K/D.
  const kills = rng.count(s.kpr * rounds * form * (won ? 1.08 : 0.92));
  const deaths = clamp(rng.count((s.kpr / s.kd) * rounds * (won ? 0.92 : 1.08)), 1, rounds);
  const hs = clamp(rng.normal(s.hsPercent / 100, 0.08), 0, 1);
  const entryCount = rng.count(rounds * s.entryRate);
  const entryWins = binomial(rng, entryCount, s.entrySuccess);
  const flashCount = rng.count(rounds * s.flashesPerRound);
  const flashSuccesses = binomial(rng, flashCount, s.flashSuccess);
  const utilityCount = rng.count(rounds * s.utilityPerRound);
  const utilitySuccesses = binomial(rng, utilityCount, 0.3);
  const utilityDamage = Math.max(0, Math.round(rounds * s.utilityDamagePerRound * rng.range(0.5, 1.5)));
  const oneVsOneCount = rng.count(rounds * 0.03);
  const oneVsTwoCount = rng.count(rounds * 0.035);
  const oneVsOneWins = binomial(rng, oneVsOneCount, s.clutch1v1);
  const oneVsTwoWins = binomial(rng, oneVsTwoCount, s.clutch1v2);
  const teamScore = outcome.score[side];
  return {
    kills,
    deaths,
    assists: rng.count(rounds * (player.role === 'support' ? 0.22 : 0.16)),
    headshots: Math.round(kills * hs),
    damage: Math.round(
      kills * s.damagePerKill * rng.range(0.92, 1.08) + rounds * rng.range(4, 9) + utilityDamage / 3,
    ),
    mvps: Math.min(teamScore, rng.count((teamScore * kills) / Math.max(1, rounds) / 3.2)),
    doubleKills: rng.count(kills * 0.2),
    tripleKills: rng.count(kills * 0.045),
    quadroKills: rng.count(kills * 0.009),
    pentaKills: rng.count(kills * 0.0016),
    entryCount,
    entryWins,
    sniperKills: Math.round(kills * clamp(rng.normal(s.sniperShare, s.sniperShare / 5), 0, 1)),
    pistolKills: rng.count(kills * 0.12),
    knifeKills: rng.count(kills * 0.004),
    zeusKills: rng.count(kills * 0.01),
    clutchKills: rng.count(oneVsOneWins + oneVsTwoWins * 1.5),
    oneVsOneCount,
    oneVsOneWins,
    oneVsTwoCount,
    oneVsTwoWins,
    utilityCount,
    utilitySuccesses,
    utilityDamage,
    utilityEnemies: rng.count(utilitySuccesses * 1.2),
    flashCount,
    flashSuccesses,
    enemiesFlashed: rng.count(flashSuccesses * 1.4),
  };
}

/** A throwaway profile for roster entries that are not real players (the control API's "404 player"). */
export function ghostSkillLine(rng: Rng, outcome: Outcome, side: Faction): StatLine {
  const kills = rng.count(outcome.rounds * 0.68);
  const deaths = clamp(rng.count(outcome.rounds * 0.68), 1, outcome.rounds);
  const zero = { entryCount: 0, entryWins: 0, sniperKills: 0, pistolKills: 0, knifeKills: 0, zeusKills: 0 };
  return {
    ...zero,
    kills,
    deaths,
    assists: rng.count(outcome.rounds * 0.16),
    headshots: Math.round(kills * 0.45),
    damage: kills * 92 + outcome.rounds * 5,
    mvps: outcome.winner === side ? 2 : 1,
    doubleKills: rng.count(kills * 0.2),
    tripleKills: 0,
    quadroKills: 0,
    pentaKills: 0,
    clutchKills: 0,
    oneVsOneCount: 0,
    oneVsOneWins: 0,
    oneVsTwoCount: 0,
    oneVsTwoWins: 0,
    utilityCount: 5,
    utilitySuccesses: 1,
    utilityDamage: 40,
    utilityEnemies: 1,
    flashCount: 6,
    flashSuccesses: 3,
    enemiesFlashed: 4,
  };
}
