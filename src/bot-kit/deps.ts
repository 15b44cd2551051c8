import type { Client } from '@temporalio/client';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import type { Repositories } from '../db/repositories';

/**
 * The handles a feature of the bot may draw on. Each slice's composer names the few it takes as its own
 * `<Slice>ComposerDeps` (a `Pick` of this, plus what only it needs); the frame's BotDeps (src/bot/deps.ts) satisfies
 * every one of them.
 */
export interface BotServices {
  config: Config;
  logger: Logger;
  /** Temporal: every FACEIT-costing request is a workflow. */
  client: Client;
  pool: DatabasePool;
  repos: Repositories;
  redis: Redis;
}
