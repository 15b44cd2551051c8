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
 * Middle of each level's CS2 ELO band (1: 100–500, 2: 501–750, 3: 751–900, 4: 901–1050, 5: 1051–1200,
 * 6: 1201–1350, 7: 1351–1530, 8: 1531–1750, 9: 1751–2000). Level 10 (2001+) is open-ended: it has no middle, so
 * it is not in this table (see `lobbyEloEstimator`).
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
};
/** Lowest ELO of level 10. */
export const LEVEL_10_MIN_ELO = 2001;
const LEVEL_BAND: Readonly<Record<number, [number, number]>> = {
  1: [100, 500],
  2: [501, 750],
  3: [751, 900],
  4: [901, 1050],
  5: [1051, 1200],
  6: [1201, 1350],
  7: [1351, 1530],
  8: [1531, 1750],
  9: [1751, 2000],
  10: [LEVEL_10_MIN_ELO, 10_000],
};

export type EloEstimate = { elo: number | null; estimated: boolean };
type EloPlayer = Pick<PlayerAnalysis, 'elo' | 'level' | 'faction'>;

const mean = (xs: readonly number[]): number | null =>
  xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
const inBand = (elo: number, level: number): number => {
  const band = LEVEL_BAND[level];
  return band ? Math.min(band[1], Math.max(band[0], elo)) : elo;
};

/**
 * ELO for a player whose ELO is unknown (flagged as estimated), from what the lobby knows:
 * 1. the mean known ELO of the lobby's players at his level (kept inside the level's band);
 * 2. levels 1–9: the middle of the level's band;
 * 3. level 10, which has no upper bound: the mean known ELO of his team, else of the lobby, but at least 2001;
 *    with no known ELO at all, 2001 (the only thing the level says for sure).
 * Never a fixed 2150 for level 10: in a 2800-ELO lobby that would invent a 650-point hole.
 */
export function lobbyEloEstimator(players: readonly EloPlayer[]): (p: EloPlayer) => EloEstimate {
  const known = players.filter((p): p is EloPlayer & { elo: number } => p.elo !== null);
  return (p) => {
    if (p.elo !== null) return { elo: p.elo, estimated: false };
    if (p.level === null || !LEVEL_BAND[p.level]) return { elo: null, estimated: false };
    const level = p.level;
    const peers = mean(known.filter((q) => q.level === level).map((q) => q.elo));
    if (peers !== null) return { elo: inBand(peers, level), estimated: true };
    if (LEVEL_ELO[level] !== undefined) return { elo: LEVEL_ELO[level], estimated: true };
    const team = mean(known.filter((q) => q.faction === p.faction).map((q) => q.elo));
    const lobby = mean(known.map((q) => q.elo));
    return { elo: inBand(team ?? lobby ?? LEVEL_10_MIN_ELO, level), estimated: true };
  };
}

/** Expected score of A against B. */
export function winProbability(eloA: number, eloB: number): number {
  return 1 / (1 + Math.pow(10, (eloB - eloA) / 400));
}

/** ELO won on a win and lost on a loss for a team whose win probability is p. */
export function eloAtStake(p: number): EloStake {
  const clampStake = (x: number): number => Math.min(ELO_K - 1, Math.max(1, Math.round(x)));
  return { gain: clampStake(ELO_K * (1 - p)), loss: clampStake(ELO_K * p) };
}

export function averages(
  players: readonly PlayerAnalysis[],
  estimate: (p: PlayerAnalysis) => EloEstimate = lobbyEloEstimator(players),
): {
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
    const e = estimate(p);
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
