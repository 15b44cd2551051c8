import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/**
 * Routes the Temporal SDK's own logs into pino (at `level` and above) and, when `metricsPort` is given, exposes
 * the SDK's Prometheus metrics (task queue latencies, poller counts, activity failures) on that port, at
 * `http://<metricsHost>:<metricsPort>/metrics` (host 0.0.0.0 in a container, 127.0.0.1 in the dev run).
 * Must run before the first worker or native connection is created; later calls are ignored.
 */
export function installTemporalRuntime(
  logger: Logger,
  options: { level?: LogLevel; metricsPort?: number; metricsHost?: string } = {},
): void {
  if (installed) return;
  installed = true;
  const log = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(options.level ?? 'WARN', ({ level, message, meta }) => {
      const method = (
        { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const
      )[level];
      log[method](meta ?? {}, message);
    }),
    ...(options.metricsPort
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: `${options.metricsHost ?? '0.0.0.0'}:${options.metricsPort}` },
            },
          },
        }
      : {}),
  });
}
