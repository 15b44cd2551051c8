import { mayHaveArrived } from '../telegram/errors';
import type { Message } from 'grammy/types';
import type { Logger } from 'pino';
import { uncertainDeliveries } from '../telegram/send-claims';

/**
 * The bot's first progress message of a request. Its answer carries the message id the whole request hangs on (the
 * workflow edits that message into the report), and Telegram has no idempotency key: a connection dropped after
 * Telegram accepted the message leaves a progress bar on screen whose id the bot never learns.
 *
 * So a lost answer is not an error: the message is sent once more (marked as the live one, since the first copy,
 * if it arrived, will not move) and counted in `telegram_delivery_uncertain_total{outcome="possible_duplicate",
 * kind="progress_reply"}`; the request goes ahead with the copy whose id is known. Only when that answer is lost too
 * is the request refused (the caller refunds and says so). An error answer means nothing was shown.
 */
export type FirstReply =
  | { status: 'sent'; message: Message; resent: boolean }
  /** Telegram answered with an error, or the request never left: nothing was shown. */
  | { status: 'refused'; error: unknown }
  /** Both answers were lost: one or two progress bars may be on screen, none with a known id. */
  | { status: 'unconfirmed'; error: unknown };

const KIND = 'progress_reply';

export async function replyFirstProgress(
  send: (resent: boolean) => Promise<Message>,
  log: Logger,
): Promise<FirstReply> {
  try {
    return { status: 'sent', message: await send(false), resent: false };
  } catch (err) {
    if (!mayHaveArrived(err)) return { status: 'refused', error: err };
    log.warn({ err }, 'the answer to a progress message was lost: sending it again (possibly a duplicate)');
  }
  uncertainDeliveries().inc({ outcome: 'possible_duplicate', kind: KIND });
  try {
    return { status: 'sent', message: await send(true), resent: true };
  } catch (err) {
    if (!mayHaveArrived(err)) return { status: 'refused', error: err };
    log.warn({ err }, 'the answer to the resent progress message was lost too: the request is refused');
    return { status: 'unconfirmed', error: err };
  }
}
