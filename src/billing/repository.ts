/** SQL for billing's tables: subscriptions, payments, subscription_events, billing_notices, referrals. */
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Plan } from './plan';
import type { SubscriptionState } from './model/subscription';
import type { PaymentInput } from './workflow-types';

/** How a subscription came about (the `subscriptions.source` column). */
export type StoredSource = 'telegram_stars' | 'referral_bonus' | 'admin_grant' | 'legacy';
export type EventKind = 'payment' | 'grant' | 'revoke' | 'refund' | 'referral' | 'expiry';

const subscriptionRow = z.object({
  telegram_id: z.number(),
  tier: z.enum(['free', 'premium', 'pro']),
  expires_at: z.date().nullable(),
  source: z.enum(['telegram_stars', 'referral_bonus', 'admin_grant', 'legacy']).nullable(),
  credit_tier: z.enum(['premium']).nullable(),
  credit_seconds: z.number().nullable(),
  updated_at: z.date(),
});
export type SubscriptionRecord = z.infer<typeof subscriptionRow>;

export function stateOf(row: SubscriptionRecord | null): SubscriptionState {
  if (!row) return { plan: 'free', expiresAt: null, credit: null };
  return {
    plan: row.tier,
    expiresAt: row.tier === 'free' ? null : row.expires_at,
    credit: row.credit_tier
      ? { plan: row.credit_tier, ms: row.credit_seconds === null ? null : row.credit_seconds * 1000 }
      : null,
  };
}

export async function loadSubscription(
  db: CommonQueryMethods,
  telegramId: number,
  options: { forUpdate?: boolean } = {},
): Promise<SubscriptionRecord | null> {
  return db.maybeOne(sql.type(subscriptionRow)`
    SELECT telegram_id, tier, expires_at, source, credit_tier, credit_seconds, updated_at
    FROM subscriptions WHERE telegram_id = ${telegramId}
    ${options.forUpdate ? sql.fragment`FOR UPDATE` : sql.fragment``}`);
}

/** The FREE row a user's first change locks (concurrent first changes then wait for each other). */
export async function ensureSubscriptionRow(db: CommonQueryMethods, telegramId: number): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO subscriptions (telegram_id, tier) VALUES (${telegramId}, 'free') ON CONFLICT (telegram_id) DO NOTHING`);
}

export async function saveSubscription(
  db: CommonQueryMethods,
  telegramId: number,
  state: SubscriptionState,
  source: StoredSource | null,
): Promise<void> {
  const expires = state.expiresAt ? sql.timestamp(state.expiresAt) : null;
  const creditSeconds = state.credit?.ms == null ? null : Math.round(state.credit.ms / 1000);
  await db.query(sql.unsafe`
    INSERT INTO subscriptions (telegram_id, tier, expires_at, source, credit_tier, credit_seconds)
    VALUES (${telegramId}, ${state.plan}, ${expires}, ${source}, ${state.credit?.plan ?? null}, ${creditSeconds})
    ON CONFLICT (telegram_id) DO UPDATE
      SET tier = EXCLUDED.tier, expires_at = EXCLUDED.expires_at, source = EXCLUDED.source,
          credit_tier = EXCLUDED.credit_tier, credit_seconds = EXCLUDED.credit_seconds,
          auto_renew = FALSE, updated_at = now()`);
}

export interface EventEntry {
  telegramId: number;
  kind: EventKind;
  source: string;
  plan?: Plan | null;
  days?: number | null;
  actorId?: number | null;
  chargeId?: string | null;
  before: SubscriptionState;
  after: SubscriptionState;
  details?: Record<string, string | number | boolean | null>;
}

export async function recordEvent(db: CommonQueryMethods, e: EventEntry): Promise<void> {
  const ts = (d: Date | null) => (d ? sql.timestamp(d) : null);
  await db.query(sql.unsafe`
    INSERT INTO subscription_events (telegram_id, kind, source, tier, days, actor_id, charge_id,
      tier_before, expires_before, tier_after, expires_after, details)
    VALUES (${e.telegramId}, ${e.kind}, ${e.source}, ${e.plan ?? null},
      ${e.days == null ? null : Math.round(e.days)}, ${e.actorId ?? null}, ${e.chargeId ?? null},
      ${e.before.plan}, ${ts(e.before.expiresAt)}, ${e.after.plan}, ${ts(e.after.expiresAt)},
      ${sql.jsonb(e.details ?? {})})`);
}

export async function userExists(db: CommonQueryMethods, telegramId: number): Promise<boolean> {
  return db.exists(sql.unsafe`SELECT 1 FROM users WHERE telegram_id = ${telegramId}`);
}

// --- timer re-syncs ------------------------------------------------------------------------------------------------

/**
 * Marks the user's timers as to be re-armed (in the change's transaction); the token is this change's, so clearing
 * it after the signal never clears a later change's mark.
 */
export async function markTimerResync(
  db: CommonQueryMethods,
  telegramId: number,
  token: string,
): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO subscription_timer_resync (telegram_id, token) VALUES (${telegramId}, ${token})
    ON CONFLICT (telegram_id) DO UPDATE SET token = EXCLUDED.token`);
}

