import type { Logger } from 'pino';

/** Runs `stop` once on Ctrl-C, SIGTERM or a crash, then exits; a second Ctrl-C exits at once. */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (reason: string, code: number) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(code || 130);
    }
    stopping = true;
    logger.info({ reason }, 'shutting down');
    stop()
      .catch((err: unknown) => logger.error({ err }, 'error while shutting down'))
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    shutdown('crash', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    shutdown('crash', 1);
  });
}
