/** The progress message's content, from the match and each player's data (pure: the workflow uses it too). */
import type { ProgressLine, ProgressLobby } from '../workflow-types';
import type { MatchInfo, PlayerInput } from './types';

/** The rosters and the map, as the progress message shows them before any player's stats. */
export function progressLobby(match: MatchInfo): ProgressLobby {
  return {
    map: match.pickedMap,
    teams: (['faction1', 'faction2'] as const).map((f) => ({
      name: match.factions[f].name,
      players: match.factions[f].roster.map((r) => ({
        playerId: r.playerId,
        nickname: r.nickname,
        level: r.skillLevel,
      })),
    })),
  };
}

export const NO_LINE: ProgressLine = { elo: null, level: null, kd: null, adr: null, matches: 0 };

/** A player's first figures: ELO and level, K/D and ADR over the recent window. */
export function progressLine(p: PlayerInput): ProgressLine {
  const recent = p.recent ?? [];
  const kills = recent.reduce((n, m) => n + m.kills, 0);
  const deaths = recent.reduce((n, m) => n + m.deaths, 0);
  const adrs = recent.map((m) => m.adr).filter((x): x is number => x !== null);
  return {
    elo: p.details?.elo ?? null,
    level: p.details?.level ?? null,
    kd: recent.length && deaths > 0 ? Math.round((kills / deaths) * 100) / 100 : null,
    adr: adrs.length ? Math.round((adrs.reduce((a, b) => a + b, 0) / adrs.length) * 10) / 10 : null,
    matches: recent.length,
  };
}
