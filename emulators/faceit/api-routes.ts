import { endpointOf, type FaceitEndpoint } from '../../src/faceit/endpoints';
import type { SimPlayer } from './players';
import { renderHistoryItem, renderMatch, renderMatchStats, renderPlayerMatchStats } from './render-matches';
import { type Json, renderPlayer, renderPlayerStats, renderSearchItem } from './render-players';
import type { World } from './world';

/** The Data API routes under /data/v4: path + query in, status + JSON body out (no HTTP concerns here). */

export interface ApiResult {
  status: number;
  body: unknown;
  endpoint?: FaceitEndpoint;
}

/** FACEIT's error body (shape from the README: not confirmed by a recording, so clients must stay lenient). */
export function errorBody(status: number, message: string, code: string): Json {
  return { errors: [{ message, code, http_status: status, parameters: [] }] };
}

const notFound = (what: string): ApiResult => ({
  status: 404,
  body: errorBody(404, `${what} not found`, 'err_nf0'),
});

class BadParam extends Error {}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new BadParam(`invalid ${name}`);
  const value = Number(raw);
  if (value < min || value > max) throw new BadParam(`${name} must be between ${min} and ${max}`);
  return value;
}

function requireParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new BadParam(`missing ${name}`);
  return value;
}

export function routeApi(world: World, path: string, query: URLSearchParams): ApiResult {
  const endpoint = endpointOf(path, query);
  if (!endpoint) return notFound('resource');
  try {
    return { ...route(world, endpoint, path.split('/').filter(Boolean), query), endpoint };
  } catch (err) {
    if (err instanceof BadParam)
      return { status: 400, body: errorBody(400, err.message, 'err_br0'), endpoint };
    throw err;
  }
}

function route(world: World, endpoint: FaceitEndpoint, parts: string[], query: URLSearchParams): ApiResult {
  const ok = (body: unknown): ApiResult => ({ status: 200, body });
  const player = (id: string) => world.byId(id);
  switch (endpoint) {
    case 'playerByNickname': {
      const found = world.byNickname(requireParam(query, 'nickname'));
      return found ? ok(renderPlayer(world, found)) : notFound('player');
    }
    case 'playerBySteamId': {
      if (requireParam(query, 'game') !== 'cs2') return notFound('player');
      const found = world.bySteamId(requireParam(query, 'game_player_id'));
      return found && !found.noCs2 ? ok(renderPlayer(world, found)) : notFound('player');
    }
    case 'player': {
      const found = player(parts[1]);
      return found ? ok(renderPlayer(world, found)) : notFound('player');
    }
    case 'searchPlayers': {
      const nickname = requireParam(query, 'nickname').toLowerCase();
      const offset = intParam(query, 'offset', 0, 0, 10_000);
      const limit = intParam(query, 'limit', 20, 1, 100);
      const matches = world.players
        .filter((p) => p.nickname.toLowerCase().includes(nickname))
        .sort(
          (a, b) =>
            Number(b.nickname.toLowerCase() === nickname) - Number(a.nickname.toLowerCase() === nickname),
        );
      const items = matches.slice(offset, offset + limit).map((p) => renderSearchItem(world, p));
      return ok({ items, start: offset, end: offset + items.length });
    }
    case 'playerStats': {
      const found = player(parts[1]);
      if (!found || parts[3] !== 'cs2' || found.noCs2) return notFound('player');
      return ok(renderPlayerStats(found, world.history(found)));
    }
    case 'playerHistory':
      return history(world, player(parts[1]), query);
    case 'playerMatchStats':
      return matchStatsList(world, player(parts[1]), parts[3], query);
    case 'match': {
      const match = world.match(parts[1]);
      // A room served before it went live: the match had not started then (finish() never back-dates it earlier).
      if (match?.origin === 'lobby' && match.startedAt === undefined) match.servedBeforeStartAt = Date.now();
      return match ? ok(renderMatch(world, match)) : notFound('match');
    }
    case 'matchStats': {
      const match = world.match(parts[1]);
      const body = match && renderMatchStats(world, match);
      return body ? ok(body) : notFound('match stats');
    }
  }
}

function history(world: World, player: SimPlayer | undefined, query: URLSearchParams): ApiResult {
  if (!player) return notFound('player');
  const game = requireParam(query, 'game');
  const offset = intParam(query, 'offset', 0, 0, 1_000_000);
  const limit = intParam(query, 'limit', 20, 1, 100);
  const nowS = Math.floor(Date.now() / 1000);
  const from = intParam(query, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
  const to = intParam(query, 'to', nowS, 0, Number.MAX_SAFE_INTEGER);
  // With a time range the whole timeline may be needed; without one, only the page.
  const ranged = query.has('from') || query.has('to');
  const entries = game === 'cs2' ? world.history(player, ranged ? Infinity : offset + limit) : [];
  const upTo = query.has('to') ? to : Infinity;
  const inRange = entries.filter((e) => e.finishedAt / 1000 >= from && e.finishedAt / 1000 <= upTo);
  // The match being played now heads the first page (FACEIT lists a match from its start, status in lower case).
  const live = offset === 0 && !query.has('to') && game === 'cs2' ? world.liveMatch(player) : undefined;
  const finished = inRange.slice(offset, offset + limit - (live ? 1 : 0)).flatMap((e) => {
    const match = world.match(e.matchId);
    return match ? [renderHistoryItem(world, match)] : [];
  });
  const items = live ? [renderHistoryItem(world, live), ...finished] : finished;
  return { status: 200, body: { items, start: offset, end: offset + items.length, from, to } };
}

function matchStatsList(
  world: World,
  player: SimPlayer | undefined,
  game: string,
  query: URLSearchParams,
): ApiResult {
  if (!player) return notFound('player');
  const offset = intParam(query, 'offset', 0, 0, 1_000_000);
  const limit = intParam(query, 'limit', 20, 1, 100);
  const entries = game === 'cs2' ? world.history(player, offset + limit) : [];
  const items = entries.slice(offset, offset + limit).flatMap((e) => {
    const match = world.match(e.matchId);
    return match ? [renderPlayerMatchStats(world, player, e, match)] : [];
  });
  return { status: 200, body: { items, start: offset, end: offset + items.length } };
}
