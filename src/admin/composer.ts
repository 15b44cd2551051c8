/**
 * /admin stats | user | grant | revoke | refund | queues, and the buttons of the user card. Every command and
 * button passes the gate (./auth.ts) and leaves one audit row with who, what, target and result.
 * Plan changes and refunds go through the billing slice (AdminBilling), never around it.
 */
import type { Client } from '@temporalio/client';
import { Composer, GrammyError, type InlineKeyboard } from 'grammy';
import { isNotModified } from '../telegram/errors';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { DatabasePool } from 'slonik';
import type { BotContext } from '../bot-kit/context';
import { dateTime, echo } from '../bot-kit/format';
import { words } from '../bot-kit/parse';
import { dailyQuota } from '../billing';
import { PLAN_NAMES, type Plan } from '../billing';
import type { Config } from '../config';
import { faceitCallsLastHour, faceitHourlyBudget } from '../faceit';
import { admit, type Gate } from './auth';
import { isTemporalUnavailable } from '../temporal/deadline';
import { readQueues } from './client';
import { createAdminRepository, type AuditEntry, type AuditResult, type PaymentRow } from './repository';
import {
  ADMIN_CALLBACK,
  confirmKeyboard,
  renderQueues,
  renderStats,
  renderUserCard,
  userCardKeyboard,
  type UserCardInput,
} from './render';

/** What the admin tools need from the billing slice (bound to its deps by the bot frame). */
export interface AdminBilling {
  grant(input: {
    telegramId: number;
    plan: Exclude<Plan, 'free'>;
    days: number;
    actorId: number;
  }): Promise<{ plan: Plan; expiresAt: Date | null }>;
  revoke(input: { telegramId: number; actorId: number; reason: string }): Promise<void>;
  refund(input: { chargeId: string; actorId: number }): Promise<void>;
  describe(telegramId: number): Promise<{ plan: Plan; expiresAt: Date | null }>;
}

export interface AdminComposerDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  redis: Redis;
  client: Client;
  billing: AdminBilling;
  /** The FACEIT client's Redis key prefix (where its calls are counted); default 'faceit:'. */
  faceitKeyPrefix?: string;
}

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
const MAX_DAYS = 3650;

type UserQuery = { id: number } | { username: string } | { nickname: string };

export function parseUserQuery(text: string): UserQuery | null {
  const q = text.trim();
  if (/^\d{1,16}$/.test(q)) return { id: Number(q) };
  if (/^@[A-Za-z0-9_]{3,32}$/.test(q)) return { username: q.slice(1) };
  if (/^[\p{L}\p{N}_.-]{2,32}$/u.test(q)) return { nickname: q };
  return null;
}