export async function clearTimerResync(
  db: CommonQueryMethods,
  telegramId: number,
  token: string,
): Promise<void> {
  await db.query(sql.unsafe`
    DELETE FROM subscription_timer_resync WHERE telegram_id = ${telegramId} AND token = ${token}`);
}

export async function noteTimerResyncFailure(
  db: CommonQueryMethods,
  telegramId: number,
  token: string,
  error: string,
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE subscription_timer_resync SET attempts = attempts + 1, last_error = ${error.slice(0, 500)}
    WHERE telegram_id = ${telegramId} AND token = ${token}`);
}

/** Marks older than `olderThanMs`: signals that failed, or were never sent (the bot died after the commit). */
export async function staleTimerResyncs(db: CommonQueryMethods, olderThanMs: number, limit = 500) {
  return db.any(sql.type(z.object({ telegram_id: z.number(), token: z.string() }))`
    SELECT telegram_id, token::text AS token FROM subscription_timer_resync
    WHERE since < now() - make_interval(secs => ${olderThanMs / 1000})
    ORDER BY since LIMIT ${limit}`);
}

export async function timerResyncsWaiting(db: CommonQueryMethods, olderThanMs: number): Promise<number> {
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM subscription_timer_resync
    WHERE since < now() - make_interval(secs => ${olderThanMs / 1000})`);
}

// --- payments ------------------------------------------------------------------------------------------------------

const paymentRow = z.object({
  id: z.number(),
  telegram_id: z.number(),
  telegram_payment_charge_id: z.string(),
  amount: z.number(),
  tier: z.enum(['premium', 'pro']),
  period: z.enum(['month', 'year']),
  days: z.number().nullable(),
  expires_at: z.date(),
  refunded_at: z.date().nullable(),
  created_at: z.date(),
});
export type PaymentRecord = z.infer<typeof paymentRow>;
const paymentColumns = sql.fragment`id, telegram_id, telegram_payment_charge_id, amount, tier, period, days,
  expires_at, refunded_at, created_at`;

/** A successful payment as the subscription workflow records it: what Telegram reported, plus the granted term. */
export interface NewPayment extends PaymentInput {
  days: number;
  expiresAt: Date;
}

/** The UNIQUE charge id is the last guard: a second insert of one charge returns null. */
export async function insertPayment(db: CommonQueryMethods, p: NewPayment): Promise<PaymentRecord | null> {
  return db.maybeOne(sql.type(paymentRow)`
    INSERT INTO payments (telegram_id, telegram_payment_charge_id, provider_payment_charge_id, currency, amount,
      tier, period, days, invoice_payload, expires_at)
    VALUES (${p.telegramId}, ${p.chargeId}, ${p.providerChargeId}, ${p.currency}, ${p.amount}, ${p.plan},
      ${p.period}, ${p.days}, ${p.payload}, ${sql.timestamp(p.expiresAt)})
    ON CONFLICT (telegram_payment_charge_id) DO NOTHING
    RETURNING ${paymentColumns}`);
}

/** The expiry the payment's plan reached once credited (shown to operators; refunds use `days`). */
export async function setPaymentExpiry(
  db: CommonQueryMethods,
  paymentId: number,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    sql.unsafe`UPDATE payments SET expires_at = ${sql.timestamp(expiresAt)} WHERE id = ${paymentId}`,
  );
}

