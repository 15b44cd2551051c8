// Telegram Stars: the charges a bot received and the refunds it made (refundStarPayment, getStarTransactions).
// Like Telegram: a charge can be refunded once, only to the user who paid it; an unknown charge is refused.
import { optNumber, optString } from './body';
import type { MethodHandler } from './context';
import { badRequest } from './errors';
import type { StarCharge } from './types';

const refundStarPayment: MethodHandler = ({ bot, params }) => {
  const userId = optNumber(params, 'user_id');
  const chargeId = optString(params, 'telegram_payment_charge_id') ?? '';
  if (userId === undefined) throw badRequest('user_id is empty');
  if (chargeId === '') throw badRequest('CHARGE_ID_EMPTY');
  const charge = bot.starCharges.get(chargeId);
  if (!charge || charge.userId !== userId) throw badRequest('CHARGE_NOT_FOUND');
  if (charge.refundedAt !== undefined) throw badRequest('CHARGE_ALREADY_REFUNDED');
  charge.refundedAt = Date.now();
  bot.changed();
  return true;
};

function transactionWire(c: StarCharge, refund: boolean): Record<string, unknown> {
  const partner = { type: 'user', user: c.user };
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
  if (limit < 1 || limit > 100) throw badRequest('LIMIT_INVALID');
  const all = [...bot.starCharges.values()].flatMap((c) => [
    transactionWire(c, false),
    ...(c.refundedAt !== undefined ? [transactionWire(c, true)] : []),
  ]);
  return { transactions: all.slice(offset, offset + limit) };
};

export const PAYMENT_METHODS: Record<string, MethodHandler> = { refundStarPayment, getStarTransactions };