export function createAdminComposer(deps: AdminComposerDeps): Composer<BotContext> {
  const repo = createAdminRepository(deps.pool, deps.config.DEFAULT_TIMEZONE);
  const gate: Gate = { config: deps.config, repo };
  const log = deps.logger.child({ component: 'admin' });
  const zone = deps.config.DEFAULT_TIMEZONE;
  const c = new Composer<BotContext>();

  const audit = (ctx: BotContext, entry: Omit<AuditEntry, 'actorId'>) =>
    repo.audit({ ...entry, actorId: ctx.from?.id ?? 0 });
  const reply = (ctx: BotContext, text: string, keyboard?: InlineKeyboard) =>
    ctx.reply(text, { ...HTML, ...(keyboard ? { reply_markup: keyboard } : {}) });
  const failure = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);
  /** What the admin reads: Temporal past its deadline in words, anything else as it came. */
  const shown = (ctx: BotContext, err: unknown) =>
    isTemporalUnavailable(err) ? ctx.t('admin-temporal-timeout') : echo(failure(err), 200);

  async function cardOf(userId: number, others: number[] = []): Promise<UserCardInput | null> {
    const user = await repo.userCard(userId);
    if (!user) return null;
    const { plan, expiresAt } = await deps.billing.describe(userId);
    return {
      user,
      plan,
      expiresAt,
      quota: dailyQuota(deps.config, plan),
      payments: await repo.payments(userId),
      others,
    };
  }

  /** One user from what the admin typed; a reply explains when there is none (or several for a change). */
  async function target(ctx: BotContext, text: string, action: string): Promise<number | null> {
    const query = parseUserQuery(text);
    const ids = query ? await repo.findUsers(query) : [];
    if (ids.length === 1) return ids[0];
    await audit(ctx, { action, result: 'not-found', details: { query: text.slice(0, 64) } });
    const key = ids.length ? 'admin-user-also' : 'admin-user-not-found';
    await reply(ctx, ctx.t(key, { query: echo(text), ids: ids.join(', ') }));
    return null;
  }

  async function stats(ctx: BotContext) {
    const [figures, calls] = await Promise.all([
      repo.stats(),
      faceitCallsLastHour(deps.redis, deps.faceitKeyPrefix ?? 'faceit:'),
    ]);
    await audit(ctx, { action: 'admin.stats', result: 'ok' });
    await reply(ctx, renderStats(ctx.locale, figures, { calls, budget: faceitHourlyBudget(deps.config) }));
  }

  async function user(ctx: BotContext, text: string) {
    const query = parseUserQuery(text);
    if (!query) {
      await audit(ctx, { action: 'admin.user', result: 'invalid', details: { query: text.slice(0, 64) } });
      return reply(ctx, ctx.t('admin-user-usage'));
    }
    const ids = await repo.findUsers(query);
    const card = ids.length ? await cardOf(ids[0], ids.slice(1)) : null;
    if (!card) {
      await audit(ctx, { action: 'admin.user', result: 'not-found', details: { query: text.slice(0, 64) } });
      return reply(ctx, ctx.t('admin-user-not-found', { query: echo(text) }));
    }
    await audit(ctx, { action: 'admin.user', targetId: ids[0], result: 'ok' });
    await reply(ctx, renderUserCard(ctx.locale, zone, card), userCardKeyboard(ctx.locale, zone, card));
  }

  async function grant(ctx: BotContext, userId: number, plan: Exclude<Plan, 'free'>, days: number) {
    const details = { plan, days };
    try {
      const result = await deps.billing.grant({ telegramId: userId, plan, days, actorId: ctx.from!.id });
      await audit(ctx, { action: 'admin.grant', targetId: userId, result: 'ok', details });
      const expiry = dateTime(ctx.locale, zone, result.expiresAt?.getTime() ?? null);
      return ctx.t('admin-granted', { plan: PLAN_NAMES[result.plan], days, id: String(userId), expiry });
    } catch (err) {
      log.warn({ err, userId, plan, days }, 'admin grant failed');
      await audit(ctx, {
        action: 'admin.grant',
        targetId: userId,
        result: 'error',
        details: { ...details, error: failure(err) },
      });
      return ctx.t('admin-action-failed', { reason: shown(ctx, err) });
    }
  }

  async function revoke(ctx: BotContext, userId: number) {
    try {
      await deps.billing.revoke({ telegramId: userId, actorId: ctx.from!.id, reason: 'admin' });
      await audit(ctx, { action: 'admin.revoke', targetId: userId, result: 'ok' });
      return ctx.t('admin-revoked', { id: String(userId) });
    } catch (err) {
      log.warn({ err, userId }, 'admin revoke failed');
      await audit(ctx, {
        action: 'admin.revoke',
        targetId: userId,
        result: 'error',
        details: { error: failure(err) },
      });
      return ctx.t('admin-action-failed', { reason: shown(ctx, err) });
    }
  }

  async function refund(ctx: BotContext, payment: PaymentRow | null, chargeId: string) {
    const details = { charge: chargeId.slice(0, 128) };
    const done = (result: AuditResult, extra: Record<string, string> = {}) =>
      audit(ctx, {
        action: 'admin.refund',
        targetId: payment?.telegram_id ?? null,
        result,
        details: { ...details, ...extra, ...(payment ? { amount: payment.amount } : {}) },
      });
    if (!payment) {
      await done('not-found');
      return ctx.t('admin-refund-not-found', { charge: echo(chargeId, 80) });
    }
    if (payment.refunded_at) {
      await done('invalid', { reason: 'already-refunded' });
      return ctx.t('admin-refund-already');
    }
    try {
      await deps.billing.refund({ chargeId: payment.telegram_payment_charge_id, actorId: ctx.from!.id });
      await done('ok');
      return ctx.t('admin-refunded', {
        amount: payment.amount,
        id: String(payment.telegram_id),
        charge: echo(payment.telegram_payment_charge_id, 80),
      });
    } catch (err) {
      log.warn({ err, chargeId }, 'admin refund failed');
      const reason = err instanceof GrammyError ? err.description : failure(err);
      await done('error', { error: reason.slice(0, 200) });
      return ctx.t('admin-action-failed', {
        reason: err instanceof GrammyError ? echo(reason, 200) : shown(ctx, err),
      });
    }
  }

  async function queues(ctx: BotContext) {
    try {
      const report = await readQueues(deps.client, deps.config);
      await audit(ctx, { action: 'admin.queues', result: 'ok' });
      await reply(ctx, renderQueues(ctx.locale, report));
    } catch (err) {
      log.warn({ err }, 'reading the task queues failed');
      await audit(ctx, { action: 'admin.queues', result: 'error', details: { error: failure(err) } });
      await reply(ctx, ctx.t('admin-queues-failed', { reason: echo(failure(err), 200) }));
    }
  }

  c.command('admin', async (ctx) => {
    const [sub = 'help', ...args] = words(ctx.match);
    const action = `admin.${/^[a-z]{1,16}$/.test(sub) ? sub : 'unknown'}`;
    if (!(await admit(gate, ctx, { action, details: { args: args.length } }))) return;
    switch (sub) {
      case 'stats':
        return stats(ctx);
      case 'user':
        return user(ctx, args.join(' '));
      case 'queues':
        return queues(ctx);
      case 'grant': {
        const [who, planText, daysText = '30'] = args;
        const plan = planText?.toLowerCase();
        const days = Number(daysText);
        if (
          !who ||
          (plan !== 'premium' && plan !== 'pro') ||
          !/^\d{1,4}$/.test(daysText) ||
          days < 1 ||
          days > MAX_DAYS ||
          args.length > 3
        ) {
          await audit(ctx, { action, result: 'invalid', details: { args: args.join(' ').slice(0, 64) } });
          return reply(ctx, ctx.t('admin-grant-usage'));
        }
        const userId = await target(ctx, who, action);
        if (userId !== null) await reply(ctx, await grant(ctx, userId, plan, days));
        return;
      }
      case 'revoke': {
        if (args.length !== 1) {
          await audit(ctx, { action, result: 'invalid' });
          return reply(ctx, ctx.t('admin-revoke-usage'));
        }
        const userId = await target(ctx, args[0], action);
        if (userId !== null) await reply(ctx, await revoke(ctx, userId));
        return;
      }
      case 'refund': {
        if (args.length !== 1 || args[0].length > 256) {
          await audit(ctx, { action, result: 'invalid' });
          return reply(ctx, ctx.t('admin-refund-usage'));
        }
        return reply(ctx, await refund(ctx, await repo.paymentByCharge(args[0]), args[0]));
      }
      default:
        await audit(ctx, { action: 'admin.help', result: 'ok' });
        return reply(ctx, ctx.t('admin-help'));
    }
  });

  c.callbackQuery(ADMIN_CALLBACK.filter, async (ctx) => {
    const { op, id, plan, days } = ADMIN_CALLBACK.read(ctx.match);
    const action =
      {
        g: 'admin.grant',
        rv: 'admin.revoke',
        'rv!': 'admin.revoke',
        rf: 'admin.refund',
        'rf!': 'admin.refund',
        u: 'admin.user',
      }[op] ?? 'admin.button';
    const isPayment = op === 'rf' || op === 'rf!';
    if (!(await admit(gate, ctx, { action, targetId: isPayment ? null : id, details: { button: op } })))
      return;
    const message = ctx.callbackQuery.message;
    const refreshCard = async (userId: number) => {
      const card = await cardOf(userId);
      if (!card || !message) return;
      await ctx
        .editMessageText(renderUserCard(ctx.locale, zone, card), {
          ...HTML,
          reply_markup: userCardKeyboard(ctx.locale, zone, card),
        })
        .catch((err: unknown) => {
          if (!isNotModified(err)) throw err;
        });
    };
    switch (op) {
      case 'g': {
        // A forged `adm:g:<id>` without plan and days grants nothing (every grant button carries both).
        if (plan === undefined || days === undefined) return ctx.answerCallbackQuery();
        const text = await grant(ctx, id, plan, days);
        await ctx.answerCallbackQuery({ text: stripTags(text), show_alert: true });
        return refreshCard(id);
      }
      case 'rv':
        await ctx.editMessageReplyMarkup({
          reply_markup: confirmKeyboard(ctx.locale, { kind: 'revoke', userId: id }),
        });
        return ctx.answerCallbackQuery();
      case 'rv!': {
        const text = await revoke(ctx, id);
        await ctx.answerCallbackQuery({ text: stripTags(text), show_alert: true });
        return refreshCard(id);
      }
      case 'rf': {
        const payment = await repo.payment(id);
        if (payment)
          await ctx.editMessageReplyMarkup({
            reply_markup: confirmKeyboard(ctx.locale, { kind: 'refund', payment }),
          });
        return ctx.answerCallbackQuery();
      }
      case 'rf!': {
        const payment = await repo.payment(id);
        const text = await refund(ctx, payment, payment?.telegram_payment_charge_id ?? `#${id}`);
        await ctx.answerCallbackQuery({ text: stripTags(text), show_alert: true });
        if (payment) return refreshCard(payment.telegram_id);
        return;
      }
      default:
        await ctx.answerCallbackQuery();
        await audit(ctx, { action: 'admin.user', targetId: id, result: 'ok' });
        return refreshCard(id);
    }
  });

  return c;
}

/** Callback answers are plain text (at most 200 characters). */
function stripTags(text: string): string {
  const plain = text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return plain.length > 200 ? `${plain.slice(0, 199)}…` : plain;
}
