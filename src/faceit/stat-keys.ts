/**
 * FACEIT's stat keys (spelled exactly as in the recorded samples) → the names the product uses. Each map is read
 * leniently: a missing or non-numeric key simply leaves its name undefined, because FACEIT's key sets drift.
 */

/** Extended-stats keys shared by `lifetime` and the per-map segments of /players/{id}/stats/cs2. */
const EXTENDED = {
  adr: 'ADR',
  entryRate: 'Entry Rate',
  entrySuccessRate: 'Entry Success Rate',
  oneVsOneWinRate: '1v1 Win Rate',
  oneVsTwoWinRate: '1v2 Win Rate',
  utilityDamagePerRound: 'Utility Damage per Round',
  utilityDamageSuccessRate: 'Utility Damage Success Rate',
  utilitySuccessRate: 'Utility Success Rate',
  utilityUsagePerRound: 'Utility Usage per Round',
  flashSuccessRate: 'Flash Success Rate',
  flashesPerRound: 'Flashes per Round',
  enemiesFlashedPerRound: 'Enemies Flashed per Round',
  /**
   * Misnamed by FACEIT (shared/faceit-api/README.md): in lifetime blocks `Sniper Kill Rate` tracks sniper kills per
   * *round* and `Sniper Kill Rate per Round` sniper kills per *kill*, both rounded to 2 decimals. Prefer the totals.
   */
  sniperKillRate: 'Sniper Kill Rate',
  sniperKillRatePerRound: 'Sniper Kill Rate per Round',
  totalSniperKills: 'Total Sniper Kills',
  totalKillsExtended: 'Total Kills with extended stats',
  totalRoundsExtended: 'Total Rounds with extended stats',
  /** Matches that carry extended stats (fewer than `matches` for old accounts). */
  totalMatchesExtended: 'Total Matches',
  totalDamage: 'Total Damage',
  totalEntryCount: 'Total Entry Count',
  totalEntryWins: 'Total Entry Wins',
  totalOneVsOneCount: 'Total 1v1 Count',
  totalOneVsOneWins: 'Total 1v1 Wins',
  totalOneVsTwoCount: 'Total 1v2 Count',
  totalOneVsTwoWins: 'Total 1v2 Wins',
  totalUtilityCount: 'Total Utility Count',
  totalUtilitySuccesses: 'Total Utility Successes',
  totalUtilityDamage: 'Total Utility Damage',
  totalFlashCount: 'Total Flash Count',
  totalFlashSuccesses: 'Total Flash Successes',
  totalEnemiesFlashed: 'Total Enemies Flashed',
} as const;

export const LIFETIME_STATS = {
  ...EXTENDED,
  matches: 'Matches',
  wins: 'Wins',
  winRatePercent: 'Win Rate %',
  /** The K/D ratio. (`K/D Ratio` in lifetime is a sum over matches: see kdRatioSum.) */
  kdRatio: 'Average K/D Ratio',
  kdRatioSum: 'K/D Ratio',
  /** The headshot percentage. (`Total Headshots %` is a sum over matches.) */
  headshotsPercent: 'Average Headshots %',
  headshotsPercentSum: 'Total Headshots %',
  currentWinStreak: 'Current Win Streak',
  longestWinStreak: 'Longest Win Streak',
} as const;

export const SEGMENT_STATS = {
  ...LIFETIME_STATS,
  kills: 'Kills',
  deaths: 'Deaths',
  assists: 'Assists',
  headshots: 'Headshots',
  rounds: 'Rounds',
  mvps: 'MVPs',
  tripleKills: 'Triple Kills',
  quadroKills: 'Quadro Kills',
  pentaKills: 'Penta Kills',
  averageKills: 'Average Kills',
  averageDeaths: 'Average Deaths',
  averageAssists: 'Average Assists',
  averageMvps: 'Average MVPs',
  averageTripleKills: 'Average Triple Kills',
  averageQuadroKills: 'Average Quadro Kills',
  averagePentaKills: 'Average Penta Kills',
  headshotsPerMatch: 'Headshots per Match',
  /** Kills per round. (`K/R Ratio` in a segment is a sum over matches: see krRatioSum.) */
  krRatio: 'Average K/R Ratio',
  krRatioSum: 'K/R Ratio',
} as const;

