import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import type { Config } from '../config';

/**
 * The Bot API client workers use to deliver reports and notifications outside the bot process. Telegram's 429s
 * are waited out (`retry_after`) by auto-retry, like in the bot itself.
 */
export function createTelegramApi(config: Pick<Config, 'BOT_TOKEN' | 'TELEGRAM_API_ROOT'>): Api {
  if (!config.BOT_TOKEN) throw new Error('BOT_TOKEN is not set: workers cannot deliver Telegram messages');
  const api = new Api(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
  api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));
  return api;
}