export async function findPayment(db: CommonQueryMethods, chargeId: string): Promise<PaymentRecord | null> {
  return db.maybeOne(sql.type(paymentRow)`
    SELECT ${paymentColumns} FROM payments WHERE telegram_payment_charge_id = ${chargeId}`);
}

/** Marks a payment refunded; null when it already was (or is unknown): the revocation happens once. */
export async function markRefunded(db: CommonQueryMethods, chargeId: string): Promise<PaymentRecord | null> {
  return db.maybeOne(sql.type(paymentRow)`
    UPDATE payments SET refunded_at = now()
    WHERE telegram_payment_charge_id = ${chargeId} AND refunded_at IS NULL
    RETURNING ${paymentColumns}`);
}

export async function lastSource(db: CommonQueryMethods, telegramId: number): Promise<string | null> {
  return db.maybeOneFirst(sql.type(z.object({ source: z.string() }))`
    SELECT source FROM subscription_events WHERE telegram_id = ${telegramId} AND kind <> 'expiry'
    ORDER BY id DESC LIMIT 1`);
}

// --- notices ------------------------------------------------------------------------------------------------------

/**
 * Whether this notice was claimed in billing_notices, where notices went before the shared send claims: sent, or
 * left mid-send by a crash (then it may have arrived). Either way it is not sent again.
 */
export async function noticeClaimedBefore(pool: DatabasePool, telegramId: number, kind: string, key: string) {
  const row = await pool.maybeOne(sql.unsafe`
    SELECT 1 FROM billing_notices WHERE telegram_id = ${telegramId} AND kind = ${kind} AND key = ${key}`);
  return row !== null;
}

// --- users and referrals -------------------------------------------------------------------------------------------

const userInfo = z.object({
  telegram_id: z.number(),
  language: z.enum(['ru', 'en']),
  timezone: z.string(),
  referral_code: z.string().nullable(),
  legacy_referrals_count: z.number(),
});
export type UserInfo = z.infer<typeof userInfo>;

export async function userInfoOf(db: CommonQueryMethods, telegramId: number): Promise<UserInfo | null> {
  return db.maybeOne(sql.type(userInfo)`
    SELECT telegram_id, language, timezone, referral_code, legacy_referrals_count
    FROM users WHERE telegram_id = ${telegramId}`);
}

/**
 * Referrals made with a code since the migration (migrated ones have no code: the legacy bot's own count,
 * users.legacy_referrals_count, stands for them) and how many earned a reward.
 */
export async function referralStats(db: CommonQueryMethods, referrerId: number) {
  return db.one(sql.type(z.object({ joined: z.number(), rewarded: z.number() }))`
    SELECT count(*) FILTER (WHERE code IS NOT NULL)::int AS joined,
           count(*) FILTER (WHERE faceit_player_id IS NOT NULL)::int AS rewarded
    FROM referrals WHERE referrer_id = ${referrerId}`);
}

/** Days of PREMIUM the user earned through referrals (as referrer or as the new user). */
export async function referralDaysEarned(db: CommonQueryMethods, telegramId: number): Promise<number> {
  return db.oneFirst(sql.type(z.object({ days: z.number() }))`
    SELECT COALESCE(sum(days), 0)::int AS days FROM subscription_events
    WHERE telegram_id = ${telegramId} AND kind = 'referral'`);
}

const referralRow = z.object({
  referred_id: z.number(),
  referrer_id: z.number(),
  rewarded_at: z.date().nullable(),
  /** When the referred user joined the bot (users.created_at). */
  joined_at: z.date(),
});

export async function pendingReferral(db: CommonQueryMethods, referredId: number, forUpdate = false) {
  return db.maybeOne(sql.type(referralRow)`
    SELECT r.referred_id, r.referrer_id, r.rewarded_at, u.created_at AS joined_at
    FROM referrals r JOIN users u ON u.telegram_id = r.referred_id
    WHERE r.referred_id = ${referredId} AND r.rewarded_at IS NULL
    ${forUpdate ? sql.fragment`FOR UPDATE OF r` : sql.fragment``}`);
}

/**
 * Locks every referral of the referrer (in one order), so that two rewards of one referrer at once count the monthly
 * cap one after the other. Taken before the referred user's own row, which is among them.
 */
