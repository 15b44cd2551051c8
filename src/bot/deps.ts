import type { Client } from '@temporalio/client';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { createRepositories, type Repositories } from '../db/repositories';
import * as analysis from '../analysis';
import type { AnalysisService } from '../analysis';

/** Everything the bot talks to; tests build the same thing against the emulators. */
export interface BotDeps {
  config: Config;
  logger: Logger;
  /** Temporal: every FACEIT-costing request is a workflow. */
  client: Client;
  pool: DatabasePool;
  repos: Repositories;
  redis: Redis;
  /** The lobby analysis (src/analysis/client.ts); replaceable in tests. */
  analysis: AnalysisService;
  /** Per-user flood limit: at most `limit` updates per `timeFrameMs` (default 8 per 3 s). */
  flood?: { limit: number; timeFrameMs: number };
  /** Reconciliation of pending analysis requests (src/analysis/reconcile.ts); false: off. */
  reconcile?: { olderThanMs?: number; everyMs?: number } | false;
  /**
   * The FACEIT client's Redis key prefix, where /admin stats reads the calls of the last hour and the progress
   * message the queue of the shared budget (default 'faceit:').
   */
  faceitKeyPrefix?: string;
  /** How often the progress message is refreshed while an analysis runs (default 1 s). */
  progressPollMs?: number;
}

export function createBotDeps(base: Omit<BotDeps, 'repos' | 'analysis'> & Partial<BotDeps>): BotDeps {
  return {
    ...base,
    repos: base.repos ?? createRepositories(base.pool),
    analysis: base.analysis ?? analysis,
  };
}
