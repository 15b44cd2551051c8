/**
 * Duo partners (/duos): who a player queued with most in his recent matches, and how they did together, from one
 * /history page (each item names both teams' players and the winner). Pure.
 *
 * A partner is a teammate in at least DUO_MIN_MATCHES of the matches (fewer is chance, not a duo). Best and worst are
 * ranked by the win rate together shrunk toward the player's own win rate over the page with DUO_SHRINK_K
 * pseudo-matches, so 3–0 does not outrank 14–6; the raw record is what is shown.
 */

export interface DuoMatch {
  matchId: string;
  /** Epoch ms (FACEIT's `finished_at`); null when absent. */
  finishedAt: number | null;
  /** Whether the player's team won; null when the result is unknown (live, cancelled). */
  won: boolean | null;
  /** The player's teammates in that match (himself excluded). */
  teammates: Array<{ playerId: string; nickname: string }>;
}

export interface DuoPartner {
  playerId: string;
  nickname: string;
  matches: number;
  wins: number;
  /** wins / matches. */
  winRate: number;
  /** The ranking figure (shrunk toward the player's own win rate). */
  score: number;
}

export interface DuoSummary {
  /** Matches with a known result on the page. */
  matches: number;
  /** The player's own win rate over them; null without any. */
  winRate: number | null;
  /** Partners with at least DUO_MIN_MATCHES matches together, most matches first. */
  partners: DuoPartner[];
  /** Up to DUO_SHOWN each, best first / worst first; nobody is in both. */
  best: DuoPartner[];
  worst: DuoPartner[];
}

export const DUO_MIN_MATCHES = 3;
export const DUO_SHRINK_K = 5;
export const DUO_SHOWN = 3;

export function duoSummary(history: readonly DuoMatch[]): DuoSummary {
  const decided = history.filter((m) => m.won !== null);
  const wins = decided.filter((m) => m.won).length;
  const own = decided.length ? wins / decided.length : null;
  const acc = new Map<string, { nickname: string; matches: number; wins: number }>();
  for (const m of decided) {
    for (const t of new Map(m.teammates.map((x) => [x.playerId, x])).values()) {
      const a = acc.get(t.playerId) ?? { nickname: t.nickname, matches: 0, wins: 0 };
      a.matches += 1;
      a.wins += m.won ? 1 : 0;
      acc.set(t.playerId, a);
    }
  }
  const prior = own ?? 0.5;
  const partners = [...acc.entries()]
    .filter(([, a]) => a.matches >= DUO_MIN_MATCHES)
    .map(([playerId, a]) => ({
      playerId,
      nickname: a.nickname,
      matches: a.matches,
      wins: a.wins,
      winRate: a.wins / a.matches,
      score: (a.wins + DUO_SHRINK_K * prior) / (a.matches + DUO_SHRINK_K),
    }))
    .sort((x, y) => y.matches - x.matches || y.score - x.score || x.nickname.localeCompare(y.nickname));
  const ranked = [...partners].sort((x, y) => y.score - x.score || y.matches - x.matches);
  const best = ranked.filter((p) => p.score > prior).slice(0, DUO_SHOWN);
  const worst = [...ranked]
    .reverse()
    .filter((p) => p.score < prior && !best.includes(p))
    .slice(0, DUO_SHOWN);
  return { matches: decided.length, winRate: own, partners, best, worst };
}
