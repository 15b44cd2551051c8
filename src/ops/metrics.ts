import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';

/**
 * Application metrics of the worker processes, on prom-client's default registry (served by /metrics of the
 * workers' ops server; the dashboard in deploy/grafana reads them). Created once per process, on first use.
 * Analysis latency and task queue backlog come from the Temporal SDK's own metrics (TEMPORAL_METRICS_PORT).
 */
function metric<T>(name: string, make: (registers: Registry[]) => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make([register]);
}

/** Monitoring notifications: `sent` (delivered), `blocked` (the chat blocked the bot), `failed` (Telegram error). */
export const notificationsTotal = () =>
  metric(
    'monitoring_notifications_total',
    (registers) =>
      new Counter({
        name: 'monitoring_notifications_total',
        help: 'Monitoring notifications by result: sent, blocked, failed',
        labelNames: ['result'] as const,
        registers,
      }),
  );

/** Share of the legacy data.json read and committed by the running migration (0..1), per phase. */
export const migrationProgress = () =>
  metric(
    'migration_progress_ratio',
    (registers) =>
      new Gauge({
        name: 'migration_progress_ratio',
        help: 'Share of the legacy file committed by the migration, by phase (migrate, verify)',
        labelNames: ['phase'] as const,
        registers,
      }),
  );

export const migrationRecordsTotal = () =>
  metric(
    'migration_batches_total',
    (registers) =>
      new Counter({
        name: 'migration_batches_total',
        help: 'Legacy migration batches committed, by phase',
        labelNames: ['phase'] as const,
        registers,
      }),
  );

/** The shared FACEIT request budget (requests per second per API key), to plot use against it. */
export const faceitBudget = () =>
  metric(
    'faceit_rate_limit_per_second',
    (registers) =>
      new Gauge({
        name: 'faceit_rate_limit_per_second',
        help: 'The FACEIT budget shared by all processes: requests per second per API key',
        registers,
      }),
  );

/**
 * What the Stars reconciliation (src/billing/reconcile.ts) found in getStarTransactions that our records lacked:
 * `missing` (a paid charge never recorded: its update was lost), `unsettled` (recorded, never credited or refunded),
 * `refund` (a refund the ledger had not applied). Anything above zero is a delivery the bot missed.
 */
export const starsReconcileFindings = () =>
  metric('billing_stars_reconcile_findings_total', (registers) => {
    const counter = new Counter({
      name: 'billing_stars_reconcile_findings_total',
      help: 'Stars charges and refunds the reconciliation found unrecorded, by finding: missing, unsettled, refund',
      labelNames: ['finding'] as const,
      registers,
    });
    // Exported at 0 from the start, so the alert's increase() sees the first finding (an absent series has none).
    for (const finding of ['missing', 'unsettled', 'refund']) counter.inc({ finding }, 0);
    return counter;
  });

/**
 * Lobby cards (the picture that opens an analysis report) not sent, by reason: `render` (drawing it failed),
 * `send` (Telegram refused the photo). Each time the text report went out alone instead.
 */
export const lobbyCardFallbacksTotal = () =>
  metric(
    'analysis_card_fallbacks_total',
    (registers) =>
      new Counter({
        name: 'analysis_card_fallbacks_total',
        help: 'Lobby cards not sent (the text report was delivered alone), by reason: render, send',
        labelNames: ['reason'] as const,
        registers,
      }),
  );

/** Time to draw one lobby card (ECharts SVG + resvg PNG) on a worker. */
export const lobbyCardRenderSeconds = () =>
  metric(
    'analysis_card_render_seconds',
    (registers) =>
      new Histogram({
        name: 'analysis_card_render_seconds',
        help: 'Time to render one lobby card (SVG and PNG)',
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5],
        registers,
      }),
  );
