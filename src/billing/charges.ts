/**
 * From a recorded Stars charge (`star_charges`, one insert before anything else) to its one outcome, whoever found
 * it — the successful_payment update in the bot or the reconciliation in a worker: a charge whose payload verifies
 * is credited by the workflow `payment-<charge id>`, any other is refunded and explained by `reject-<charge id>`.
 * Both ids make a second start (a redelivered update, the reconciliation, a second replica) harmless. Every start
 * carries the RPC deadline (TEMPORAL_RPC_TIMEOUT_MS).
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { withRpcDeadline } from '../temporal/deadline';
import { Plan as PlanAttribute, TelegramUserId } from '../temporal/search-attributes';
import { checkCharge, type ChargeRejection, type InvoiceTerms } from './model/invoice';
import { markChargeRejected, userExists, type ChargeRecord } from './repository';
import { payloadSecret } from './settings';
import { queueOf } from './sync';
import { paymentWorkflowId, refundWorkflowId, rejectWorkflowId, type PaymentInput } from './workflow-types';

export interface ChargeDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  client: Client;
}

export function paymentInputOf(charge: ChargeRecord, terms: InvoiceTerms): PaymentInput {
  return {
    telegramId: charge.telegram_id,
    chargeId: charge.telegram_payment_charge_id,
    providerChargeId: charge.provider_payment_charge_id || null,
    currency: charge.currency,
    amount: charge.amount,
    plan: terms.plan,
    period: terms.period,
    payload: charge.invoice_payload,
  };
}

/** Starts `payment-<charge id>`; started false when it ran (or runs) already. */
export async function startPaymentWorkflow(
  client: Client,
  config: Config,
  input: PaymentInput,
): Promise<{ started: boolean }> {
  try {
    await withRpcDeadline(client, config, () =>
      client.workflow.start('paymentWorkflow', {
        workflowId: paymentWorkflowId(input.chargeId),
        taskQueue: queueOf(config),
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: TelegramUserId, value: input.telegramId },
          { key: PlanAttribute, value: input.plan },
        ],
      }),
    );
    return { started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
    throw err;
  }
}

/** Starts `reject-<charge id>` (refund and explanation); one that failed (Telegram refused) may run again. */
export async function startRejectWorkflow(
  client: Client,
  config: Config,
  charge: Pick<ChargeRecord, 'telegram_payment_charge_id' | 'telegram_id'>,
): Promise<{ started: boolean }> {
  try {
    await withRpcDeadline(client, config, () =>
      client.workflow.start('rejectedChargeWorkflow', {
        workflowId: rejectWorkflowId(charge.telegram_payment_charge_id),
        taskQueue: queueOf(config),
        args: [{ chargeId: charge.telegram_payment_charge_id }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TelegramUserId, value: charge.telegram_id }],
      }),
    );
    return { started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
    throw err;
  }
}

/**
 * A refund Telegram shows that our ledger lacks: `refund-<charge id>` takes back what the payment bought and says so
 * (its `refundStarPayment` answers CHARGE_ALREADY_REFUNDED, which it takes as done). Joins a refund in progress.
 */
export async function startRefundSeenWorkflow(
  client: Client,
  config: Config,
  charge: Pick<ChargeRecord, 'telegram_payment_charge_id' | 'telegram_id'>,
): Promise<void> {
  try {
    await withRpcDeadline(client, config, () =>
      client.workflow.start('refundWorkflow', {
        workflowId: refundWorkflowId(charge.telegram_payment_charge_id),
        taskQueue: queueOf(config),
        args: [{ chargeId: charge.telegram_payment_charge_id, actorId: null }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TelegramUserId, value: charge.telegram_id }],
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

export type Settlement =
  | { kind: 'settled' }
  | { kind: 'credit'; input: PaymentInput; started: boolean }
  | { kind: 'reject'; rejection: ChargeRejection; started: boolean }
  | { kind: 'unknown-buyer' };

/** What a recorded charge calls for: nothing (settled), a credit, or a refund with its reason. */
export function verdictOf(
  config: Config,
  charge: ChargeRecord,
):
  | { kind: 'settled' }
  | { kind: 'credit'; input: PaymentInput }
  | { kind: 'reject'; rejection: ChargeRejection } {
  if (charge.status === 'credited' || charge.status === 'refunded') return { kind: 'settled' };
  const checked = checkCharge(
    {
      buyerId: charge.telegram_id,
      currency: charge.currency,
      amount: charge.amount,
      payload: charge.invoice_payload,
    },
    payloadSecret(config),
  );
  if (checked.rejection) return { kind: 'reject', rejection: checked.rejection };
  return { kind: 'credit', input: paymentInputOf(charge, checked.terms) };
}

/**
 * Starts what the charge calls for. A rejected charge is marked so first (with its reason); one not paid in Stars
 * cannot be refunded with refundStarPayment and is left to an operator. Throws when Temporal cannot be reached.
 */
export async function settleCharge(deps: ChargeDeps, charge: ChargeRecord): Promise<Settlement> {
  const verdict = verdictOf(deps.config, charge);
  const log = deps.logger.child({ component: 'billing' });
  const chargeId = charge.telegram_payment_charge_id;
  if (verdict.kind === 'settled') return verdict;
  if (verdict.kind === 'reject') {
    if (charge.status === 'recorded') await markChargeRejected(deps.pool, chargeId, verdict.rejection);
    log.warn(
      { telegramId: charge.telegram_id, chargeId, rejection: verdict.rejection },
      'star charge rejected: refunding',
    );
    if (charge.currency !== 'XTR') return { ...verdict, started: false };
    return { ...verdict, ...(await startRejectWorkflow(deps.client, deps.config, charge)) };
  }
  if (!(await userExists(deps.pool, charge.telegram_id))) {
    // Only a user who got our invoice can pay it; one unknown here is an operator matter (the charge stays recorded).
    log.error({ telegramId: charge.telegram_id, chargeId }, 'star charge of an unknown user: not credited');
    return { kind: 'unknown-buyer' };
  }
  return { ...verdict, ...(await startPaymentWorkflow(deps.client, deps.config, verdict.input)) };
}
