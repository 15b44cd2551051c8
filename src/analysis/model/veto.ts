/**
 * The veto: which maps each team will likely ban (and, in a BO3, pick), from its players' per-map records (matches
 * played and results per map, the same records as the map table), and what we should ban and pick.
 *
 * A team's likely bans are the maps it avoids or loses on, in that order:
 *   - avoided: its matches per player on the map are under half its average over the pool's maps;
 *   - lost on: otherwise, the lowest shrunk win rate there (10 pseudo-matches at 50 %, like the map table).
 * BO1 (FACEIT: each captain bans 3 of 7): three likely bans. BO3 (ban, ban, pick, pick, ban, ban, decider): two
 * likely bans and one likely pick, the map it plays most with the best shrunk win rate.
 * Our advice (render.ts): ban the maps where the edge is likely theirs, then the ones we avoid; pick where the edge is
 * likely ours, else the map we play most. All of it is said with its evidence, never as a certainty.
 */
import { MAP_SHRINK_K } from './maps';
import type { FactionId, MapAnalysis, TeamAnalysis, TeamVeto, VetoMap } from './types';

function recordsOf(team: TeamAnalysis, pool: readonly string[]): VetoMap[] {
  const n = Math.max(1, team.players.length);
  return pool.map((map) => {
    let matches = 0;
    let wins = 0;
    for (const p of team.players) {
      const r = p.maps.find((x) => x.map === map);
      if (!r) continue;
      matches += r.matches;
      wins += r.wins;
    }
    const perPlayer = matches / n;
    const winRate = (wins / n + MAP_SHRINK_K * 0.5) / (perPlayer + MAP_SHRINK_K);
    return { map, matchesPerPlayer: perPlayer, winRate, reason: 'lost' as VetoMap['reason'] };
  });
}

/** One team's likely bans and picks over the pool; nothing when its players have no map records at all. */
export function teamVeto(team: TeamAnalysis, pool: readonly string[], bestOf: number | null): TeamVeto {
  const rows = recordsOf(team, pool);
  const mean = rows.reduce((s, r) => s + r.matchesPerPlayer, 0) / Math.max(1, rows.length);
  if (rows.length === 0 || mean === 0) return { bans: [], picks: [] };
  for (const r of rows) r.reason = r.matchesPerPlayer < mean / 2 ? 'avoided' : 'lost';
  const bo3 = (bestOf ?? 1) >= 3;
  const bans = [...rows]
    .sort(
      (a, b) =>
        Number(b.reason === 'avoided') - Number(a.reason === 'avoided') ||
        (a.reason === 'avoided' ? a.matchesPerPlayer - b.matchesPerPlayer : 0) ||
        a.winRate - b.winRate ||
        a.map.localeCompare(b.map),
    )
    .slice(0, bo3 ? 2 : 3);
  const picks = bo3
    ? rows
        .filter((r) => !bans.includes(r) && r.reason !== 'avoided')
        .sort((a, b) => b.matchesPerPlayer - a.matchesPerPlayer || b.winRate - a.winRate)
        .slice(0, 1)
        .map((r) => ({ ...r, reason: 'played' as const }))
    : [];
  return { bans, picks };
}

/** Both teams' likely bans/picks. */
export function vetoOf(
  teams: Record<FactionId, TeamAnalysis>,
  maps: readonly MapAnalysis[],
  bestOf: number | null,
): Record<FactionId, TeamVeto> {
  const pool = maps.map((m) => m.map);
  return {
    faction1: teamVeto(teams.faction1, pool, bestOf),
    faction2: teamVeto(teams.faction2, pool, bestOf),
  };
}

/** Our advice: bans where the edge is likely theirs, then maps we avoid; a pick where the edge is likely ours. */
export function ourAdvice(
  maps: readonly MapAnalysis[],
  ours: TeamVeto,
  us: FactionId,
  bestOf: number | null,
): { bans: string[]; picks: string[] } {
  const count = (bestOf ?? 1) >= 3 ? 2 : 3;
  const edgeFor = (m: MapAnalysis) => (us === 'faction1' ? 1 : -1) * (m.edge?.points ?? 0);
  const against = maps
    .filter((m) => m.edge?.likely && m.edge.likely !== us)
    .sort((a, b) => edgeFor(a) - edgeFor(b))
    .map((m) => m.map);
  const avoided = ours.bans.filter((b) => b.reason === 'avoided').map((b) => b.map);
  const bans = [...new Set([...against, ...avoided])].slice(0, count);
  const picks = maps
    .filter((m) => m.edge?.likely === us && !bans.includes(m.map))
    .sort((a, b) => edgeFor(b) - edgeFor(a))
    .map((m) => m.map)
    .slice(0, 1);
  return { bans, picks };
}
