/**
 * Team view: average ELO/level, win probability, ELO at stake, most dangerous and weakest players.
 *
 * Win probability is the Elo expected score on the team averages: p(A) = 1 / (1 + 10^((R_B − R_A) / 400)).
 *
 * ELO at stake: FACEIT's per-match change behaves like an Elo update with K = 50 on the team averages, so a win
 * gains ≈ 50·(1 − p) and a loss costs ≈ 50·p (25/25 for an even match); both are rounded and kept in [1, 49]
 * because FACEIT never awards 0 nor the full 50. It is an estimate: FACEIT does not publish the exact formula.
 */
import type { EloStake, PlayerAnalysis, TeamAnalysis } from './types';

export const ELO_K = 50;
export const MAX_DANGEROUS = 3;
export const MAX_WEAKEST = 2;

/**
 * ELO assumed for a player whose ELO is unknown, from the middle of his level's band (CS2 bands: 1: 100–500,
 * 2: 501–750, 3: 751–900, 4: 901–1050, 5: 1051–1200, 6: 1201–1350, 7: 1351–1530, 8: 1531–1750, 9: 1751–2000,
 * 10: 2001+).
 */
export const LEVEL_ELO: Readonly<Record<number, number>> = {
  1: 400,
  2: 625,
  3: 825,
  4: 975,
  5: 1125,
  6: 1275,
  7: 1440,
  8: 1640,
  9: 1875,
  10: 2150,
};

/** Expected score of A against B. */
export function winProbability(eloA: number, eloB: number): number {
  return 1 / (1 + Math.pow(10, (eloB - eloA) / 400));
}

/** ELO won on a win and lost on a loss for a team whose win probability is p. */
export function eloAtStake(p: number): EloStake {
  const clampStake = (x: number): number => Math.min(ELO_K - 1, Math.max(1, Math.round(x)));
  return { gain: clampStake(ELO_K * (1 - p)), loss: clampStake(ELO_K * p) };
}

export function estimatedElo(p: Pick<PlayerAnalysis, 'elo' | 'level'>): {
  elo: number | null;
  estimated: boolean;
} {
  if (p.elo !== null) return { elo: p.elo, estimated: false };
  if (p.level !== null && LEVEL_ELO[p.level] !== undefined)
    return { elo: LEVEL_ELO[p.level], estimated: true };
  return { elo: null, estimated: false };
}

export function averages(players: readonly PlayerAnalysis[]): {
  avgElo: number | null;
  avgLevel: number | null;
  eloEstimated: number;
} {
  let eloSum = 0;
  let eloN = 0;
  let eloEstimated = 0;
  let levelSum = 0;
  let levelN = 0;
  for (const p of players) {
    const e = estimatedElo(p);
    if (e.elo !== null) {
      eloSum += e.elo;
      eloN += 1;
      if (e.estimated) eloEstimated += 1;
    }
    if (p.level !== null) {
      levelSum += p.level;
      levelN += 1;
    }
  }
  return {
    avgElo: eloN > 0 ? Math.round(eloSum / eloN) : null,
    avgLevel: levelN > 0 ? Math.round((levelSum / levelN) * 10) / 10 : null,
    eloEstimated,
  };
}

/** Most dangerous first: threat level, then points, then rating; players without a threat last. Stable. */
export function compareThreat(a: PlayerAnalysis, b: PlayerAnalysis): number {
  const ta = a.threat;
  const tb = b.threat;
  if (!ta || !tb) return ta ? -1 : tb ? 1 : 0;
  return tb.level - ta.level || tb.points - ta.points || (b.rating ?? 0) - (a.rating ?? 0);
}

export function rankByThreat(players: readonly PlayerAnalysis[]): PlayerAnalysis[] {
  return players
    .map((p, i) => ({ p, i }))
    .sort((x, y) => compareThreat(x.p, y.p) || x.i - y.i)
    .map(({ p }) => p);
}

/** Top MAX_DANGEROUS by threat, only threat ≥ 3 unless nobody reaches it (then the single most dangerous). */
export function dangerousOf(team: TeamAnalysis): string[] {
  const ranked = rankByThreat(team.players).filter((p) => p.threat !== null);
  const strong = ranked.filter((p) => (p.threat?.level ?? 0) >= 3);
  return (strong.length > 0 ? strong : ranked.slice(0, 1)).slice(0, MAX_DANGEROUS).map((p) => p.playerId);
}

/** Bottom MAX_WEAKEST by threat (weakest first), excluding the dangerous ones. */
export function weakestOf(team: TeamAnalysis, dangerous: readonly string[]): string[] {
  return rankByThreat(team.players)
    .filter((p) => p.threat !== null && !dangerous.includes(p.playerId))
    .reverse()
    .slice(0, MAX_WEAKEST)
    .map((p) => p.playerId);
}
