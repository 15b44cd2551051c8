import { limit } from '@grammyjs/ratelimiter';
import type Redis from 'ioredis';
import type { BotContext } from '../context';
import type { BotDeps } from '../deps';
import type { BotMetrics } from '../metrics';

/**
 * Per-user flood limit, counted in Redis so every bot replica shares it. Excess updates are dropped; the first one
 * of a burst gets a reply in the user's language.
 */
export function floodLimit(deps: BotDeps, metrics: BotMetrics) {
  const { limit: max, timeFrameMs } = deps.flood ?? { limit: 8, timeFrameMs: 3_000 };
  return limit<BotContext, Redis>({
    timeFrame: timeFrameMs,
    limit: max,
    storageClient: deps.redis,
    keyPrefix: 'bot:flood:',
    keyGenerator: (ctx) => ctx.from?.id.toString(),
    onLimitExceeded: (ctx) => {
      metrics.floodLimited.inc();
      void ctx.reply(ctx.t('bot-flood')).catch(() => undefined);
    },
  });
}
