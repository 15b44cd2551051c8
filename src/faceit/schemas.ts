import { z } from 'zod';
import type { FaceitEndpoint } from './endpoints';
import { FaceitBadResponseError } from './errors';
import {
  LIFETIME_STATS,
  MATCH_PLAYER_STATS,
  PLAYER_MATCH_STATS,
  PLAYER_MATCH_STATS_TEXT,
  ROUND_STATS_TEXT,
  SEGMENT_STATS,
  TEAM_STATS,
  numbersFrom,
  textFrom,
  toNumber,
} from './stat-keys';

export { toNumber };

/**
 * zod schemas for the FACEIT Data API v4 bodies the product reads, built from the recorded samples in
 * shared/faceit-api. FACEIT is loose, so these are too: identifiers are required, every other key is optional,
 * numbers may arrive as strings, a value of the wrong type becomes `undefined` instead of failing the whole body,
 * and unknown keys are kept (passthrough) so nothing FACEIT adds later is lost. Stat maps ("Average K/D Ratio",
 * "Headshots %", ...) are exposed under camelCase names, with the raw map kept in `raw`; lifetime sums such as
 * `K/D Ratio` are exposed as `kdRatioSum`, never as a ratio.
 */

/** Optional number, possibly sent as a string; anything unparseable becomes undefined. */
const num = z.unknown().transform(toNumber);
/** Optional string; numbers are stringified, other types dropped. */
const str = z
  .unknown()
  .transform((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined));
const bool = z
  .unknown()
  .transform((v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined));
const strList = z
  .unknown()
  .transform((v) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined));
const id = z.string().min(1);
/** A list FACEIT may send as null or omit: always an array after parsing. */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
const statMap = z
  .record(z.unknown())
  .nullish()
  .transform((v) => v ?? {});

// ---------------------------------------------------------------- players

const gameSchema = z
  .object({
    region: str,
    game_player_id: str,
    skill_level: num,
    faceit_elo: num,
    game_player_name: str,
    skill_level_label: str,
    game_profile_id: str,
  })
  .passthrough();

export const playerSchema = z
  .object({
    player_id: id,
    nickname: id,
    avatar: str,
    country: str,
    cover_image: str,
    platforms: z.record(z.unknown()).optional().catch(undefined),
    games: z
      .record(z.unknown())
      .nullish()
      .transform((games) => {
        // One odd game entry (FACEIT has dozens) must not fail the player: keep the ones that parse.
        const out: Record<string, z.output<typeof gameSchema>> = {};
        for (const [name, value] of Object.entries(games ?? {})) {
          const parsed = gameSchema.safeParse(value);
          if (parsed.success) out[name] = parsed.data;
        }
        return out;
      }),
    settings: z.object({ language: str }).passthrough().optional().catch(undefined),
    friends_ids: strList,
    new_steam_id: str,
    steam_id_64: str,
    steam_nickname: str,
    memberships: strList,
    faceit_url: str,
    membership_type: str,
    verified: bool,
    activated_at: str,
  })
  .passthrough();

export type Player = z.output<typeof playerSchema>;
export type PlayerGame = z.output<typeof gameSchema>;

/** The player's CS2 profile (ELO, level, Steam id), or undefined when they have no CS2 data. */
export function cs2Of(player: Player): PlayerGame | undefined {
  return player.games.cs2;
}

export const searchPlayersSchema = z
  .object({
    items: list(
      z
        .object({
          player_id: id,
          nickname: id,
          status: str,
          games: list(z.object({ name: str, skill_level: num }).passthrough()),
          country: str,
          verified: bool,
          avatar: str,
        })
        .passthrough(),
    ),
    start: num,
    end: num,
  })
  .passthrough();

export type PlayerSearch = z.output<typeof searchPlayersSchema>;
export type PlayerSearchItem = PlayerSearch['items'][number];

// ---------------------------------------------------------------- lifetime stats (/players/{id}/stats/cs2)

const segmentSchema = z
  .object({
    label: str,
    img_small: str,
    img_regular: str,
    type: str,
    mode: str,
    stats: statMap,
  })
  .passthrough()
  .transform(({ stats, ...rest }) => ({
    ...rest,
    stats: { ...numbersFrom(stats, SEGMENT_STATS), raw: stats },
  }));

