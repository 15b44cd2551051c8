/** Prometheus metrics of the bot process, served as text on /metrics. One registry per bot (tests run several). */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export function createBotMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    updates: new Counter({
      name: 'bot_updates_total',
      help: 'Telegram updates handled, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    updateSeconds: new Histogram({
      name: 'bot_update_duration_seconds',
      help: 'Time to handle one update, by type',
      labelNames: ['type'] as const,
      buckets: [0.01, 0.05, 0.1, 0.3, 1, 3, 10, 30],
      registers,
    }),
    errors: new Counter({
      name: 'bot_errors_total',
      help: 'Updates that ended in the error boundary',
      registers,
    }),
    floodLimited: new Counter({
      name: 'bot_flood_limited_total',
      help: 'Updates dropped by the per-user flood limit',
      registers,
    }),
    floodFallback: new Counter({
      name: 'bot_flood_redis_fallback_total',
      help: 'Updates whose flood limit was counted in-process because Redis did not answer',
      registers,
    }),
  };
}
export type BotMetrics = ReturnType<typeof createBotMetrics>;
