/**
 * Likely parties and duos, from data already fetched (no FACEIT call of its own).
 *
 * Each item of `/players/{id}/games/cs2/stats` names the match (`Match Id`) and the player's side in it (`Team`,
 * e.g. `team_csourcerer`). Two players of one team in this lobby who appear in the same earlier match under the same
 * `Team` were teammates there. Random matchmaking rarely puts the same two strangers on one side twice in a
 * 20–30-match window, so:
 *
 *   - a duo is any pair of one team's players who shared a side in at least one recent match (shown with how many
 *     matches and wins, for the teammates view);
 *   - two players are linked when they shared a side in at least PARTY_MIN_SHARED (2) recent matches;
 *   - a party is a set of ≥ 2 players connected by links (a chain a–b, b–c makes one party of three);
 *   - its `sharedMatches` counts the distinct recent matches in which at least two of its members shared a side, and
 *     `wonMatches` those their side won (how often they played together and won together).
 *
 * Players who were opponents in an earlier match (same `Match Id`, different `Team`) are never linked, the match
 * being analysed is ignored if a window already lists it, and a player without `Team` data is in no party (inputs
 * stored before `Team` was read have none: their teams show no party, never an invented one).
 */
import type { Duo, Party, PlayerInput, RosterEntry } from './types';

export const PARTY_MIN_SHARED = 2;

export interface TeamParties {
  parties: Party[];
  /** Players with side data in their recent matches who are in no party; null when nobody has side data. */
  soloPlayers: number | null;
  duos: Duo[];
}

/** matchId → { team, win } for one player's window (items without `Team` are skipped). */
function sidesOf(
  input: PlayerInput | undefined,
  excludeMatchId: string,
): Map<string, { team: string; win: boolean | null }> {
  const out = new Map<string, { team: string; win: boolean | null }>();
  for (const m of input?.recent ?? []) {
    if (!m.team || !m.matchId || m.matchId === excludeMatchId) continue;
    if (!out.has(m.matchId)) out.set(m.matchId, { team: m.team, win: m.win });
  }
  return out;
}

/** Parties, solo players and duos of one team. */
export function teamParties(
  roster: readonly RosterEntry[],
  players: Readonly<Record<string, PlayerInput | undefined>>,
  matchId: string,
): TeamParties {
  const ids = roster.map((r) => r.playerId).filter((id, i, all) => all.indexOf(id) === i);
  const sides = ids.map((id) => sidesOf(players[id], matchId));
  const parent = ids.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const duos: Duo[] = [];
  /** For each linked pair, the matches they shared: a party's shared matches are their union. */
  const linkedMatches: Array<{ i: number; j: number; matches: string[] }> = [];
  /** Shared matches their side won. */
  const wonShared = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const shared: string[] = [];
      let wins = 0;
      for (const [matchId, a] of sides[i]) {
        const b = sides[j].get(matchId);
        if (!b || b.team !== a.team) continue;
        shared.push(matchId);
        if (a.win === true) {
          wins += 1;
          wonShared.add(matchId);
        }
      }
      if (shared.length === 0) continue;
      duos.push({ a: ids[i], b: ids[j], matches: shared.length, wins });
      if (shared.length >= PARTY_MIN_SHARED) {
        linkedMatches.push({ i, j, matches: shared });
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, number[]>();
  ids.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  const parties: Party[] = [];
  const inParty = new Set<number>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const root = find(members[0]);
    const matches = new Set<string>();
    for (const l of linkedMatches) if (find(l.i) === root) l.matches.forEach((m) => matches.add(m));
    members.forEach((i) => inParty.add(i));
    parties.push({
      members: members.map((i) => ids[i]),
      sharedMatches: matches.size,
      wonMatches: [...matches].filter((m) => wonShared.has(m)).length,
    });
  }
  parties.sort((a, b) => b.members.length - a.members.length || b.sharedMatches - a.sharedMatches);
  duos.sort((x, y) => y.matches - x.matches || y.wins - x.wins);
  const withSides = ids.filter((_, i) => sides[i].size > 0);
  const soloPlayers =
    withSides.length === 0 ? null : ids.filter((_, i) => sides[i].size > 0 && !inParty.has(i)).length;
  return { parties, soloPlayers, duos };
}
