import type { Api, Transformer } from 'grammy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { Counter, register as defaultRegistry, type Registry } from 'prom-client';
import { sleep } from '../faceit/sleep';

/**
 * One send budget per bot under Telegram's global limit (about 30 messages a second), shared by the bot replicas
 * and every worker through Redis, with priorities: a generic cell-rate algorithm on one "theoretical arrival time"
 * per bot, where each class may run ahead of the steady pace by its own tolerance. Reports, payment confirmations
 * and replies to users (`reply`) may go at once even while the budget is busy; notifications, briefs and progress
 * edits (`notice`) a little less; broadcasts (`bulk`) only when nobody else is ahead, so they slow down for
 * everything else instead of crowding it out.
 *
 * On top, a hard cap: at most `perSecond` sends taken in any WINDOW_MS (a sliding log in Redis), the window a little
 * longer than Telegram's second so that a call's transit time varying by up to TRANSIT_MARGIN_MS cannot put more than
 * `perSecond` into one second at Telegram. So a burst of replies during a broadcast never exceeds the limit either
 * (the tolerances alone would allow the steady pace plus ten), and the steady pace is `perSecond` per WINDOW_MS
 * (27.3/s at 30). While Redis is unreachable sends go unpaced (Telegram's 429 answers are still waited out by the
 * callers).
 */

export type SendClass = 'reply' | 'notice' | 'bulk';

/** How many sends each class may run ahead of the steady pace (in send intervals). */
const TOLERANCE_SENDS: Record<SendClass, number> = { reply: 10, notice: 4, bulk: 0 };
/** How much a Bot API call's transit to Telegram may vary before two windows' sends can land in one second. */
const TRANSIT_MARGIN_MS = 100;
export const WINDOW_MS = 1_000 + TRANSIT_MARGIN_MS;

/** Bot API methods that put a message in a chat or change one: what Telegram's per-bot limit counts. */
export const COUNTED_METHODS: ReadonlySet<string> = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'sendAnimation',
  'sendSticker',
  'sendInvoice',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageMedia',
  'editMessageReplyMarkup',
]);

// KEYS[1]: the theoretical arrival time; KEYS[2]: the sorted set of the sends taken within the window (score: when).
const TAKE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local wait = tat - tolerance - now
-- Redis answers integers: a wait under 1 ms must not read as 0 (go) without the slot being taken.
if wait > 0 then return math.ceil(wait) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZCARD', KEYS[2]) >= cap then
  local oldest = tonumber(redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2])
  return math.max(1, oldest + window - now + 1)
end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', 60000)
-- tat grows with every take: a unique member.
redis.call('ZADD', KEYS[2], now, tostring(tat))
redis.call('PEXPIRE', KEYS[2], window * 2)
return 0
`;

interface BudgetCommands {
  telegramBudgetTake(
    paceKey: string,
    windowKey: string,
    intervalMs: number,
    toleranceMs: number,
    windowMs: number,
    cap: number,
  ): Promise<number>;
}

export interface SendBudget {
  /** Resolves when one send of this class may go. */
  take(cls: SendClass, signal?: AbortSignal): Promise<void>;
}

export interface SendBudgetOptions {
  redis: Redis;
  /** The bot's token: the budget is per bot (only its id, before the colon, names the key). */
  botToken: string;
  /** At most this many sends taken in any WINDOW_MS, all classes together (Telegram: about 30 a second). */
  perSecond: number;
  logger?: Logger;
  metricsRegistry?: Registry | null;
}

export function createSendBudget(options: SendBudgetOptions): SendBudget {
  const cap = Math.max(1, Math.floor(options.perSecond));
  const intervalMs = WINDOW_MS / cap;
  // The pace key as before the cap: during a rolling deploy old and new processes still share one pace.
  const key = `telegram:budget:${options.botToken.split(':')[0]}`;
  const redis = options.redis as Redis & BudgetCommands;
  if (!(redis as unknown as Record<string, unknown>).telegramBudgetTake)
    redis.defineCommand('telegramBudgetTake', { numberOfKeys: 2, lua: TAKE_LUA });
  const waited = counter(options.metricsRegistry === undefined ? defaultRegistry : options.metricsRegistry);
  let warned = false;
  return {
    async take(cls, signal) {
      const tolerance = TOLERANCE_SENDS[cls] * intervalMs;
      let first = true;
      for (;;) {
        let waitMs: number;
        try {
          waitMs = Number(
            await redis.telegramBudgetTake(key, `${key}:window`, intervalMs, tolerance, WINDOW_MS, cap),
          );
        } catch (err) {
          if (!warned) options.logger?.warn({ err }, 'Telegram send budget unavailable: sending unpaced');
          warned = true;
          return;
        }
        if (waitMs <= 0) return;
        if (first) waited?.inc({ class: cls });
        first = false;
        await sleep(waitMs, signal);
      }
    },
  };
}

/** Every counted call of `api` takes a slot of `cls` first (a grammY API transformer). */
export function spendFrom<A extends Pick<Api, 'config'>>(api: A, budget: SendBudget, cls: SendClass): A {
  api.config.use(budgetTransformer(budget, cls));
  return api;
}

export function budgetTransformer(budget: SendBudget, cls: SendClass): Transformer {
  return async (prev, method, payload, signal) => {
    if (COUNTED_METHODS.has(method)) await budget.take(cls, signal as AbortSignal | undefined);
    return prev(method, payload, signal);
  };
}

function counter(registry: Registry | null): Counter<'class'> | undefined {
  if (!registry) return undefined;
  const name = 'telegram_send_budget_waits_total';
  const existing = registry.getSingleMetric(name) as Counter<'class'> | undefined;
  return (
    existing ??
    new Counter({
      name,
      help: 'Telegram sends that waited for the shared per-bot send budget, by class (reply, notice, bulk)',
      labelNames: ['class'],
      registers: [registry],
    })
  );
}
