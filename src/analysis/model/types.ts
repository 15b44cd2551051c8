/**
 * Domain types of the pre-match lobby analysis.
 *
 * The analysis module is pure: no I/O, no clock, no randomness. Its input is a clean, already-coerced view of the
 * FACEIT responses (every FACEIT stat arrives as a string; the adapter turns them into numbers and omits what is
 * absent). Input and output are plain JSON-serialisable objects (no Map, no Date, no class instances), so they can
 * travel through Temporal payloads and caches unchanged.
 */

export type FactionId = 'faction1' | 'faction2';

// ---------------------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------------------

/** One roster entry of `GET /matches/{id}` → `teams.factionN.roster[]`. */
export interface RosterEntry {
  /** `player_id` */
  playerId: string;
  /** `nickname` (untrusted text: escape before rendering) */
  nickname: string;
  /** `game_skill_level` (1–10) when present. */
  skillLevel: number | null;
}

/** `teams.faction1` / `teams.faction2` of `GET /matches/{id}`. */
export interface MatchFaction {
  /** `name` (untrusted text: escape before rendering) */
  name: string;
  roster: RosterEntry[];
}

/** The match room, from `GET /matches/{id}`. */
export interface MatchInfo {
  /** `match_id`, e.g. `1-bb13fd78-e183-4d37-8a4b-ceed67da5265` */
  matchId: string;
  /** `status`, upper case as FACEIT sends it (`READY`, `ONGOING`, `VOTING`, `FINISHED`, `CANCELLED`, ...). */
  status: string;
  /** `voting.map.pick[0]`, e.g. `de_mirage`; null while the map is not picked yet. */
  pickedMap: string | null;
  /** `voting.map.entities[].class_name` when present: the maps of this match's pool. Empty/absent → active duty. */
  mapPool?: string[];
  /** `competition_name` */
  competitionName?: string | null;
  /** `best_of` (1 for a matchmaking BO1). Absent in analyses stored before it was read. */
  bestOf?: number | null;
  /**
   * FACEIT's own win probability of each faction (`teams.factionN.stats.winProbability`, 0–1), which matchmaking
   * rooms may carry; null when the payload has none (championship matches, older rooms).
   */
  faceitWinProbability?: Record<FactionId, number> | null;
  /** `region` */
  region?: string | null;
  /**
   * `started_at` (epoch ms): when the match started; null (or absent, in analyses stored before it was read) while
   * it has not. A prediction made after it is never scored (src/predictions, match_predictions).
   */
  startedAt?: number | null;
  factions: Record<FactionId, MatchFaction>;
}

/** `GET /players/{id}` → the CS2 game block and the profile. */
export interface PlayerDetails {
  /** `games.cs2.faceit_elo` */
  elo: number | null;
  /** `games.cs2.skill_level` */
  level: number | null;
  /** `country` (ISO 3166 alpha-2, lower case as FACEIT sends it) */
  country: string | null;
  /** `activated_at` (epoch ms): when the FACEIT account was created. Absent in inputs stored before it was read. */
  activatedAt?: number | null;
}

/**
 * One item of `GET /players/{id}/games/cs2/stats` → `items[].stats`, numbers coerced.
 * FACEIT's key set changes over time: everything except the identifiers may be missing, so every extended figure
 * is optional and the core figures accept null.
 */
