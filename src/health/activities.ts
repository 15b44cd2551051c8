import { hostname } from 'node:os';

export function createHealthActivities() {
  return {
    async healthPing(): Promise<{ pid: number; hostname: string }> {
      return { pid: process.pid, hostname: hostname() };
    },
  };
}
export type HealthActivities = ReturnType<typeof createHealthActivities>;
