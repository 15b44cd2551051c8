/**
 * The ELO change of each match of /matches, from the snapshots the bot records (player_elo_snapshots: monitoring,
 * analyses, profiles, links, webhooks). FACEIT's Data API has no per-match ELO, so these are all the bot knows. Pure.
 * (The ELO chart of the same snapshots is the predictions slice's.)
 */

export interface EloSnapshot {
  elo: number;
  /** Epoch ms. */
  at: number;
  /** The match the snapshot was taken around (an analysis: before it; monitoring: after it), when known. */
  matchId: string | null;
}

export interface PlayedMatch {
  matchId: string;
  /** Epoch ms. */
  finishedAt: number | null;
}

/**
 * ELO change of each match (matches newest first): the first snapshot after the match's end (and before the next
 * match's end) minus the last one before its end (and after the previous match's end). A match the snapshots do
 * not bracket alone gets no change: a wrong number is worse than none.
 */
export function eloDeltas(
  matches: readonly PlayedMatch[],
  snapshots: readonly EloSnapshot[],
): Map<string, number> {
  const out = new Map<string, number>();
  matches.forEach((m, i) => {
    if (m.finishedAt === null) return;
    const end = m.finishedAt;
    const previousEnd = matches[i + 1]?.finishedAt ?? null;
    const nextEnd = i > 0 ? matches[i - 1].finishedAt : null;
    if (i > 0 && nextEnd === null) return;
    let before: EloSnapshot | undefined;
    let after: EloSnapshot | undefined;
    for (const s of snapshots) {
      if (s.at <= end && (previousEnd === null || s.at >= previousEnd)) {
        if (!before || s.at > before.at) before = s;
      } else if (s.at > end && (nextEnd === null || s.at <= nextEnd)) {
        if (!after || s.at < after.at) after = s;
      }
    }
    if (before && after) out.set(m.matchId, after.elo - before.elo);
  });
  return out;
}