export const playerStatsSchema = z
  .object({
    player_id: id,
    game_id: str,
    lifetime: statMap.transform((raw) => ({
      ...numbersFrom(raw, LIFETIME_STATS),
      /** Oldest first, as FACEIT sends it: the last element is the most recent match (1 = win). */
      recentResults: Array.isArray(raw['Recent Results'])
        ? raw['Recent Results'].map(toNumber).filter((n): n is number => n !== undefined)
        : [],
      raw,
    })),
    segments: list(segmentSchema),
  })
  .passthrough();

export type PlayerStats = z.output<typeof playerStatsSchema>;
export type LifetimeStats = PlayerStats['lifetime'];
export type MapSegment = PlayerStats['segments'][number];

// ---------------------------------------------------------------- history (/players/{id}/history)

const historyPlayerSchema = z
  .object({
    player_id: id,
    nickname: str,
    avatar: str,
    skill_level: num,
    game_player_id: str,
    game_player_name: str,
    faceit_url: str,
  })
  .passthrough();

const historyTeamSchema = z
  .object({ team_id: str, nickname: str, avatar: str, type: str, players: list(historyPlayerSchema) })
  .passthrough();

const resultsSchema = z
  .object({
    winner: str,
    score: z
      .record(z.unknown())
      .nullish()
      .transform((s) => {
        const out: Record<string, number> = {};
        for (const [k, v] of Object.entries(s ?? {})) {
          const n = toNumber(v);
          if (n !== undefined) out[k] = n;
        }
        return out;
      }),
  })
  .passthrough();

const historyItemSchema = z
  .object({
    match_id: id,
    game_id: str,
    region: str,
    match_type: str,
    game_mode: str,
    max_players: num,
    teams_size: num,
    teams: z.record(historyTeamSchema).optional(),
    playing_players: strList,
    competition_id: str,
    competition_name: str,
    competition_type: str,
    organizer_id: str,
    /** Lower case here ("finished"), unlike /matches/{id}. */
    status: str,
    started_at: num,
    finished_at: num,
    /** null on a match still being played (FACEIT lists one from CONFIGURING on). */
    results: resultsSchema.nullish(),
    faceit_url: str,
  })
  .passthrough();

/**
 * One item shaped unlike the others must not cost the player's whole history (monitoring and briefs read it every
 * cycle): items that do not fit are left out and counted in `skippedItems` (the client's
 * `faceit_client_skipped_items_total`), the rest is used.
 */
export const playerHistorySchema = z
  .object({
    items: list(z.unknown()),
    start: num,
    end: num,
    from: num,
    to: num,
  })
  .passthrough()
  .transform((body) => {
    const items: z.output<typeof historyItemSchema>[] = [];
    let skippedItems = 0;
    for (const raw of body.items) {
      const item = historyItemSchema.safeParse(raw);
      if (item.success) items.push(item.data);
      else skippedItems++;
    }
    return { ...body, items, skippedItems };
  });

export type PlayerHistory = z.output<typeof playerHistorySchema>;
export type PlayerHistoryItem = PlayerHistory['items'][number];

// ---------------------------------------------------------------- per-match stats (/players/{id}/games/cs2/stats)

const playerMatchStatsItemSchema = z
  .object({ stats: z.object({ 'Match Id': id }).passthrough() })
  .passthrough()
  .transform(({ stats }) => {
    const raw: Record<string, unknown> = stats;
    const numbers = numbersFrom(raw, PLAYER_MATCH_STATS);
    return {
      matchId: stats['Match Id'],
      ...textFrom(raw, PLAYER_MATCH_STATS_TEXT),
      ...numbers,
      win: numbers.result === undefined ? undefined : numbers.result === 1,
      raw,
    };
  });

export const playerMatchStatsSchema = z
  .object({ items: list(playerMatchStatsItemSchema), start: num, end: num })
  .passthrough();

export type PlayerMatchStatsList = z.output<typeof playerMatchStatsSchema>;
export type PlayerMatchStats = PlayerMatchStatsList['items'][number];

// ---------------------------------------------------------------- match (/matches/{id})

const rosterPlayerSchema = z
  .object({
    player_id: id,
    nickname: str,
    avatar: str,
    membership: str,
    game_player_id: str,
    game_player_name: str,
    game_skill_level: num,
    anticheat_required: bool,
  })
  .passthrough();

const factionSchema = z
  .object({
    faction_id: str,
    leader: str,
    avatar: str,
    roster: list(rosterPlayerSchema),
    substitutes: list(rosterPlayerSchema),
    substituted: bool,
    name: str,
    type: str,
  })
  .passthrough();