export interface RecentMatchStats {
  /** `Match Id` */
  matchId: string;
  /** `Match Finished At` (epoch ms) */
  finishedAt: number | null;
  /** `Map`, e.g. `de_inferno` (any spelling accepted: it is normalised) */
  map: string | null;
  /**
   * `Team`: the name of the player's side in that match (e.g. `team_csourcerer`). Two players with the same
   * `Match Id` and `Team` were teammates there (parties.ts). Absent in inputs stored before it was read.
   */
  team?: string | null;
  /** `Result` === "1"; null when `Result` is missing (unknown, not a loss). */
  win: boolean | null;
  /** `Kills` */
  kills: number;
  /** `Deaths` */
  deaths: number;
  /** `Assists` */
  assists: number;
  /** `ADR` (may be missing in old matches) */
  adr: number | null;
  /** `Headshots %` (0–100) */
  hsPercent: number | null;
  /** `K/R Ratio` */
  kr: number | null;
  /** `Rounds` */
  rounds: number | null;
  /** `Score`, e.g. "13 / 11" (used to derive rounds when `Rounds` is missing) */
  score: string | null;
  /** `MVPs` */
  mvps?: number;
  // Extended keys, present in newer responses (same names as in `/matches/{id}/stats`):
  /** `Entry Count` (opening duels taken) */
  entryCount?: number;
  /** `Entry Wins` (opening duels won) */
  entryWins?: number;
  /** `First Kills` */
  firstKills?: number;
  /** `Sniper Kills` */
  sniperKills?: number;
  /** `Utility Damage` */
  utilityDamage?: number;
  /** `Utility Count` (grenades thrown) */
  utilityCount?: number;
  /** `Flash Count` */
  flashCount?: number;
  /** `Flash Successes` */
  flashSuccesses?: number;
  /** `Enemies Flashed` */
  enemiesFlashed?: number;
  /** `1v1Count` */
  clutch1v1Count?: number;
  /** `1v1Wins` */
  clutch1v1Wins?: number;
  /** `1v2Count` */
  clutch1v2Count?: number;
  /** `1v2Wins` */
  clutch1v2Wins?: number;
  /** `Double Kills` */
  doubleKills?: number;
  /** `Triple Kills` */
  tripleKills?: number;
  /** `Quadro Kills` */
  quadroKills?: number;
  /** `Penta Kills` */
  pentaKills?: number;
}

/** One `segments[]` entry (`type: "Map"`, `mode: "5v5"`) of `GET /players/{id}/stats/cs2`. */
export interface LifetimeMapSegment {
  /** `label`, a display name such as "Inferno" or "Dust2" (normalised to `de_inferno` by the analysis). */
  label: string;
  /** `Matches` */
  matches: number;
  /** `Wins` when present (otherwise derived from `winRate`). */
  wins?: number | null;
  /** `Win Rate %` (0–100) */
  winRate: number | null;
  /** `Average K/D Ratio` (not `K/D Ratio`, which is a sum over matches) */
  kd: number | null;
  /** `ADR` */
  adr?: number | null;
  /** `Average Headshots %` */
  hsPercent?: number | null;
  /** `Kills`, `Deaths`, `Assists`, `Rounds` totals: when all present they give exact per-round figures. */
  kills?: number | null;
  deaths?: number | null;
  assists?: number | null;
  rounds?: number | null;
}

/** `GET /players/{id}/stats/cs2` → `lifetime` (+ `segments`), numbers coerced. */
export interface LifetimeStats {
  /** `Matches` */
  matches: number;
  /** `Wins` */
  wins?: number | null;
  /** `Win Rate %` (0–100) */
  winRate: number | null;
  /** `Average K/D Ratio` */
  kd: number | null;
  /** `Average Headshots %` (0–100) */
  hsPercent: number | null;
  /** `ADR` */
  adr: number | null;
  /** `Entry Rate`: opening duels taken per round (population average ≈ 0.2). */
  entryRate?: number | null;
  /** `Entry Success Rate` (0–1) */
  entrySuccessRate?: number | null;
  /** Share of kills made with a sniper rifle (0–1), from `Total Sniper Kills` / `Total Kills with extended stats`. */
  sniperKillRate?: number | null;
  /** `Utility Damage per Round` */
  utilityDamagePerRound?: number | null;
  /** `Flash Success Rate` (0–1) */
  flashSuccessRate?: number | null;
  /** `Enemies Flashed per Round` */
  enemiesFlashedPerRound?: number | null;
  /**
   * `Recent Results` ("1"/"0" → true/false) in FACEIT's order, which is oldest first: the last entry is the newest
   * (it agrees with `Current Win Streak`).
   */
  recentResults?: boolean[];
  /** `segments[]` of type Map. */
  maps?: LifetimeMapSegment[];
}

