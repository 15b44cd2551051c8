import type { Client } from '@temporalio/client';
import type { Api } from 'grammy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import type { FaceitClient } from '../faceit';
import type { SendBudget } from '../telegram/send-budget';
import { createAnalysisActivities } from '../analysis/activities';
import { createBroadcastActivities } from '../broadcast/activities';
import { createBillingActivities } from '../billing/activities';
import { createBriefsActivities } from '../briefs/activities';
import { createBriefSender } from '../briefs/worker';
import { createHealthActivities } from '../health/activities';
import { createMigrationActivities } from '../migration/activities';
import { createMonitoringActivities } from '../monitoring/activities';
import { createPredictionsActivities } from '../predictions/activities';
import { createRetentionActivities } from '../retention/activities';
import { createStatsActivities } from '../stats/activities';
import { startOutcomeWatch } from '../predictions/worker';
import { nudgeReferral } from '../billing/worker';

/** Everything activities need from the outside world, built once per worker process (see ./deps.ts). */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  redis: Redis;
  faceit: FaceitClient;
  /** Bot API client for reports and payment notices; absent when no BOT_TOKEN is configured. */
  telegram?: Api;
  /** The same for notifications and briefs (a lower class of the shared send budget); default `telegram`. */
  telegramNotices?: Api;
  /** The same for broadcasts (the lowest class); default: the broadcast slice's own client. */
  telegramBulk?: Api;
  /** The bot's one Telegram send budget (what the three clients above spend; broadcasts take their slots first). */
  sendBudget?: SendBudget;
  /** Temporal, for activities that start or join workflows (briefs join the shared analysis); set once connected. */
  temporal?: Client;
}

/** All activities of all slices, registered on every tier's worker. */
export function createActivities(_deps: ActivityDeps) {
  const notices = { ..._deps, telegram: _deps.telegramNotices ?? _deps.telegram };
  return {
    ...createHealthActivities(),
    ...createAnalysisActivities({
      ..._deps,
      watchOutcome: (client, matchId) => startOutcomeWatch(client, _deps.config.TASK_QUEUE_LOW, matchId),
      // A referred user's analysis may make their referral's reward due (billing checks the rules).
      afterDelivered: async (client, telegramId) => {
        await nudgeReferral(client, _deps.config, _deps.pool, telegramId);
      },
    }),
    ...createMigrationActivities(_deps),
    // Monitoring's checks send pre-match briefs (the sender reads `temporal` when it runs: set late is fine).
    ...createMonitoringActivities({ ...notices, briefs: createBriefSender(notices) }),
    ...createStatsActivities(_deps),
    ...createBroadcastActivities(
      _deps,
      _deps.telegramBulk ? { api: _deps.telegramBulk, sendBudget: _deps.sendBudget } : {},
    ),
    ...createBillingActivities(_deps),
    ...createPredictionsActivities(_deps),
    ...createBriefsActivities(notices),
    ...createRetentionActivities(_deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
