/**
 * A per-user FACEIT cost budget for every command that costs FACEIT calls (the stats commands, /link, /elo <nick>,
 * /track <nick>): a token bucket in Redis (shared by every bot replica) that holds `perHour` units, refilled evenly
 * over an hour. One user hammering /compare or /last cannot spend the global FACEIT budget everyone shares. Redis
 * down or slow: the request goes ahead (the global limiter still bounds FACEIT).
 */
import type Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * Rough FACEIT calls per command (the kind its workflow runs as); a kind not listed is not budgeted.
 * `find` is /elo <nick>, `track` the /track <nick> look-up; inline mode has its own budget (src/inline).
 */
export const STATS_COSTS: Readonly<Record<string, number>> = {
  profile: 2,
  compare: 4,
  form: 5,
  matches: 1,
  last: 2,
  link: 1,
  find: 1,
  track: 1,
  duos: 1,
};

export const STATS_BUDGET_KEY_PREFIX = 'stats:budget:';
const HOUR_MS = 3_600_000;
const REDIS_TIMEOUT_MS = 500;

// KEYS[1] bucket; ARGV: capacity, cost. Answers {1, 0} when taken, {0, ms until enough units} when not.
const TAKE = `local cap = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(h[1]) or cap
local at = tonumber(h[2]) or now
local rate = cap / ${HOUR_MS}
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local ok = tokens >= cost
if ok then tokens = tokens - cost end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ${HOUR_MS})
if ok then return {1, 0} end
return {0, math.ceil((cost - tokens) / rate)}`;

export type BudgetAnswer = { ok: true } | { ok: false; retryInMs: number };

export async function takeStatsBudget(
  redis: Redis,
  telegramId: number,
  kind: string,
  perHour: number,
): Promise<BudgetAnswer> {
  const cost = STATS_COSTS[kind];
  if (!cost || perHour <= 0) return { ok: true };
  let timer: NodeJS.Timeout | undefined;
  const answer = (await Promise.race([
    redis.eval(TAKE, 1, `${STATS_BUDGET_KEY_PREFIX}${telegramId}`, perHour, cost),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis timed out')), REDIS_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer))) as [number, number];
  return answer[0] === 1 ? { ok: true } : { ok: false, retryInMs: answer[1] };
}

/**
 * Takes the command's cost from the user's budget (`STATS_USER_BUDGET_PER_HOUR`): what every FACEIT-costing command
 * calls before it starts its workflow. Redis unavailable: the request goes ahead (logged).
 */
export async function spendUserBudget(
  deps: { redis: Redis; logger: Logger; config: { STATS_USER_BUDGET_PER_HOUR: number } },
  telegramId: number,
  kind: string,
): Promise<BudgetAnswer> {
  try {
    return await takeStatsBudget(deps.redis, telegramId, kind, deps.config.STATS_USER_BUDGET_PER_HOUR);
  } catch (err) {
    deps.logger.warn({ err, kind }, 'FACEIT budget: Redis unavailable, letting the request through');
    return { ok: true };
  }
}

/** Minutes until a refused request may be tried again, as the refusal says it (at least 1). */
export const retryMinutes = (answer: { retryInMs: number }): number =>
  Math.max(1, Math.ceil(answer.retryInMs / 60_000));