const votingEntitySchema = z
  .object({ guid: str, name: str, class_name: str, game_map_id: str, game_location_id: str })
  .passthrough();
const votingSchema = z.object({ entities: list(votingEntitySchema), pick: strList }).passthrough();

export const matchSchema = z
  .object({
    match_id: id,
    version: num,
    game: str,
    region: str,
    competition_id: str,
    competition_type: str,
    competition_name: str,
    organizer_id: str,
    teams: z.record(factionSchema).optional(),
    voting: z
      .object({
        map: votingSchema.optional(),
        location: votingSchema.optional(),
        voted_entity_types: strList,
      })
      .passthrough()
      .optional()
      .catch(undefined),
    calculate_elo: bool,
    scheduled_at: num,
    configured_at: num,
    started_at: num,
    finished_at: num,
    demo_url: strList,
    chat_room_id: str,
    best_of: num,
    results: resultsSchema.optional().catch(undefined),
    /** Upper case: FINISHED, ONGOING, READY, VOTING, CONFIGURING, CANCELLED, ... */
    status: str,
    faceit_url: str,
  })
  .passthrough();

export type Match = z.output<typeof matchSchema>;
export type MatchFaction = NonNullable<Match['teams']>[string];
export type MatchRosterPlayer = MatchFaction['roster'][number];

// ---------------------------------------------------------------- match stats (/matches/{id}/stats)

const matchStatsPlayerSchema = z
  .object({ player_id: id, nickname: str, player_stats: statMap })
  .passthrough()
  .transform(({ player_stats, ...rest }) => {
    const numbers = numbersFrom(player_stats, MATCH_PLAYER_STATS);
    return {
      ...rest,
      stats: {
        ...numbers,
        win: numbers.result === undefined ? undefined : numbers.result === 1,
        raw: player_stats,
      },
    };
  });

const matchStatsTeamSchema = z
  .object({ team_id: id, premade: bool, team_stats: statMap, players: list(matchStatsPlayerSchema) })
  .passthrough()
  .transform(({ team_stats, ...rest }) => ({
    ...rest,
    teamStats: {
      name: textFrom(team_stats, { name: 'Team' }).name,
      ...numbersFrom(team_stats, TEAM_STATS),
      raw: team_stats,
    },
  }));

export const matchStatsSchema = z
  .object({
    rounds: list(
      z
        .object({
          best_of: num,
          competition_id: str,
          game_id: str,
          game_mode: str,
          match_id: str,
          match_round: num,
          played: num,
          round_stats: statMap.transform((raw) => ({
            ...textFrom(raw, ROUND_STATS_TEXT),
            rounds: toNumber(raw.Rounds),
            raw,
          })),
          teams: list(matchStatsTeamSchema),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export type MatchStats = z.output<typeof matchStatsSchema>;
export type MatchStatsRound = MatchStats['rounds'][number];
export type MatchStatsTeam = MatchStatsRound['teams'][number];
export type MatchStatsPlayer = MatchStatsTeam['players'][number];

// ---------------------------------------------------------------- errors and parsing

/** FACEIT's (unconfirmed) error body; parsed leniently, never required. */
export const errorBodySchema = z.object({
  errors: list(z.object({ message: str, code: str, http_status: num }).passthrough()),
});

export const ENDPOINT_SCHEMAS = {
  playerByNickname: playerSchema,
  player: playerSchema,
  playerBySteamId: playerSchema,
  searchPlayers: searchPlayersSchema,
  playerStats: playerStatsSchema,
  playerHistory: playerHistorySchema,
  playerMatchStats: playerMatchStatsSchema,
  match: matchSchema,
  matchStats: matchStatsSchema,
} satisfies Record<FaceitEndpoint, z.ZodTypeAny>;

export type EndpointResult<E extends FaceitEndpoint> = z.output<(typeof ENDPOINT_SCHEMAS)[E]>;

/** Validates a decoded body; a misfit throws FaceitBadResponseError naming the endpoint and the first problem. */
export function parseBody<E extends FaceitEndpoint>(
  endpoint: E,
  body: unknown,
  status?: number,
): EndpointResult<E> {
  const result = ENDPOINT_SCHEMAS[endpoint].safeParse(body);
  if (result.success) return result.data as EndpointResult<E>;
  const issue = result.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : '(body)';
  throw new FaceitBadResponseError(endpoint, `${where}: ${issue.message}`, false, status);
}
