/**
 * Inline mode: `@bot nickname` offers a profile card, `@bot <room link>` the lobby summary when the match has been
 * analysed (or its analysis ends within a few seconds), otherwise a button that opens the bot to run it.
 *
 * Telegram sends a query per keystroke, so: answers are cached per query text and language in Redis (a repeat or
 * another user typing the same thing costs nothing), a look-up starts only once the user paused typing (the
 * latest query of each user wins; superseded ones are left unanswered, which Telegram allows), identical
 * look-ups in flight share one, and each user's FACEIT calls from inline mode count against a small hourly budget.
 * Every FACEIT-costing look-up is the same stats workflow /profile runs.
 */
import { createHash } from 'node:crypto';
import { Composer, GrammyError } from 'grammy';
import type { InlineQueryResult } from 'grammy/types';
import { sql } from 'slonik';
import { z } from 'zod';
import {
  createAnalysisRepository,
  getAnalysisProgress,
  parseMatchReference,
  type LobbyAnalysis,
} from '../analysis';
import type { BotContext } from '../bot-kit/context';
import type { BotServices } from '../bot-kit/deps';
import { roomUrl } from '../bot-kit/format';
import { ANALYZE_DEEP_LINK, parseAccountReference } from '../bot-kit/parse';
import { toLocale, t, type Locale } from '../i18n';
import { profileWorkflow, statsWorkflowOptions, type Lookup, type ProfileData } from '../stats';
import { lobbyArticle, noteArticle, profileArticle, roomArticle } from './render';

export type InlineComposerDeps = Pick<
  BotServices,
  'config' | 'logger' | 'client' | 'pool' | 'redis' | 'repos'
>;

export interface InlineOptions {
  /** Quiet time after a keystroke before looking up (default 300 ms). */
  debounceMs?: number;
  /** FACEIT calls one user's inline look-ups may cost per hour (default: config INLINE_FACEIT_BUDGET_PER_HOUR). */
  budgetPerHour?: number;
  /** Redis key prefix (default "inline:"). */
  prefix?: string;
}