/**
 * Everything fetched for one player. A fetch that failed is null; a player with no CS2 matches has `recent: []`.
 * A player absent from `LobbyInput.players` is treated as "no data" (all null).
 */
export interface PlayerInput {
  details: PlayerDetails | null;
  /** The last 20–30 matches, newest first (order is re-established by `finishedAt` when present). */
  recent: RecentMatchStats[] | null;
  lifetime?: LifetimeStats | null;
  /**
   * When FACEIT gave `lifetime` (epoch ms): lifetime stats may be served from the cache for days
   * (src/faceit/cache-policy.ts). Only the report's age line reads it, never a figure of the model. Absent when
   * unknown (and in inputs stored before it was recorded).
   */
  lifetimeFetchedAt?: number;
  /**
   * How many recent matches were asked for: a shorter window is the player's whole CS2 history (so its length is
   * his match count). Absent in inputs stored before it was recorded.
   */
  recentLimit?: number;
}

export interface LobbyInput {
  match: MatchInfo;
  /**
   * The moment the analysis is about (epoch ms; the workflow's start time): account ages are counted up to it.
   * Without it no account age is given (the analysis has no clock of its own).
   */
  asOf?: number;
  /** Keyed by `player_id`. */
  players: Readonly<Record<string, PlayerInput | undefined>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------------

export type Role = 'awper' | 'entry' | 'support' | 'rifler';
export type Confidence = 'low' | 'medium' | 'high';
export type ThreatLevel = 1 | 2 | 3 | 4 | 5;
export type StatsSource = 'recent' | 'lifetime' | 'none';

/** Per-map record of one player. */
export interface PlayerMapRecord {
  /** Normalised map id, e.g. `de_inferno`. */
  map: string;
  matches: number;
  wins: number;
  /** 0–1 */
  winRate: number;
  kd: number | null;
  /** HLTV-2.0-style rating on the map (rating.ts), when kills, deaths and rounds are known there. */
  rating?: number | null;
  source: 'recent' | 'lifetime';
}

export interface ThreatBreakdown {
  rating: number;
  winRate: number;
  kd: number;
  recent: number;
  elo: number;
}

export interface ThreatAssessment {
  level: ThreatLevel;
  /** Sum of the breakdown (before flooring and clamping). */
  points: number;
  breakdown: ThreatBreakdown;
  /** The values actually scored, after shrinkage toward the player's prior. */
  scored: { rating: number; winRate: number; kd: number };
  /** Weight of the player's own recent sample in the rating estimate: n / (n + k). 1 = unshrunk. */
  sampleWeight: number;
}

export interface PlayerFlags {
  /** Nothing could be fetched (or nothing useful came back). */
  noData: boolean;
  /** Fewer than SMALL_SAMPLE matches behind the figures. */
  smallSample: boolean;
  /** Few matches + high stats, or low level + high rating. */
  possibleSmurf: boolean;
}

/**
 * New-account and smurf signals of one player (signals.ts), each with its number: signals, not verdicts.
 * `smurf` is set only where a new account (young or few matches) AND at least two performance figures above the
 * level's norm agree.
 */
export interface PlayerSignals {
  /** Days from `activated_at` to the analysis; null when either is unknown. */
  accountDays: number | null;
  /** The player's CS2 matches: lifetime `Matches`, or the recent window when it is shorter than asked (all of them). */
  matches: number | null;
  /** The account is young (< NEW_ACCOUNT_DAYS) or has few matches (< NEW_ACCOUNT_MATCHES). */
  newAccount: boolean;
  /** Figures above the level's norm (with enough matches behind them), with their values. */
  high: { kd: number | null; adr: number | null; winRate: number | null };
  /** A new account and at least two high figures: "smurf?". */
  smurf: boolean;
}

export interface PlayerAnalysis {
  playerId: string;
  nickname: string;
  faction: FactionId;
  elo: number | null;
  level: number | null;
  country: string | null;
  source: StatsSource;
  /** Number of matches behind kd/adr/hs/winRate/rating. */
  matches: number;
  kd: number | null;
  adr: number | null;
  hsPercent: number | null;
  /** 0–1 */
  winRate: number | null;
  kpr: number | null;
  dpr: number | null;
  /** HLTV-2.0-style estimate (see rating.ts). */
  rating: number | null;
  /** Last up to 10 results, newest first. */
  form: ('W' | 'L')[];
  role: Role | null;
  flags: PlayerFlags;
  maps: PlayerMapRecord[];
  threat: ThreatAssessment | null;
  /** Absent in analyses stored before signals existed. */
  signals?: PlayerSignals;
  /** What the win-probability model reads of this player (prediction.ts); absent in older analyses. */
  modelStats?: PlayerModelStats;
}

/** One player's figures behind the model's team aggregates; null where unknown. */
export interface PlayerModelStats {
  /** The previous 10 matches (the newest of the recent window). */
  recentRating: number | null;
  recentWinRate: number | null;
  recentKd: number | null;
  /** The lifetime endpoint's figures. */
  lifetimeRating: number | null;
  lifetimeWinRate: number | null;
  lifetimeKd: number | null;
}

/**
 * One team's pre-match aggregates: the input of the win-probability model and one side of a `npm run model:score`
 * line (docs/model-score.md). Team means over the players whose figure is known; null where no player's is.
 */
export interface TeamAggregates {
  mean_elo: number | null;
  elo_stddev: number | null;
  recent_rating: number | null;
  recent_win_rate: number | null;
  recent_kd: number | null;
  map_rating: number | null;
  map_win_rate: number | null;
  map_kd: number | null;
  lifetime_rating: number | null;
  lifetime_win_rate: number | null;
  lifetime_kd: number | null;
  solo_players: number | null;
  parties: number | null;
  mean_matches: number | null;
}

/** The model's terms for faction1 (logits, faction1 minus faction2), weights.ts. */
export interface PredictionTerms {
  elo: number;
  recentRating: number;
  mapRating: number;
  mapWinRate: number;
  form: number;
  soloPlayers: number;
}

/**
 * Players of one team who were on the same side (`Match Id` + `Team`) in at least PARTY_MIN_SHARED of their recent
 * matches, linked transitively: a likely party (parties.ts).
 */
export interface Party {
  /** Player ids, in the team's roster order. */
  members: string[];
  /** Distinct recent matches in which at least two of the members played on the same side. */
  sharedMatches: number;
  /** Of those, the ones their side won (absent in analyses stored before it was counted). */
  wonMatches?: number;
}

/** Two players of one team who played on the same side before, from their recent matches. */
export interface Duo {
  a: string;
  b: string;
  /** Recent matches on the same side. */
  matches: number;
  /** Of those, the ones won (null results are not counted). */
  wins: number;
}

export interface TeamAnalysis {
  faction: FactionId;
  name: string;
  /** Sorted by threat, most dangerous first; players without a threat last (roster order kept among equals). */
  players: PlayerAnalysis[];
  /** Average FACEIT ELO; missing ELOs are estimated from the skill level. Null when nothing is known. */
  avgElo: number | null;
  avgLevel: number | null;
  /** How many players' ELO had to be estimated from their level. */
  eloEstimated: number;
  playersWithData: number;
  /** Likely parties (absent in analyses stored before parties existed). */
  parties?: Party[];
  /**
   * Players with recent-match data who are in no party; null when no player of the team has side data
   * (`Team`) in their recent matches.
   */
  soloPlayers?: number | null;
  /** Pairs of this team's players who shared a side before, most shared first. */
  duos?: Duo[];
}

export interface EloStake {
  /** ELO won on a win (≈ 50·(1−p)) */
  gain: number;
  /** ELO lost on a loss (≈ 50·p) */
  loss: number;
}

export interface MapTeamScore {
  /** Final score in [0, 1] after shrinkage toward 0.5. */
  score: number;
  /** Player-matches behind the score. */
  matches: number;
  /** `matches` divided by the team's players (what the shrinkage and the confidence count). Absent in old rows. */
  matchesPerPlayer?: number;
  wins: number;
  winRate: number | null;
  kd: number | null;
}

/**
 * The expected edge on a map (maps.ts), seen from faction1, in percentage points of win probability at an even
 * match, with its uncertainty: `points ± margin` is a 95 % interval. `likely` names the side whose edge the interval
 * does not cross zero for; null = unclear.
 */
export interface MapEdge {
  points: number;
  margin: number;
  likely: FactionId | null;
  /**
   * Team means behind it, faction1 minus faction2: shrunk win rate on the map (0–1), and the shrunk rating on the
   * map above each player's own overall rating.
   */
  winRateDiff: number;
  ratingDiff: number;
}

export interface MapAnalysis {
  map: string;
  picked: boolean;
  teams: Record<FactionId, MapTeamScore>;
  /** Absent in analyses stored before it existed (they show the old score table). */
  edge?: MapEdge;
  /** faction1.score − faction2.score */
  advantage: number;
  /** The faction with |advantage| ≥ MAP_THRESHOLD, else null. */
  favoured: FactionId | null;
  confidence: Confidence;
}

export interface LobbyAnalysis {
  matchId: string;
  status: string;
  competitionName: string | null;
  region: string | null;
  pickedMap: string | null;
  teams: Record<FactionId, TeamAnalysis>;
  lobbyAvgElo: number | null;
  /**
   * "ELO alone", the baseline: FACEIT's ELO formula on the team averages recalibrated with the fitted slope
   * (weights.ts, eloSlope 0.70); null when ELO is unknown. Analyses stored before the recalibration hold the raw
   * formula.
   */
  winProbability: Record<FactionId, number> | null;
  /**
   * The bot's own win probability (prediction.ts: ELO alone plus the terms of weights.ts on the team aggregates);
   * what the report shows. Absent in analyses stored before it existed (the report then shows the ELO baseline).
   */
  modelWinProbability?: Record<FactionId, number> | null;
  /** The model's terms, faction1 minus faction2 (logits); older analyses stored another set. */
  predictionTerms?: PredictionTerms;
  /** Each team's aggregates the model read (a `model:score` line re-scores them); absent in older analyses. */
  modelInputs?: Record<FactionId, TeamAggregates>;
  eloAtStake: Record<FactionId, EloStake> | null;
  /**
   * Player ids by faction, most dangerous first: up to 3 players at threat ≥ 3, or the single most dangerous one
   * when nobody reaches 3. Players without a threat (no data) are never listed.
   */
  dangerous: Record<FactionId, string[]>;
  /** Player ids by faction, weakest first (at most 2, only players with a threat, not among `dangerous`). */
  weakest: Record<FactionId, string[]>;
  /** Picked map first, then by |edge|. */
  maps: MapAnalysis[];
  /** `best_of` of the match (absent in analyses stored before it was read). */
  bestOf?: number | null;
  /** Each team's likely bans (and BO3 pick) from its players' map records (absent in older analyses). */
  veto?: Record<FactionId, TeamVeto>;
  /** FACEIT's own win probability when the room carries one (a third baseline); null/absent otherwise. */
  faceitWinProbability?: Record<FactionId, number> | null;
  /**
   * Age (ms, up to `asOf`) of the oldest lifetime stats behind a per-map record of the map table: they may come from
   * the cache (src/faceit/cache-policy.ts). Null when no record is from lifetime stats or no fetch time is known.
   */
  mapRecordsAgeMs?: number | null;
}

/** A map in a team's likely veto (veto.ts), with the evidence. */
export interface VetoMap {
  map: string;
  matchesPerPlayer: number;
  /** Shrunk win rate on the map (0–1). */
  winRate: number;
  /** avoided: played under half the team's average; lost: among its lowest win rates; played: its likely pick. */
  reason: 'avoided' | 'lost' | 'played';
}

export interface TeamVeto {
  bans: VetoMap[];
  picks: VetoMap[];
}

export type LobbyRejection = 'finished' | 'cancelled' | 'not-two-teams';
