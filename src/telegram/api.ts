import { Api } from 'grammy';
import type { Config } from '../config';

/**
 * The Bot API client workers use to deliver reports and notifications outside the bot process. Deliberately without
 * auto-retry: every error (429, 5xx, network) goes back to the activity, which owns the retry and knows, through
 * its send claim, whether a resend is safe (docs/delivery.md). Each request is bounded by
 * TELEGRAM_SEND_TIMEOUT_MS and by the signal the caller passes (the activity's cancellation), so nothing is sent
 * after the activity gave up.
 */
export function createTelegramApi(
  config: Pick<Config, 'BOT_TOKEN' | 'TELEGRAM_API_ROOT'> & Partial<Pick<Config, 'TELEGRAM_SEND_TIMEOUT_MS'>>,
): Api {
  if (!config.BOT_TOKEN) throw new Error('BOT_TOKEN is not set: workers cannot deliver Telegram messages');
  return new Api(config.BOT_TOKEN, {
    apiRoot: config.TELEGRAM_API_ROOT,
    timeoutSeconds: Math.ceil((config.TELEGRAM_SEND_TIMEOUT_MS ?? 20_000) / 1000),
  });
}

/** grammY types its signal parameter with the `abort-controller` polyfill's AbortSignal; Node's is the same thing. */
export type BotApiSignal = NonNullable<Parameters<Api['sendMessage']>[3]>;

/** The signal of one Bot API request: the caller's (activity cancellation) and the request timeout, whichever first. */
export function requestSignal(timeoutMs: number, signal?: AbortSignal): BotApiSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return (signal ? AbortSignal.any([signal, timeout]) : timeout) as unknown as BotApiSignal;
}
