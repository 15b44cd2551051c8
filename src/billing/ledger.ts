/**
 * Every subscription change goes through here: in one transaction the row is locked, the pure rule applied, the
 * result saved and the change recorded in subscription_events. Callers add their own writes (the payment row, the
 * referral) to the same transaction.
 */
import type { DatabaseTransactionConnection } from 'slonik';
import type { PaidPlan } from './plan';
import {
  current,
  DAY_MS,
  FREE,
  grant,
  grantOpenEnded,
  takeBack,
  type SubscriptionState,
} from './model/subscription';
import {
  ensureSubscriptionRow,
  loadSubscription,
  recordEvent,
  saveSubscription,
  stateOf,
  type EventKind,
  type StoredSource,
} from './repository';

export type GrantSource = 'admin' | 'referral' | 'payment' | 'legacy';
export const STORED_SOURCE: Record<GrantSource, StoredSource> = {
  admin: 'admin_grant',
  referral: 'referral_bonus',
  payment: 'telegram_stars',
  legacy: 'legacy',
};

export interface Change {
  before: SubscriptionState;
  after: SubscriptionState;
}

interface ChangeMeta {
  kind: EventKind;
  source: string;
  plan?: PaidPlan | 'free';
  days?: number;
  actorId?: number | null;
  chargeId?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

async function change(
  tx: DatabaseTransactionConnection,
  telegramId: number,
  apply: (state: SubscriptionState, now: Date) => SubscriptionState,
  storedSource: (previous: StoredSource | null, after: SubscriptionState) => StoredSource | null,
  meta: ChangeMeta,
): Promise<Change> {
  // A user's first change has no row to lock: without one, two concurrent changes would both read FREE and the
  // later save would erase the earlier. The empty (FREE) row is created first, so the lock below always holds.
  await ensureSubscriptionRow(tx, telegramId);
  const row = await loadSubscription(tx, telegramId, { forUpdate: true });
  const now = new Date();
  const before = current(stateOf(row), now);
  const after = apply(before, now);
  const source = after.plan === 'free' ? null : storedSource(row?.source ?? null, after);
  await saveSubscription(tx, telegramId, after, source);
  await recordEvent(tx, { telegramId, before, after, ...meta });
  return { before, after };
}

export function applyGrant(
  tx: DatabaseTransactionConnection,
  input: { telegramId: number; plan: PaidPlan; days: number; source: GrantSource; actorId?: number | null },
  meta: Partial<ChangeMeta> = {},
): Promise<Change> {
  const kind: EventKind =
    input.source === 'payment' ? 'payment' : input.source === 'referral' ? 'referral' : 'grant';
  return change(
    tx,
    input.telegramId,
    (s, now) => grant(s, input.plan, input.days * DAY_MS, now),
    // The source shown is the one of the plan in force: a banked lower plan does not relabel the running one.
    (prev, after) => (after.plan === input.plan ? STORED_SOURCE[input.source] : prev),
    { kind, source: input.source, plan: input.plan, days: input.days, actorId: input.actorId, ...meta },
  );
}

/**
 * A legacy paid plan still running, merged into a live user (the legacy migration): its remaining time — up to
 * `until`, from `from` if an earlier merge already banked the time before it — is granted on top of what the user
 * has, by the same rules as any grant (same plan extends, a higher one starts now and banks the rest, a lower one is
 * banked). `until` null = an open-ended legacy plan. Recorded as a `grant` from source `legacy`.
 */
export function applyLegacyPlan(
  tx: DatabaseTransactionConnection,
  input: { telegramId: number; plan: PaidPlan; until: Date | null; from?: Date | null },
  details: Record<string, string | number | boolean | null> = {},
): Promise<Change> {
  const msOf = (now: Date) =>
    input.until === null
      ? null
      : Math.max(0, input.until.getTime() - Math.max(now.getTime(), input.from?.getTime() ?? 0));
  return change(
    tx,
    input.telegramId,
    (s, now) => {
      const ms = msOf(now);
      if (ms === null) return grantOpenEnded(s, input.plan, now);
      return ms > 0 ? grant(s, input.plan, ms, now) : s;
    },
    (prev, after) => (after.plan === input.plan ? STORED_SOURCE.legacy : prev),
    {
      kind: 'grant',
      source: 'legacy',
      plan: input.plan,
      days: input.until === null ? undefined : (msOf(new Date()) ?? 0) / DAY_MS,
      details,
    },
  );
}

export function applyTakeBack(
  tx: DatabaseTransactionConnection,
  input: { telegramId: number; plan: PaidPlan; days: number; actorId?: number | null; chargeId: string },
): Promise<Change> {
  return change(
    tx,
    input.telegramId,
    (s, now) => takeBack(s, input.plan, input.days * DAY_MS, now),
    (prev) => prev,
    {
      kind: 'refund',
      source: 'refund',
      plan: input.plan,
      days: input.days,
      actorId: input.actorId,
      chargeId: input.chargeId,
    },
  );
}

export function applyRevoke(
  tx: DatabaseTransactionConnection,
  input: { telegramId: number; actorId?: number | null; reason: string },
): Promise<Change> {
  return change(
    tx,
    input.telegramId,
    () => FREE,
    () => null,
    {
      kind: 'revoke',
      source: 'admin',
      plan: 'free',
      actorId: input.actorId,
      details: { reason: input.reason },
    },
  );
}

/**
 * Writes down what time did (the plan ended, the credit resumed) if the stored row still says otherwise; null when
 * there was nothing to write (a renewal came first, or another run already did it).
 */
export async function applyExpiry(
  tx: DatabaseTransactionConnection,
  telegramId: number,
): Promise<Change | null> {
  const row = await loadSubscription(tx, telegramId, { forUpdate: true });
  const stored = stateOf(row);
  const after = current(stored, new Date());
  if (after.plan === stored.plan && after.expiresAt?.getTime() === stored.expiresAt?.getTime()) return null;
  await saveSubscription(tx, telegramId, after, after.plan === 'free' ? null : (row?.source ?? null));
  await recordEvent(tx, {
    telegramId,
    kind: 'expiry',
    source: 'expiry',
    plan: after.plan,
    before: stored,
    after,
  });
  return { before: stored, after };
}
