/**
 * ELO history from the snapshots the bot records (player_elo_snapshots: monitoring, analyses, profiles, links,
 * webhooks). FACEIT's Data API has no per-match ELO, so these are all the bot knows. Pure functions.
 */

import type { EloSnapshot } from '../../stats';

export type { EloSnapshot };

export interface EloSeries {
  /** Oldest first. */
  points: EloSnapshot[];
  min: number;
  max: number;
  first: number;
  last: number;
  /** Snapshots tied to a match. */
  matches: number;
}

/** Chronological series (oldest first) of the snapshots, null when there is nothing to draw. */
export function eloSeries(snapshots: readonly EloSnapshot[]): EloSeries | null {
  if (snapshots.length === 0) return null;
  const points = [...snapshots].sort((a, b) => a.at - b.at);
  const elos = points.map((p) => p.elo);
  return {
    points,
    min: Math.min(...elos),
    max: Math.max(...elos),
    first: points[0].elo,
    last: points[points.length - 1].elo,
    matches: new Set(points.flatMap((p) => (p.matchId ? [p.matchId] : []))).size,
  };
}
