import type { Client } from '@temporalio/client';
import { Composer, type Context } from 'grammy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { taskQueueFor, type Config } from '../config';
import { briefToggleButton, createBriefsRepository } from '../briefs';
import { createFaceitAccountsRepository } from '../db/repositories/faceit-accounts';
import { type Locale, toLocale } from '../i18n';
import { retryMinutes, spendUserBudget } from '../stats';
import { isTemporalUnavailable, withRpcDeadline } from '../temporal/deadline';
import { TelegramUserId } from '../temporal/search-attributes';
import type { ResolvePlayerResult } from './activities';
import { parsePlayerQuery } from './query';
import { escapeHtml, translator } from './render';
import { type ChatType, createMonitoringRepository, type TrackedRow } from './repository';
import type { monitoringResolvePlayerWorkflow } from './workflows';

/**
 * /track [nickname | profile link], /untrack [nickname], /tracked — one grammY Composer, composed into the bot with
 * `bot.use(createMonitoringComposer(deps))`.
 *
 * - /track without an argument tracks the user's linked FACEIT account; with one, the nickname is resolved by a
 *   short workflow on the DEFAULT queue (every user request that costs FACEIT calls is a workflow), counted against
 *   the user's FACEIT budget (`STATS_USER_BUDGET_PER_HOUR`, kind `track`) and bounded by a deadline.
 * - In groups several players can be tracked; only administrators (checked with getChatMember, anonymous admins
 *   included) may change the list. Anyone may read it.
 * - The chat's notification setting and a blocked bot are respected by the checks; `my_chat_member` updates keep
 *   the blocked flag in step (bot removed from a group / re-added, private chat blocked / restarted).
 */

export interface MonitoringComposerDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  temporal: Client;
  /** The per-user FACEIT budget's store; without it /track <nickname> is not budgeted. */
  redis?: Redis;
}

/** The resolve workflow's own limit; the bot waits that long plus TEMPORAL_RPC_TIMEOUT_MS at most. */
const RESOLVE_TIMEOUT_MS = 45_000;

/** The most players one chat may track. */
export const MAX_TRACKED_PER_CHAT = 20;

const REPLY = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
const languageRow = z.object({ language: z.enum(['ru', 'en']) });

/** A message an administrator sent on behalf of the group itself (Telegram sets `sender_chat` to the group). */
function isAnonymousAdmin(ctx: Context): boolean {
  return (
    ctx.chat !== undefined && ctx.chat.type !== 'private' && ctx.message?.sender_chat?.id === ctx.chat.id
  );
}

