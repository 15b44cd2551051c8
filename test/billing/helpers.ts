/** Buying through the Telegram emulator as a user would: /subscribe, a plan button, the invoice, Pay. */
import { sql } from 'slonik';
import { z } from 'zod';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import type { BotWorld } from '../bot/harness';

export const DAY_MS = 86_400_000;
export const CONFIRMED = /Payment received|Оплата получена/;

export async function requestInvoice(
  w: BotWorld,
  user: SimUser,
  plan: 'premium' | 'pro',
  period: 'month' | 'year',
): Promise<StoredMessage> {
  const plans = await w.send(user, '/subscribe');
  await w.click(user, plans, `bill:buy:${plan}:${period}`);
  return w.tg.waitForBotMessage(user.id, (m) => !!m.invoice && m.messageId > plans.messageId);
}

/** Pays the invoice and waits for the bot's confirmation. */
export async function buy(w: BotWorld, user: SimUser, plan: 'premium' | 'pro', period: 'month' | 'year') {
  const invoice = await requestInvoice(w, user, plan, period);
  const paid = await w.tg.payInvoice({ from: user, chatId: user.id, messageId: invoice.messageId });
  if (!paid.answer.ok || !paid.payment || !paid.chargeId) {
    throw new Error(`payment refused: ${paid.answer.errorMessage ?? 'no answer'}`);
  }
  const confirmation = await w.tg.waitForBotMessage(
    user.id,
    (m) => m.messageId > paid.payment!.messageId && CONFIRMED.test(m.text ?? ''),
  );
  return { invoice, chargeId: paid.chargeId, payment: paid.payment, confirmation };
}

const subscriptionRow = z.object({
  tier: z.string(),
  expires_at: z.date().nullable(),
  credit_tier: z.string().nullable(),
  credit_seconds: z.number().nullable(),
  source: z.string().nullable(),
});

export function subscriptionOf(w: BotWorld, telegramId: number) {
  return w.pool.maybeOne(sql.type(subscriptionRow)`
    SELECT tier, expires_at, credit_tier, credit_seconds, source FROM subscriptions WHERE telegram_id = ${telegramId}`);
}

export function paymentsOf(w: BotWorld, telegramId: number) {
  return w.pool.any(
    sql.type(
      z.object({
        telegram_payment_charge_id: z.string(),
        tier: z.string(),
        amount: z.number(),
        refunded_at: z.date().nullable(),
      }),
    )`SELECT telegram_payment_charge_id, tier, amount, refunded_at FROM payments WHERE telegram_id = ${telegramId} ORDER BY id`,
  );
}

export function eventsOf(w: BotWorld, telegramId: number) {
  return w.pool.anyFirst(sql.type(z.object({ kind: z.string() }))`
    SELECT kind FROM subscription_events WHERE telegram_id = ${telegramId} ORDER BY id`);
}

/** Bot messages in the user's chat matching `pattern`. */
export function botTexts(w: BotWorld, chatId: number, pattern: RegExp): string[] {
  return w.tg
    .botMessages(chatId)
    .map((m) => m.text ?? '')
    .filter((t) => pattern.test(t));
}

/** Lets in-flight work (workflows, duplicate deliveries) finish before counting messages. */
export const settle = (ms = 1_500) => new Promise((r) => setTimeout(r, ms));
