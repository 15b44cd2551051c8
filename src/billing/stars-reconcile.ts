/**
 * Stars reconciliation: the bot's Telegram Stars history (getStarTransactions, paged) against `star_charges`.
 * Telegram's history is the truth about money; the updates are only how we usually hear of it, and one can be lost
 * (a restart after the long-polling runner confirmed it, a webhook that failed until Telegram gave up). Each run
 * reads the whole history (one call per 100 transactions) and, once by charge id:
 *
 * - an incoming invoice payment we have no record of is recorded (origin `reconcile`, the transaction as raw) and
 *   settled like an update's: credited by `payment-<charge id>`, or refunded by `reject-<charge id>`;
 * - a charge recorded but never settled (the handler died after the insert) is settled;
 * - a refund of a credited payment that our ledger lacks is applied by `refund-<charge id>`.
 *
 * Every start is idempotent by its id, so a run racing the bot's own handling changes nothing twice; what is found
 * is counted in `billing_stars_reconcile_findings_total{finding}`.
 */
import type { Client } from '@temporalio/client';
import type { Api } from 'grammy';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { starsReconcileFindings } from '../ops/metrics';
import { requestSignal } from '../telegram/api';
import { settleCharge, startRefundSeenWorkflow } from './charges';
import { chargesByIds, markChargeRefunded, recordCharge, type ChargeRecord } from './repository';
import type { ReconcileOutcome } from './workflow-types';

/** getStarTransactions' page size (Telegram's maximum). */
export const STAR_PAGE = 100;
/** A charge or refund younger than this may still be in the bot's hands: settled, but not counted as a finding. */
export const RECONCILE_GRACE_MS = 60_000;

const partner = z
  .object({
    type: z.string(),
    transaction_type: z.string().optional(),
    user: z.object({ id: z.number().int() }).passthrough().optional(),
    invoice_payload: z.string().optional(),
  })
  .passthrough();
const starTransaction = z
  .object({
    id: z.string().min(1),
    amount: z.number().int(),
    date: z.number().int(),
    source: partner.optional(),
    receiver: partner.optional(),
  })
  .passthrough();
const starTransactions = z.object({ transactions: z.array(starTransaction) }).passthrough();
type StarTransaction = z.infer<typeof starTransaction>;

export interface ReconcileDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  api: Api;
  client: Client;
  /** Default RECONCILE_GRACE_MS. */
  graceMs?: number;
  /** Called after each page (the activity's heartbeat). */
  progress?: (read: number) => void;
  signal?: AbortSignal;
}

const isInvoicePayment = (t: StarTransaction) =>
  t.source?.type === 'user' && t.source.transaction_type === 'invoice_payment' && !!t.source.user;
const isUserRefund = (t: StarTransaction) => t.receiver?.type === 'user' && !!t.receiver.user;

export async function reconcileStars(deps: ReconcileDeps): Promise<ReconcileOutcome> {
  const log = deps.logger.child({ component: 'billing-reconcile' });
  const findings = starsReconcileFindings();
  const payments = new Map<string, StarTransaction>();
  const refunds = new Map<string, StarTransaction>();
  let scanned = 0;
  for (;;) {
    const page = starTransactions.parse(
      await deps.api.getStarTransactions(
        { offset: scanned, limit: STAR_PAGE },
        requestSignal(deps.config.TELEGRAM_SEND_TIMEOUT_MS, deps.signal),
      ),
    ).transactions;
    for (const t of page) {
      if (isInvoicePayment(t)) payments.set(t.id, t);
      else if (isUserRefund(t)) refunds.set(t.id, t);
    }
    scanned += page.length;
    deps.progress?.(scanned);
    if (page.length < STAR_PAGE) break;
  }

  const known = new Map<string, ChargeRecord>();
  const ids = [...payments.keys()];
  for (let i = 0; i < ids.length; i += 1000) {
    for (const c of await chargesByIds(deps.pool, ids.slice(i, i + 1000)))
      known.set(c.telegram_payment_charge_id, c);
  }

  const outcome: ReconcileOutcome = { scanned, missing: 0, unsettled: 0, refunds: 0 };
  const now = Date.now();
  const grace = deps.graceMs ?? RECONCILE_GRACE_MS;
  const settled = (t: StarTransaction) => now - t.date * 1000 >= grace;
  const count = (finding: 'missing' | 'unsettled' | 'refund', chargeId: string) => {
    findings.inc({ finding });
    if (finding === 'missing') outcome.missing++;
    else if (finding === 'unsettled') outcome.unsettled++;
    else outcome.refunds++;
    log.warn({ chargeId, finding }, 'stars reconciliation found a charge our records lacked');
  };

  for (const [chargeId, t] of payments) {
    const refund = refunds.get(chargeId);
    let charge = known.get(chargeId);
    if (!charge) {
      const recorded = await recordCharge(deps.pool, {
        chargeId,
        telegramId: t.source!.user!.id,
        payload: t.source!.invoice_payload ?? '',
        amount: t.amount,
        currency: 'XTR',
        providerChargeId: null,
        origin: 'reconcile',
        raw: t,
      });
      charge = recorded.charge;
      if (recorded.created) {
        if (refund) {
          // Paid and refunded before we ever heard of it: nothing to credit, nothing to take back.
          await markChargeRefunded(deps.pool, chargeId);
          count('refund', chargeId);
          continue;
        }
        // An update in flight right now would have recorded it first; this one was lost.
        if (settled(t)) count('missing', chargeId);
        await settleCharge(deps, charge);
        continue;
      }
    }
    if (refund) {
      if (charge.status === 'refunded') continue;
      if (charge.status === 'credited') {
        await startRefundSeenWorkflow(deps.client, deps.config, charge);
        if (settled(refund)) count('refund', chargeId);
      } else {
        // Refunded before it was credited (or by our own rejection): nothing was granted.
        await markChargeRefunded(deps.pool, chargeId);
        if (charge.status === 'recorded') count('refund', chargeId);
      }
      continue;
    }
    if (charge.status === 'recorded' || charge.status === 'rejected') {
      const old = now - charge.created_at.getTime() >= grace;
      const result = await settleCharge(deps, charge);
      if (old && result.kind !== 'settled') count('unsettled', chargeId);
    }
  }
  log.info(outcome, 'stars reconciliation');
  return outcome;
}