export async function lockReferrerReferrals(db: CommonQueryMethods, referrerId: number): Promise<void> {
  await db.query(sql.unsafe`
    SELECT referred_id FROM referrals WHERE referrer_id = ${referrerId} ORDER BY referred_id FOR UPDATE`);
}

export async function linkedPlayer(db: CommonQueryMethods, telegramId: number): Promise<string | null> {
  return db.maybeOneFirst(sql.type(z.object({ faceit_player_id: z.string() }))`
    SELECT faceit_player_id FROM faceit_accounts WHERE telegram_id = ${telegramId}`);
}

/** Whether the user had an analysis delivered (the analysis slice's analysis_requests). */
export async function hasDeliveredAnalysis(db: CommonQueryMethods, telegramId: number): Promise<boolean> {
  return db.exists(sql.unsafe`
    SELECT 1 FROM analysis_requests WHERE telegram_id = ${telegramId} AND status = 'delivered'`);
}

/** Whether the referrer has ever linked this FACEIT player (faceit_link_history outlives an unlink). */
export async function everLinkedBy(db: CommonQueryMethods, telegramId: number, playerId: string) {
  return db.exists(sql.unsafe`
    SELECT 1 FROM faceit_link_history WHERE telegram_id = ${telegramId} AND faceit_player_id = ${playerId}`);
}

/**
 * Takes the FACEIT player for this referral, for good: false when a reward was already decided on it (rewarded, or
 * refused as a referrer's own), whoever holds it now and whatever happened to that referral since.
 */
export async function claimReferralPlayer(
  db: CommonQueryMethods,
  claim: { playerId: string; referredId: number; referrerId: number; outcome: 'rewarded' | 'own-player' },
): Promise<boolean> {
  const claimed = await db.maybeOne(sql.unsafe`
    INSERT INTO referral_players (faceit_player_id, referred_id, referrer_id, outcome)
    VALUES (${claim.playerId}, ${claim.referredId}, ${claim.referrerId}, ${claim.outcome})
    ON CONFLICT (faceit_player_id) DO NOTHING
    RETURNING faceit_player_id`);
  return claimed !== null;
}

