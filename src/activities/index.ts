import { createHealthActivities } from '../health/activities';

/** Everything activities need from the outside world, built once per worker process. */
export interface ActivityDeps {
  placeholder?: never;
}

/** All activities of all slices, registered on every tier's worker. */
export function createActivities(_deps: ActivityDeps) {
  return {
    ...createHealthActivities(),
  };
}
export type Activities = ReturnType<typeof createActivities>;