/** How long an answer is reused, by us (Redis) and by Telegram's own cache of the user's query. */
const CACHE_TTL_S = 60;
const TELEGRAM_CACHE_S = 30;
/** A profile look-up costs two FACEIT calls (the player, the lifetime stats). */
const PROFILE_COST = 2;
/** Telegram drops an inline query not answered within ~10 s: stay well inside. */
const LOOKUP_DEADLINE_MS = 6_000;
/** A running analysis that ends within this is awaited rather than offered as a button. */
const ANALYSIS_WAIT_MS = 3_000;
const REDIS_TIMEOUT_MS = 250;
/** Keeps the highest update id seen (KEYS[1]; ARGV: id, TTL ms). */
const KEEP_MAX = `local v = redis.call('GET', KEYS[1])
if not v or tonumber(v) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;

interface Answer {
  results: InlineQueryResult[];
  /** False for answers that must not be reused (budget, FACEIT trouble). */
  cacheable: boolean;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createInlineComposer(
  deps: InlineComposerDeps,
  options: InlineOptions = {},
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const prefix = options.prefix ?? 'inline:';
  const debounceMs = options.debounceMs ?? 300;
  const budgetPerHour = options.budgetPerHour ?? deps.config.INLINE_FACEIT_BUDGET_PER_HOUR;
  const analyses = createAnalysisRepository(deps.pool);
  const log = deps.logger.child({ component: 'inline' });
  const inflight = new Map<string, Promise<Answer>>();

  async function localeOf(user: { id: number; language_code?: string }): Promise<Locale> {
    const stored = await deps.pool.maybeOneFirst(sql.type(z.object({ language: z.enum(['ru', 'en']) }))`
      SELECT language FROM users WHERE telegram_id = ${user.id}`);
    return stored ?? toLocale(user.language_code);
  }

  /**
   * Records this query as the user's latest (by update id: Telegram numbers updates in arrival order, whichever of
   * our handlers gets to Redis first), waits for a pause in typing, and says whether it still is the latest.
   */
  async function stillLatest(userId: number, updateId: number): Promise<boolean> {
    const key = `${prefix}latest:${userId}`;
    const set = await withTimeout(
      deps.redis.eval(KEEP_MAX, 1, key, String(updateId), '10000') as Promise<unknown>,
      REDIS_TIMEOUT_MS,
    );
    await sleep(debounceMs);
    if (set === undefined) return true; // Redis trouble: answer rather than drop
    const latest = await withTimeout(deps.redis.get(key), REDIS_TIMEOUT_MS);
    return latest === undefined || latest === null || Number(latest) <= updateId;
  }

  /** Takes `cost` FACEIT calls from the user's hourly budget; false when it is used up. */
  async function spend(userId: number, cost: number): Promise<boolean> {
    const key = `${prefix}budget:${userId}:${Math.floor(Date.now() / 3_600_000)}`;
    const n = await withTimeout(
      deps.redis.multi().incrby(key, cost).expire(key, 3_600).exec(),
      REDIS_TIMEOUT_MS,
    );
    const used = Number(n?.[0]?.[1] ?? 0);
    return used <= budgetPerHour;
  }

  async function lobby(matchId: string, locale: Locale, bot: string): Promise<Answer> {
    const url = roomUrl(matchId, locale);
    let analysis: LobbyAnalysis | null = await analyses.loadAnalysis(matchId);
    if (!analysis) {
      const progress = await withTimeout(getAnalysisProgress(deps.client, matchId), 1_000);
      const running = progress && !['done', 'refused', 'cancelled', 'failed'].includes(progress.stage);
      for (const until = Date.now() + ANALYSIS_WAIT_MS; running && !analysis && Date.now() < until;) {
        await sleep(250);
        analysis = await analyses.loadAnalysis(matchId);
      }
    }
    if (analysis) return { results: [lobbyArticle(locale, analysis, url)], cacheable: true };
    const deepLink = `https://t.me/${bot}?start=${ANALYZE_DEEP_LINK}${matchId}`;
    // Not cached: the analysis may exist a moment later.
    return { results: [roomArticle(locale, matchId, url, deepLink)], cacheable: false };
  }

  async function lookup(query: string, locale: Locale, userId: number, bot: string): Promise<Answer> {
    const matchId = parseMatchReference(query);
    if (matchId) return lobby(matchId, locale, bot);
    const parsed = parseAccountReference(query);
    if (!parsed.ok) {
      return {
        results: [noteArticle(locale, 'inline-invalid', { query: query.slice(0, 64) })],
        cacheable: true,
      };
    }
    if (!(await spend(userId, PROFILE_COST)))
      return { results: [noteArticle(locale, 'inline-budget')], cacheable: false };
    const { tier } = await deps.repos.subscriptions.effective(userId);
    const found = await withTimeout<Lookup<ProfileData>>(
      deps.client.workflow.execute(profileWorkflow, {
        ...statsWorkflowOptions(deps.config, { telegramId: userId, tier }, 'inline'),
        args: [parsed.ref],
      }),
      LOOKUP_DEADLINE_MS,
    );
    if (!found) return { results: [noteArticle(locale, 'inline-unavailable')], cacheable: false };
    if (!found.ok) {
      return {
        results: [noteArticle(locale, 'inline-not-found', { query: parsed.shown.slice(0, 64) })],
        cacheable: true,
      };
    }
    return { results: [profileArticle(locale, found.value)], cacheable: true };
  }

  c.on('inline_query', async (ctx) => {
    const { query: raw, from } = ctx.inlineQuery;
    const query = raw.trim().slice(0, 256);
    const locale = await localeOf(from);
    const options = { cache_time: TELEGRAM_CACHE_S, is_personal: true };
    if (!query) {
      await ctx.answerInlineQuery([], {
        ...options,
        cache_time: 300,
        button: { text: t(locale, 'inline-hint-title'), start_parameter: 'inline' },
      });
      return;
    }
    const normalised = query.toLowerCase().replace(/\s+/g, ' ');
    const key = `${prefix}answer:${locale}:${createHash('sha1').update(normalised).digest('hex')}`;
    const cached = await withTimeout(deps.redis.get(key), REDIS_TIMEOUT_MS);
    let answer: Answer | undefined = cached ? (JSON.parse(cached) as Answer) : undefined;
    if (!answer) {
      if (!(await stillLatest(from.id, ctx.update.update_id))) return; // the user typed on: a newer query is answered instead
      let pending = inflight.get(key);
      if (!pending) {
        pending = lookup(query, locale, from.id, ctx.me.username).finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      answer = await pending;
      if (answer.cacheable)
        await withTimeout(deps.redis.set(key, JSON.stringify(answer), 'EX', CACHE_TTL_S), REDIS_TIMEOUT_MS);
    }
    try {
      await ctx.answerInlineQuery(answer.results, {
        ...options,
        cache_time: answer.cacheable ? TELEGRAM_CACHE_S : 0,
      });
    } catch (err) {
      // Too late (Telegram's time ran out): nobody is waiting for it any more. Anything else is our bug.
      const late = err instanceof GrammyError && /query is too old|QUERY_ID_INVALID/i.test(err.description);
      if (late) log.debug({ err, query }, 'inline answer too late');
      else log.warn({ err, query }, 'inline answer refused');
    }
  });

  return c;
}
