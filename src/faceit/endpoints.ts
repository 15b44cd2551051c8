import type { Config } from '../config';

/** Every FACEIT Data API endpoint the product uses; the names label counters, cache keys and the emulator's log. */
export const FACEIT_ENDPOINTS = [
  'playerByNickname',
  'player',
  'playerBySteamId',
  'searchPlayers',
  'playerStats',
  'playerHistory',
  'playerMatchStats',
  'match',
  'matchStats',
] as const;

export type FaceitEndpoint = (typeof FACEIT_ENDPOINTS)[number];

type TtlKey =
  | 'CACHE_TTL_PLAYER_S'
  | 'CACHE_TTL_LIFETIME_STATS_S'
  | 'CACHE_TTL_MATCH_S'
  | 'CACHE_TTL_MATCH_STATS_S'
  | 'CACHE_TTL_HISTORY_S';

/** Which config variable sets each endpoint's cache TTL (per-match stats share the history TTL). */
export const ENDPOINT_TTL: Record<FaceitEndpoint, TtlKey> = {
  playerByNickname: 'CACHE_TTL_PLAYER_S',
  player: 'CACHE_TTL_PLAYER_S',
  playerBySteamId: 'CACHE_TTL_PLAYER_S',
  searchPlayers: 'CACHE_TTL_PLAYER_S',
  playerStats: 'CACHE_TTL_LIFETIME_STATS_S',
  playerHistory: 'CACHE_TTL_HISTORY_S',
  playerMatchStats: 'CACHE_TTL_HISTORY_S',
  match: 'CACHE_TTL_MATCH_S',
  matchStats: 'CACHE_TTL_MATCH_STATS_S',
};

export function ttlSeconds(config: Pick<Config, TtlKey>, endpoint: FaceitEndpoint): number {
  return config[ENDPOINT_TTL[endpoint]];
}

/**
 * Maps a request path (relative to /data/v4, no query) to its endpoint; the query decides between the three
 * `/players` lookups. Shared by the client's logs and the emulator's router so both count the same way.
 */
export function endpointOf(path: string, query: URLSearchParams): FaceitEndpoint | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'search' && parts[1] === 'players' && parts.length === 2) return 'searchPlayers';
  if (parts[0] === 'matches' && parts.length === 2) return 'match';
  if (parts[0] === 'matches' && parts.length === 3 && parts[2] === 'stats') return 'matchStats';
  if (parts[0] !== 'players') return undefined;
  if (parts.length === 1) return query.has('game_player_id') ? 'playerBySteamId' : 'playerByNickname';
  if (parts.length === 2) return 'player';
  if (parts.length === 4 && parts[2] === 'stats') return 'playerStats';
  if (parts.length === 3 && parts[2] === 'history') return 'playerHistory';
  if (parts.length === 5 && parts[2] === 'games' && parts[4] === 'stats') return 'playerMatchStats';
  return undefined;
}
