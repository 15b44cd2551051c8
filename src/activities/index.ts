import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { createHealthActivities } from '../health/activities';

/** Everything activities need from the outside world, built once per worker process. */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
}

/** All activities of all slices, registered on every tier's worker. */
export function createActivities(_deps: ActivityDeps) {
  return {
    ...createHealthActivities(),
  };
}
export type Activities = ReturnType<typeof createActivities>;
