/**
 * What the stats workflows take and return: small JSON shapes (they travel through Temporal's history), which the
 * bot turns into text. Times are epoch milliseconds; a figure FACEIT did not send is null.
 */

/** How a user names a player (parsed from what they type, src/bot-kit/parse.ts). */
export type { PlayerRef } from '../../bot-kit/parse';

export interface PlayerCard {
  playerId: string;
  nickname: string;
  country: string | null;
  region: string | null;
  elo: number | null;
  level: number | null;
  steamId64: string | null;
}

/** Expected misses are answers, not failures: the bot explains them and nothing is retried. */
export type LookupFailure = 'not-found' | 'no-cs2';
export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: LookupFailure };

/** FACEIT's extended lifetime figures, the basis of the role (see src/analysis/role.ts). */
export interface RoleFigures {
  entryRate: number | null;
  sniperKillRate: number | null;
  utilityDamagePerRound: number | null;
  enemiesFlashedPerRound: number | null;
  flashSuccessRate: number | null;
}

export interface LifetimeFigures {
  matches: number | null;
  wins: number | null;
  winRatePercent: number | null;
  kd: number | null;
  hsPercent: number | null;
  adr: number | null;
  currentWinStreak: number | null;
  longestWinStreak: number | null;
  /** Newest first (FACEIT sends them oldest first). */
  recentResults: boolean[];
  role: RoleFigures;
}

export interface MapRecord {
  /** Display name as FACEIT's segments give it, e.g. "Mirage". */
  map: string;
  matches: number;
  winRatePercent: number | null;
  kd: number | null;
}

export interface LifetimeData {
  lifetime: LifetimeFigures;
  maps: MapRecord[];
}

export interface ProfileData extends Partial<LifetimeData> {
  player: PlayerCard;
}

/** One finished match from the player's side. */
export interface MatchLine {
  matchId: string;
  finishedAt: number | null;
  /** `de_mirage` style. */
  map: string | null;
  win: boolean | null;
  ownScore: number | null;
  opponentScore: number | null;
  kills: number | null;
  deaths: number | null;
  assists: number | null;
  kd: number | null;
  adr: number | null;
  hsPercent: number | null;
  rounds: number | null;
  mvps: number | null;
}

export interface ScoreboardPlayer {
  playerId: string;
  nickname: string;
  kills: number | null;
  deaths: number | null;
  assists: number | null;
  kd: number | null;
  adr: number | null;
  hsPercent: number | null;
  mvps: number | null;
}

export interface ScoreboardTeam {
  name: string;
  score: number | null;
  win: boolean | null;
  players: ScoreboardPlayer[];
}

export interface Scoreboard {
  matchId: string;
  map: string | null;
  rounds: number | null;
  teams: ScoreboardTeam[];
}

export interface LastMatchData {
  line: MatchLine;
  /** Null when FACEIT has no stats for the match (yet). */
  scoreboard: Scoreboard | null;
}

export interface FormInput {
  matches: MatchLine[];
  lifetime: LifetimeFigures | null;
}

export interface CompareSide extends ProfileData {
  recent: MatchLine[];
}