/** Referrer rewards credited this calendar month in `timeZone` (the monthly cap). */
export async function referrerRewardsThisMonth(
  db: CommonQueryMethods,
  referrerId: number,
  timeZone: string,
): Promise<number> {
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM referrals
    WHERE referrer_id = ${referrerId}
      AND referrer_rewarded_at >= date_trunc('month', now() AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone}`);
}

/**
 * Closes a referral: rewarded (with the FACEIT player that earned it, and whether the referrer was credited) or
 * refused (no player recorded).
 */
export async function closeReferral(
  db: CommonQueryMethods,
  referredId: number,
  playerId: string | null,
  referrerRewarded = false,
) {
  await db.query(sql.unsafe`
    UPDATE referrals SET rewarded_at = now(), faceit_player_id = ${playerId},
      referrer_rewarded_at = ${referrerRewarded ? sql.fragment`now()` : null}
    WHERE referred_id = ${referredId} AND rewarded_at IS NULL`);
}

// --- star charges --------------------------------------------------------------------------------------------------

export type ChargeStatus = 'recorded' | 'credited' | 'rejected' | 'refunded';
const chargeRow = z.object({
  id: z.number(),
  telegram_payment_charge_id: z.string(),
  telegram_id: z.number(),
  invoice_payload: z.string(),
  amount: z.number(),
  currency: z.string(),
  provider_payment_charge_id: z.string().nullable(),
  origin: z.enum(['update', 'reconcile', 'backfill']),
  status: z.enum(['recorded', 'credited', 'rejected', 'refunded']),
  reason: z.string().nullable(),
  created_at: z.date(),
});
export type ChargeRecord = z.infer<typeof chargeRow>;
const chargeColumns = sql.fragment`id, telegram_payment_charge_id, telegram_id, invoice_payload, amount, currency,
  provider_payment_charge_id, origin, status, reason, created_at`;

export interface NewCharge {
  chargeId: string;
  telegramId: number;
  payload: string;
  amount: number;
  currency: string;
  providerChargeId: string | null;
  origin: 'update' | 'reconcile';
  /** The update (or StarTransaction) exactly as Telegram sent it. */
  raw: unknown;
}

/**
 * The one insert every charge gets before anything else. Returns the row and whether this call created it (a
 * redelivered update, or one the reconciliation found first, finds it there and changes nothing in it).
 */
export async function recordCharge(
  db: CommonQueryMethods,
  c: NewCharge,
): Promise<{ charge: ChargeRecord; created: boolean }> {
  const created = await db.maybeOne(sql.type(chargeRow)`
    INSERT INTO star_charges (telegram_payment_charge_id, telegram_id, invoice_payload, amount, currency,
      provider_payment_charge_id, origin, raw)
    VALUES (${c.chargeId}, ${c.telegramId}, ${c.payload}, ${c.amount}, ${c.currency}, ${c.providerChargeId},
      ${c.origin}, ${sql.jsonb(JSON.parse(JSON.stringify(c.raw ?? null)))})
    ON CONFLICT (telegram_payment_charge_id) DO NOTHING
    RETURNING ${chargeColumns}`);
  if (created) return { charge: created, created: true };
  const existing = await findCharge(db, c.chargeId);
  if (!existing) throw new Error(`star charge ${c.chargeId} neither inserted nor found`);
  return { charge: existing, created: false };
}

export async function findCharge(db: CommonQueryMethods, chargeId: string): Promise<ChargeRecord | null> {
  return db.maybeOne(sql.type(chargeRow)`
    SELECT ${chargeColumns} FROM star_charges WHERE telegram_payment_charge_id = ${chargeId}`);
}

/** The recorded charges among `chargeIds` (the reconciliation's look-up of one page). */
export async function chargesByIds(db: CommonQueryMethods, chargeIds: readonly string[]) {
  if (chargeIds.length === 0) return [];
  return db.any(sql.type(chargeRow)`
    SELECT ${chargeColumns} FROM star_charges
    WHERE telegram_payment_charge_id = ANY(${sql.array([...chargeIds], 'text')})`);
}

/**
 * Credited, in the crediting transaction. A payment whose workflow started before charges were recorded gets its
 * row here (origin 'backfill').
 */
export async function markChargeCredited(db: CommonQueryMethods, p: PaymentInput): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO star_charges (telegram_payment_charge_id, telegram_id, invoice_payload, amount, currency,
      provider_payment_charge_id, origin, status)
    VALUES (${p.chargeId}, ${p.telegramId}, ${p.payload}, ${p.amount}, ${p.currency}, ${p.providerChargeId},
      'backfill', 'credited')
    ON CONFLICT (telegram_payment_charge_id) DO UPDATE SET status = 'credited', updated_at = now()
      WHERE star_charges.status = 'recorded'`);
}

/** Rejected (refund due), with the reason; only a charge not settled otherwise. */
export async function markChargeRejected(db: CommonQueryMethods, chargeId: string, reason: string) {
  await db.query(sql.unsafe`
    UPDATE star_charges SET status = 'rejected', reason = ${reason}, updated_at = now()
    WHERE telegram_payment_charge_id = ${chargeId} AND status = 'recorded'`);
}

export async function markChargeRefunded(db: CommonQueryMethods, chargeId: string): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE star_charges SET status = 'refunded', updated_at = now()
    WHERE telegram_payment_charge_id = ${chargeId} AND status <> 'refunded'`);
}

/** Charges recorded (or rejected) more than `olderThanMs` ago and still not settled: their handler never finished. */
export async function unsettledCharges(db: CommonQueryMethods, olderThanMs: number, limit = 500) {
  return db.any(sql.type(chargeRow)`
    SELECT ${chargeColumns} FROM star_charges
    WHERE status IN ('recorded', 'rejected')
      AND created_at < now() - make_interval(secs => ${olderThanMs / 1000})
    ORDER BY created_at LIMIT ${limit}`);
}

/** The user's latest charges (for /paysupport). */
export async function chargesOf(db: CommonQueryMethods, telegramId: number, limit = 5) {
  return db.any(sql.type(chargeRow)`
    SELECT ${chargeColumns} FROM star_charges WHERE telegram_id = ${telegramId}
    ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
}
