// Telegram Stars: the charges a bot received and the refunds it made (refundStarPayment, getStarTransactions).
// Like Telegram: a charge can be refunded once, only to the user who paid it; an unknown charge is refused. The
// history is the bot's transactions in chronological order (a refund is a new, later transaction with the charge's
// id), paged by offset and limit (1-100, default 100); an incoming invoice payment has a TransactionPartnerUser
// source (transaction_type "invoice_payment", the user, the invoice payload), a refund the same user as receiver.
import { optNumber, optString } from './body';
import type { MethodHandler } from './context';
import { badRequest } from './errors';
import type { StarCharge, StarTransactionEntry } from './types';

const refundStarPayment: MethodHandler = ({ bot, params }) => {
  const userId = optNumber(params, 'user_id');
  const chargeId = optString(params, 'telegram_payment_charge_id') ?? '';
  if (userId === undefined) throw badRequest('user_id is empty');
  if (chargeId === '') throw badRequest('CHARGE_ID_EMPTY');
  const charge = bot.starCharges.get(chargeId);
  if (!charge || charge.userId !== userId) throw badRequest('CHARGE_NOT_FOUND');
  if (charge.refundedAt !== undefined) throw badRequest('CHARGE_ALREADY_REFUNDED');
  charge.refundedAt = Date.now();
  bot.starTransactions.push({ chargeId, kind: 'refund' });
  bot.changed();
  return true;
};

function transactionWire(c: StarCharge, kind: StarTransactionEntry['kind']): Record<string, unknown> {
  const refund = kind === 'refund';
  const partner = {
    type: 'user',
    transaction_type: 'invoice_payment',
    user: c.user,
    ...(refund ? {} : { invoice_payload: c.invoicePayload }),
  };
  return {
    id: c.chargeId,
    amount: c.amount,
    date: Math.floor((refund ? c.refundedAt! : c.paidAt) / 1000),
    ...(refund ? { receiver: partner } : { source: partner }),
  };
}

const getStarTransactions: MethodHandler = ({ bot, params }) => {
  const offset = optNumber(params, 'offset') ?? 0;
  const limit = optNumber(params, 'limit') ?? 100;
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('OFFSET_INVALID');
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('LIMIT_INVALID');
  const page = bot.starTransactions.slice(offset, offset + limit);
  return {
    transactions: page.map((t) => transactionWire(bot.starCharges.get(t.chargeId)!, t.kind)),
  };
};

export const PAYMENT_METHODS: Record<string, MethodHandler> = { refundStarPayment, getStarTransactions };
