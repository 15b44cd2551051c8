import type { MatchStatsPlayer, MatchStatsRound, PlayerMatchStats } from '../faceit';

/**
 * Pure match logic of monitoring: which of a player's recent matches a chat has not heard about yet, the player's
 * line in a match, and the ELO change a match caused, judged from the bot's own ELO snapshots.
 */

export interface MultiKills {
  k2: number;
  k3: number;
  k4: number;
  k5: number;
}

/** One player's line in a finished match. */
export interface PlayerLine {
  playerId: string;
  nickname: string;
  win?: boolean;
  kills?: number;
  deaths?: number;
  assists?: number;
  kd?: number;
  adr?: number;
  hsPercent?: number;
  multiKills: MultiKills;
}

/** A finished match as one player's /games/cs2/stats item shows it. */
export interface FinishedMatch {
  matchId: string;
  /** Epoch ms. */
  finishedAt: number;
  map?: string;
  /** From the player's team's point of view. */
  ownScore?: number;
  oppScore?: number;
  line: PlayerLine;
}

export interface Cursor {
  matchId: string | null;
  finishedAt: number | null;
}

export function toFinishedMatch(
  item: PlayerMatchStats,
  playerId: string,
  nickname: string,
): FinishedMatch | undefined {
  const finishedAt = item.finishedAt ?? (item.createdAt ? Date.parse(item.createdAt) : NaN);
  if (!Number.isFinite(finishedAt)) return undefined;
  const [a, b] = (item.score ?? '').split('/').map((s) => Number(s.trim()));
  let ownScore = item.finalScore;
  let oppScore: number | undefined;
  if (Number.isFinite(a) && Number.isFinite(b)) {
    if (ownScore === a) oppScore = b;
    else if (ownScore === b) oppScore = a;
    else if (item.win !== undefined) {
      // No final score: the winner has the higher one.
      ownScore = item.win ? Math.max(a, b) : Math.min(a, b);
      oppScore = item.win ? Math.min(a, b) : Math.max(a, b);
    }
  }
  return {
    matchId: item.matchId,
    finishedAt,
    map: item.map,
    ownScore,
    oppScore,
    line: playerLine(playerId, item.nickname ?? nickname, item),
  };
}

/**
 * The matches (newest first in, oldest first out) that came after a chat's cursor. Stops at the cursor match or at
 * anything not newer than the cursor's time. `cursorFound` is false when the cursor match id is not among them
 * (it is older than the page, or unknown): the caller then only moves the cursor, to avoid a flood.
 */
export function matchesAfter(
  matches: readonly FinishedMatch[],
  cursor: Cursor,
): { matches: FinishedMatch[]; cursorFound: boolean } {
  const out: FinishedMatch[] = [];
  let cursorFound = cursor.matchId === null;
  for (const m of matches) {
    if (cursor.matchId !== null && m.matchId === cursor.matchId) {
      cursorFound = true;
      break;
    }
    if (cursor.finishedAt !== null && m.finishedAt < cursor.finishedAt) {
      cursorFound = true;
      break;
    }
    out.push(m);
  }
  return { matches: out.reverse(), cursorFound: cursorFound || cursor.finishedAt !== null };
}

export interface EloPoint {
  elo: number;
  /** Epoch ms. */
  at: number;
}

/**
 * ELO change caused by the match at `index` of `matches` (newest first): the ELO seen after it minus the ELO seen
 * before it, where "before" must lie between the previous match's end and this one's, and "after" between this
 * match's end and the next one's (for the newest match: `current`, seen just now). Unknown (undefined) when the
 * snapshots do not bracket the match alone; a wrong number is worse than none.
 */
export function eloChange(
  matches: readonly FinishedMatch[],
  index: number,
  snapshots: readonly EloPoint[],
  current?: EloPoint,
): { elo?: number; eloDelta?: number } {
  const match = matches[index];
  const previousEnd = matches[index + 1]?.finishedAt;
  const nextEnd = index > 0 ? matches[index - 1].finishedAt : undefined;
  let before: EloPoint | undefined;
  for (const s of snapshots) {
    if (s.at > match.finishedAt) continue;
    if (previousEnd !== undefined && s.at < previousEnd) continue;
    if (!before || s.at > before.at) before = s;
  }
  let after: EloPoint | undefined;
  if (index === 0) {
    after = current;
  } else {
    for (const s of snapshots) {
      if (s.at <= match.finishedAt || (nextEnd !== undefined && s.at > nextEnd)) continue;
      if (!after || s.at < after.at) after = s;
    }
  }
  if (!after) return {};
  return { elo: after.elo, eloDelta: before ? after.elo - before.elo : undefined };
}

/** A player's line from /matches/{id}/stats (co-tracked players of a chat who played the same match). */
export function lineFromMatchStats(round: MatchStatsRound, playerId: string): PlayerLine | undefined {
  for (const team of round.teams) {
    const p: MatchStatsPlayer | undefined = team.players.find((x) => x.player_id === playerId);
    if (!p) continue;
    return playerLine(playerId, p.nickname ?? playerId, p.stats);
  }
  return undefined;
}

/** The stat keys a player's line reads; both FACEIT's per-player match list and a match's scoreboard carry them. */
type LineStats = Pick<
  PlayerMatchStats,
  | 'win'
  | 'kills'
  | 'deaths'
  | 'assists'
  | 'kdRatio'
  | 'adr'
  | 'headshotsPercent'
  | 'doubleKills'
  | 'tripleKills'
  | 'quadroKills'
  | 'pentaKills'
>;

function playerLine(playerId: string, nickname: string, s: LineStats): PlayerLine {
  return {
    playerId,
    nickname,
    win: s.win,
    kills: s.kills,
    deaths: s.deaths,
    assists: s.assists,
    kd: s.kdRatio ?? (s.kills !== undefined && s.deaths ? s.kills / s.deaths : undefined),
    adr: s.adr,
    hsPercent: s.headshotsPercent,
    multiKills: {
      k2: s.doubleKills ?? 0,
      k3: s.tripleKills ?? 0,
      k4: s.quadroKills ?? 0,
      k5: s.pentaKills ?? 0,
    },
  };
}

export const roomUrl = (matchId: string, locale: 'ru' | 'en' = 'en') =>
  `https://www.faceit.com/${locale}/cs2/room/${encodeURIComponent(matchId)}`;