export function createMonitoringComposer<C extends Context = Context>(
  deps: MonitoringComposerDeps,
): Composer<C> {
  const repo = createMonitoringRepository(deps.pool);
  const accounts = createFaceitAccountsRepository(deps.pool);
  const briefs = createBriefsRepository(deps.pool);
  const log = deps.logger.child({ component: 'monitoring-commands' });
  const composer = new Composer<C>();

  async function userLocale(ctx: Context): Promise<Locale> {
    const from = ctx.from;
    if (!from) return toLocale(undefined);
    const stored = await deps.pool.maybeOneFirst(
      sql.type(languageRow)`SELECT language FROM users WHERE telegram_id = ${from.id}`,
    );
    return stored ?? toLocale(from.language_code);
  }

  async function chatLocale(ctx: Context): Promise<Locale> {
    const chatId = ctx.chat?.id;
    if (chatId !== undefined && ctx.chat?.type !== 'private') {
      const stored = await repo.chatLocale(chatId);
      if (stored) return stored;
    }
    return userLocale(ctx);
  }

  async function mayChange(ctx: Context): Promise<boolean> {
    const chat = ctx.chat;
    if (!chat || chat.type === 'private') return true;
    if (isAnonymousAdmin(ctx)) return true;
    if (!ctx.from) return false;
    try {
      const member = await ctx.getChatMember(ctx.from.id);
      return member.status === 'creator' || member.status === 'administrator';
    } catch (err) {
      log.warn({ err, chatId: chat.id }, 'getChatMember failed; refusing the change');
      return false;
    }
  }

  async function resolve(
    ctx: Context,
    query: string,
  ): Promise<ResolvePlayerResult | 'error' | 'unavailable' | { budgetMinutes: number }> {
    if (ctx.from && deps.redis) {
      const budget = await spendUserBudget({ ...deps, redis: deps.redis }, ctx.from.id, 'track');
      if (!budget.ok) {
        log.info({ telegramId: ctx.from.id }, 'FACEIT budget exhausted (/track)');
        return { budgetMinutes: retryMinutes(budget) };
      }
    }
    try {
      // Starting within TEMPORAL_RPC_TIMEOUT_MS (an unresponsive Temporal is said at once), then the answer.
      const handle = await withRpcDeadline(deps.temporal, deps.config, () =>
        deps.temporal.workflow.start<typeof monitoringResolvePlayerWorkflow>(
          'monitoringResolvePlayerWorkflow',
          {
            taskQueue: taskQueueFor(deps.config, 'default'),
            workflowId: `monitoring-resolve-${ctx.chat?.id}-${ctx.message?.message_id ?? Date.now()}`,
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowExecutionTimeout: RESOLVE_TIMEOUT_MS,
            args: [{ query }],
            ...(ctx.from ? { typedSearchAttributes: [{ key: TelegramUserId, value: ctx.from.id }] } : {}),
          },
        ),
      );
      return await withRpcDeadline(deps.temporal, deps.config, () => handle.result(), RESOLVE_TIMEOUT_MS);
    } catch (err) {
      log.warn({ err, query }, 'resolving a /track nickname failed');
      return isTemporalUnavailable(err) ? 'unavailable' : 'error';
    }
  }

  const reply = (ctx: Context, text: string) => ctx.reply(text, REPLY);

  composer.command('track', async (ctx) => {
    const chat = ctx.chat;
    const tr = translator(await chatLocale(ctx));
    if (!(await mayChange(ctx))) return void (await reply(ctx, tr('monitoring-admins-only')));
    const query = ctx.match.trim();
    let player: { playerId: string; nickname: string };
    if (!query) {
      const account = ctx.from ? await accounts.get(ctx.from.id) : null;
      if (!account) return void (await reply(ctx, tr('monitoring-track-usage')));
      player = { playerId: account.faceit_player_id, nickname: account.nickname ?? account.faceit_player_id };
    } else {
      if (!parsePlayerQuery(query)) return void (await reply(ctx, tr('monitoring-track-usage')));
      const found = await resolve(ctx, query);
      if (found === 'error') return void (await reply(ctx, tr('monitoring-track-failed')));
      if (found === 'unavailable') return void (await reply(ctx, tr('reliability-temporal-unavailable')));
      if ('budgetMinutes' in found) {
        return void (await reply(ctx, tr('reliability-stats-budget', { minutes: found.budgetMinutes })));
      }
      if (!found.found) {
        const shown = escapeHtml(parsePlayerQuery(query) ?? query);
        return void (await reply(ctx, tr('monitoring-track-not-found', { query: shown })));
      }
      player = { playerId: found.playerId, nickname: found.nickname };
    }
    const tracked = await repo.listTracked(chat.id);
    const already = tracked.some((t) => t.faceit_player_id === player.playerId);
    if (!already && tracked.length >= MAX_TRACKED_PER_CHAT) {
      return void (await reply(ctx, tr('monitoring-track-limit', { max: MAX_TRACKED_PER_CHAT })));
    }
    await repo.upsertChat({
      chatId: chat.id,
      type: chat.type as ChatType,
      title: 'title' in chat ? chat.title : null,
      language: await userLocale(ctx),
    });
    // An anonymous admin's `from` is @GroupAnonymousBot, not a person: record no author.
    const addedBy = isAnonymousAdmin(ctx) ? null : (ctx.from?.id ?? null);
    const outcome = await repo.track(chat.id, player, addedBy, MAX_TRACKED_PER_CHAT);
    // A concurrent /track may have filled the list since the check above; the SQL cap has the last word.
    if (outcome === 'full') {
      return void (await reply(ctx, tr('monitoring-track-limit', { max: MAX_TRACKED_PER_CHAT })));
    }
    const created = outcome === 'created';
    log.info({ chatId: chat.id, playerId: player.playerId, created }, 'tracked player');
    // Pre-match briefs: on by default for a user tracking themselves, off in groups until an admin turns them on.
    if (!query && chat.type === 'private') await briefs.defaultOn(chat.id);
    const nick = escapeHtml(player.nickname);
    const locale = await chatLocale(ctx);
    await ctx.reply(tr(created ? 'monitoring-track-added' : 'monitoring-track-already', { nick }), {
      ...REPLY,
      reply_markup: { inline_keyboard: [[briefToggleButton(locale, await briefs.autoBrief(chat.id))]] },
    });
  });

  composer.command('untrack', async (ctx) => {
    const chat = ctx.chat;
    const tr = translator(await chatLocale(ctx));
    if (!(await mayChange(ctx))) return void (await reply(ctx, tr('monitoring-admins-only')));
    const tracked = await repo.listTracked(chat.id);
    const query = ctx.match.trim();
    let target: TrackedRow | undefined;
    if (query) {
      const nick = (parsePlayerQuery(query) ?? query).toLowerCase();
      target = tracked.find((t) => t.nickname?.toLowerCase() === nick || t.faceit_player_id === query);
      if (!target) {
        // Echo at most a nickname's worth: a 4,000-character argument must not push the reply past Telegram's limit.
        const shown = query.length > 64 ? `${query.slice(0, 64)}…` : query;
        return void (await reply(ctx, tr('monitoring-untrack-not-tracked', { query: escapeHtml(shown) })));
      }
    } else if (tracked.length === 1) {
      target = tracked[0];
    } else {
      const own = ctx.from && chat.type === 'private' ? await accounts.get(ctx.from.id) : null;
      target = own ? tracked.find((t) => t.faceit_player_id === own.faceit_player_id) : undefined;
      if (!target) {
        if (!tracked.length) return void (await reply(ctx, tr('monitoring-tracked-empty')));
        const list = tracked
          .map((t) => `<code>${escapeHtml(t.nickname ?? t.faceit_player_id)}</code>`)
          .join(', ');
        return void (await reply(ctx, tr('monitoring-untrack-usage', { list })));
      }
    }
    await repo.untrack(chat.id, target.faceit_player_id);
    log.info({ chatId: chat.id, playerId: target.faceit_player_id }, 'untracked player');
    const nick = escapeHtml(target.nickname ?? target.faceit_player_id);
    await reply(ctx, tr('monitoring-untrack-done', { nick }));
  });

  composer.command('tracked', async (ctx) => {
    const chat = ctx.chat;
    const locale = await chatLocale(ctx);
    const tr = translator(locale);
    const tracked = await repo.listTracked(chat.id);
    if (!tracked.length) return void (await reply(ctx, tr('monitoring-tracked-empty')));
    const now = Date.now();
    const lines = tracked.map((t) => {
      const nick = t.nickname ?? t.faceit_player_id;
      const last = t.last_played_at
        ? tr('monitoring-tracked-last', { ago: ago(tr, now - t.last_played_at.getTime()) })
        : tr('monitoring-tracked-never');
      const url = `https://www.faceit.com/${locale}/players/${encodeURIComponent(nick)}`;
      return tr('monitoring-tracked-item', { url: escapeHtml(url), nick: escapeHtml(nick), last });
    });
    const out = [
      tr('monitoring-tracked-title', { count: tracked.length, max: MAX_TRACKED_PER_CHAT }),
      ...lines,
    ];
    if ((await repo.chatActive(chat.id)) === false) out.push('', tr('monitoring-tracked-off'));
    await reply(ctx, out.join('\n'));
  });

  // The bot removed from a group or blocked in a private chat (and back): notifications follow.
  composer.on('my_chat_member', async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const gone = status === 'kicked' || status === 'left';
    await repo.setChatBlocked(ctx.myChatMember.chat.id, gone);
    await next();
  });

  return composer;
}

function ago(tr: (key: string, vars?: Record<string, string | number>) => string, ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return tr('monitoring-ago-minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return tr('monitoring-ago-hours', { n: hours });
  return tr('monitoring-ago-days', { n: Math.round(hours / 24) });
}