/** Per-match keys common to /players/{id}/games/cs2/stats and /matches/{id}/stats (here they are real ratios). */
const MATCH_COMMON = {
  kills: 'Kills',
  deaths: 'Deaths',
  assists: 'Assists',
  headshots: 'Headshots',
  headshotsPercent: 'Headshots %',
  kdRatio: 'K/D Ratio',
  krRatio: 'K/R Ratio',
  adr: 'ADR',
  damage: 'Damage',
  mvps: 'MVPs',
  doubleKills: 'Double Kills',
  tripleKills: 'Triple Kills',
  quadroKills: 'Quadro Kills',
  pentaKills: 'Penta Kills',
  /** 1 = win, 0 = loss. */
  result: 'Result',
} as const;

export const PLAYER_MATCH_STATS = {
  ...MATCH_COMMON,
  rounds: 'Rounds',
  finalScore: 'Final Score',
  firstHalfScore: 'First Half Score',
  secondHalfScore: 'Second Half Score',
  overtimeScore: 'Overtime score',
  bestOf: 'Best Of',
  matchRound: 'Match Round',
  /** Epoch milliseconds (a number, not a string, in the samples). */
  finishedAt: 'Match Finished At',
} as const;

export const PLAYER_MATCH_STATS_TEXT = {
  playerId: 'Player Id',
  nickname: 'Nickname',
  /** `de_inferno` style. */
  map: 'Map',
  /** "faction1 score / faction2 score", e.g. "11 / 13". */
  score: 'Score',
  /** The player's team name. */
  team: 'Team',
  /** The winning team's id. */
  winner: 'Winner',
  region: 'Region',
  game: 'Game',
  gameMode: 'Game Mode',
  competitionId: 'Competition Id',
  createdAt: 'Created At',
  updatedAt: 'Updated At',
} as const;

export const MATCH_PLAYER_STATS = {
  ...MATCH_COMMON,
  firstKills: 'First Kills',
  entryCount: 'Entry Count',
  entryWins: 'Entry Wins',
  entryRate: 'Match Entry Rate',
  entrySuccessRate: 'Match Entry Success Rate',
  sniperKills: 'Sniper Kills',
  sniperKillRatePerRound: 'Sniper Kill Rate per Round',
  sniperKillRatePerMatch: 'Sniper Kill Rate per Match',
  pistolKills: 'Pistol Kills',
  knifeKills: 'Knife Kills',
  zeusKills: 'Zeus Kills',
  clutchKills: 'Clutch Kills',
  oneVsOneCount: '1v1Count',
  oneVsOneWins: '1v1Wins',
  oneVsTwoCount: '1v2Count',
  oneVsTwoWins: '1v2Wins',
  oneVsOneWinRate: 'Match 1v1 Win Rate',
  oneVsTwoWinRate: 'Match 1v2 Win Rate',
  utilityCount: 'Utility Count',
  utilitySuccesses: 'Utility Successes',
  utilityDamage: 'Utility Damage',
  utilityEnemies: 'Utility Enemies',
  utilityUsagePerRound: 'Utility Usage per Round',
  utilityDamagePerRound: 'Utility Damage per Round in a Match',
  utilitySuccessRate: 'Utility Success Rate per Match',
  utilityDamageSuccessRate: 'Utility Damage Success Rate per Match',
  flashCount: 'Flash Count',
  flashSuccesses: 'Flash Successes',
  flashSuccessRate: 'Flash Success Rate per Match',
  flashesPerRound: 'Flashes per Round in a Match',
  enemiesFlashed: 'Enemies Flashed',
  enemiesFlashedPerRound: 'Enemies Flashed per Round in a Match',
} as const;

export const TEAM_STATS = {
  win: 'Team Win',
  headshots: 'Team Headshots',
  finalScore: 'Final Score',
  firstHalfScore: 'First Half Score',
  secondHalfScore: 'Second Half Score',
  overtimeScore: 'Overtime score',
} as const;

export const ROUND_STATS_TEXT = {
  winner: 'Winner',
  score: 'Score',
  map: 'Map',
  region: 'Region',
} as const;

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** FACEIT sends most numbers as strings ("1.12", "54"); garbage and empty strings become undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function numbersFrom<S extends Record<string, string>>(
  raw: Record<string, unknown>,
  spec: S,
): { [K in keyof S]?: number } {
  const out: { [K in keyof S]?: number } = {};
  for (const name of Object.keys(spec) as (keyof S)[]) {
    const value = toNumber(raw[spec[name]]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function textFrom<S extends Record<string, string>>(
  raw: Record<string, unknown>,
  spec: S,
): { [K in keyof S]?: string } {
  const out: { [K in keyof S]?: string } = {};
  for (const name of Object.keys(spec) as (keyof S)[]) {
    const value = raw[spec[name]];
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number') out[name] = String(value);
  }
  return out;
}
