import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The one configuration module. Every variable is read from the environment and validated here at start-up;
 * a wrong or missing value stops the process with a message naming the variable and what it expects.
 * `.env.example` lists every variable with its default (a test keeps the two in sync).
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min = 0) =>
  z.coerce.number({ message: 'expected a number' }).int('expected an integer').min(min);
const num = (min = 0) => z.coerce.number({ message: 'expected a number' }).min(min);
const url = z.string().url('expected a URL');
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), url.optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const idList = z
  .string()
  .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, 'expected comma-separated Telegram ids')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where embedded services keep their state (Temporal dev server DB, embedded PostgreSQL cluster). */
  DATA_DIR: z.string().default('.data'),

  // Outside services
  FACEIT_API_BASE_URL: url.default('https://open.faceit.com/data/v4'),
  FACEIT_API_KEY: optionalString,
  FACEIT_RATE_LIMIT_PER_SECOND: num(0.1).default(10),
  /**
   * Per-user FACEIT cost budget of /profile, /compare, /form and the other stats commands: units a user may spend per
   * hour (a token bucket in Redis; /profile costs 2, /compare 4, /form 5). One user cannot drain the global budget.
   * 0 = off.
   */
  STATS_USER_BUDGET_PER_HOUR: int(0).default(60),
  FACEIT_HOURLY_QUOTA: int().default(0),
  FACEIT_REQUEST_TIMEOUT_MS: int(100).default(10_000),
  FACEIT_RATE_LIMITER: bool.default('true'),
  FACEIT_WEBHOOK_SECRET: optionalString,
  CACHE_TTL_PLAYER_S: int().default(300),
  // Lifetime figures over hundreds of matches move slowly: hours of cache cost nothing in accuracy.
  CACHE_TTL_LIFETIME_STATS_S: int().default(21_600),
  CACHE_TTL_MATCH_S: int().default(120),
  CACHE_TTL_MATCH_STATS_S: int().default(180),
  CACHE_TTL_HISTORY_S: int().default(300),
  /**
   * Lifetime and per-map stats past their TTL are still served for this long (stale-while-revalidate) while one
   * background call on the low tier renews them (src/faceit/cache-policy.ts). ELO and recent matches have no such
   * window: they are never served past their TTL. 0 = off.
   */
  CACHE_STALE_LIFETIME_STATS_S: int().default(259_200),
  /** Background refreshes one process runs at once; a stale hit beyond it is served and its refresh dropped. */
  CACHE_REFRESH_MAX_IN_FLIGHT: int().default(4),
  /** FACEIT calls one user's inline look-ups (`@bot nickname`) may cost per hour; a profile card costs 2. */
  INLINE_FACEIT_BUDGET_PER_HOUR: int().default(40),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  BOT_TOKEN: optionalString,
  BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
  BOT_WEBHOOK_URL: optionalUrl,
  BOT_WEBHOOK_SECRET: optionalString,
  /**
   * Webhook mode's durable update queue (docs/delivery.md "Updates from Telegram"): a replica handling an update holds
   * its lease this long and renews it while the handler runs; a replica that died is taken over after it.
   */
  BOT_UPDATE_LEASE_MS: int(500).default(30_000),
  /** How often each replica looks for accepted updates nobody is handling (a dead replica's, a busy one's). */
  BOT_UPDATE_SWEEP_MS: int(50).default(2_000),
  /** Updates one replica handles at once (each user's in order, different users in parallel). */
  BOT_UPDATE_CONCURRENCY: int(1).default(100),
  /** How long a handled update's id is kept to refuse Telegram's redeliveries (Telegram retries within 24 h). */
  BOT_UPDATE_RETENTION_HOURS: num(0.001).default(24),
  ADMIN_TELEGRAM_IDS: idList.default(''),
  /** Workers' Bot API requests are aborted after this; below the claim lease (docs/delivery.md). */
  TELEGRAM_SEND_TIMEOUT_MS: int(100).default(20_000),
  /** A send claim older than this belongs to a dead attempt and is resolved (resent or counted as uncertain). */
  TELEGRAM_CLAIM_LEASE_MS: int(1_000).default(60_000),

  // Own infrastructure: unset means "start an embedded one" (the dev run and the tests: dev/services)
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /**
   * How long Temporal keeps a closed workflow (the namespace's retention; set by the dev server, compose and
   * docs/production.md). Workflow-id reuse policies ("once ever") hold within it; see docs/retention.md.
   */
  TEMPORAL_NAMESPACE_RETENTION_DAYS: int(1).default(7),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_UI_PORT: int().default(8233),
  /** mTLS / TLS to the Temporal frontend (Temporal Cloud or a secured cluster): PEM file paths. */
  TEMPORAL_TLS: bool.default('false'),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  /** Temporal Cloud API key (implies TLS). */
  TEMPORAL_API_KEY: optionalString,
  /** Deadline of one bot → Temporal call (start, query, signal, update); a partition never hangs a handler. */
  TEMPORAL_RPC_TIMEOUT_MS: int(100).default(10_000),
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: int(1).default(10),
  REDIS_URL: optionalUrl,
  /**
   * Redis behind Sentinel (a primary, replicas, and Sentinels that fail over): the Sentinels' `host:port` list,
   * comma-separated. Set, the clients ask the Sentinels where the primary of REDIS_SENTINEL_NAME is and follow a
   * failover; REDIS_URL then only carries the password and database number, if any.
   */
  REDIS_SENTINELS: z
    .preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^\s*[\w.-]+:\d+\s*(,\s*[\w.-]+:\d+\s*)*$/, 'expected comma-separated host:port')
        .transform((v) =>
          v.split(',').map((s) => {
            const [host, port] = s.trim().split(':');
            return { host, port: Number(port) };
          }),
        )
        .optional(),
    )
    .optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),

  // Task queues: the priority tiers, from critical to low
  TASK_QUEUE_CRITICAL: z.string().min(1).default('faceit-critical'),
  TASK_QUEUE_HIGH: z.string().min(1).default('faceit-high'),
  TASK_QUEUE_DEFAULT: z.string().min(1).default('faceit-default'),
  TASK_QUEUE_LOW: z.string().min(1).default('faceit-low'),
  WORKER_CONCURRENCY_CRITICAL: int(1).default(20),
  WORKER_CONCURRENCY_HIGH: int(1).default(50),
  WORKER_CONCURRENCY_DEFAULT: int(1).default(50),
  WORKER_CONCURRENCY_LOW: int(1).default(10),
  /** Which tiers this worker process serves (comma-separated: critical,high,default,low); all by default. */
  WORKER_TIERS: z
    .string()
    .default('critical,high,default,low')
    .pipe(
      z
        .string()
        .regex(
          /^(critical|high|default|low)(,(critical|high|default|low))*$/,
          'expected a comma-separated subset of critical,high,default,low',
        ),
    )
    .transform((v) => v.split(',') as QueueTier[]),

  // Product settings
  QUOTA_FREE_PER_DAY: int().default(5),
  QUOTA_PREMIUM_PER_DAY: int().default(100),
  QUOTA_PRO_PER_DAY: int().default(500),
  ANALYSIS_PLAYER_CONCURRENCY: int(1).default(10),
  ANALYSIS_MATCHES_PER_PLAYER: int(5).default(30),
  /**
   * A FREE request that would wait longer than this for FACEIT (the shared limiter's queue ahead of it) is told so,
   * with the estimate, before its daily unit is taken, and chooses to wait in line or not. 0 = never asked.
   */
  ANALYSIS_BUSY_WAIT_S: int().default(180),
  /**
   * The report opens with the lobby card (a picture of both teams and the maps, src/analysis/card.ts), the text
   * details following; false sends the text report alone (as before the card). A card that fails to render or that
   * Telegram refuses falls back to the text report either way (`analysis_card_fallbacks_total`).
   */
  ANALYSIS_LOBBY_CARD: bool.default('true'),
  MONITORING_INTERVAL_MINUTES: num(0.1).default(10),

  // Retention (src/retention, docs/retention.md): rows older than this many days are deleted by the Schedule
  // `faceit-retention` every RETENTION_INTERVAL_HOURS; 0 = kept forever. Payments and the ledger are always kept.
  RETENTION_INTERVAL_HOURS: num(0.01).default(24),
  RETENTION_AUDIT_LOG_DAYS: int().default(365),
  RETENTION_NOTIFICATIONS_DAYS: int().default(90),
  RETENTION_ANALYSIS_REQUESTS_DAYS: int().default(90),
  RETENTION_ANALYSES_DAYS: int().default(365),
  RETENTION_ELO_SNAPSHOTS_DAYS: int().default(365),
  RETENTION_BROADCASTS_DAYS: int().default(180),
  RETENTION_BILLING_NOTICES_DAYS: int().default(400),
  RETENTION_DAILY_USAGE_DAYS: int().default(90),
  DEFAULT_TIMEZONE: z.string().default('Europe/Moscow'),
  /**
   * Messages (sends and edits) from the whole bot in any 1.1 s (so in any second at Telegram), shared by the bot
   * replicas and the workers through Redis with priorities (src/telegram/send-budget.ts): Telegram allows about 30/s
   * per bot.
   */
  TELEGRAM_SENDS_PER_SECOND: num(1).default(30),
  /** Broadcast messages per second across all workers (Telegram allows about 30/s per bot). */
  BROADCAST_RATE_PER_SECOND: num(0.1).default(25),

  // Billing (src/billing): Telegram Stars prices, invoice signing, expiry reminders, referral rewards
  /** Signs invoice payloads (HMAC-SHA256). Unset: a development default, reported at start-up in production. */
  BILLING_PAYLOAD_SECRET: optionalString,
  PRICE_PREMIUM_MONTH_STARS: int(1).default(199),
  PRICE_PREMIUM_YEAR_STARS: int(1).default(1999),
  PRICE_PRO_MONTH_STARS: int(1).default(299),
  PRICE_PRO_YEAR_STARS: int(1).default(2999),
  /** How long an invoice can be paid after it was sent. */
  BILLING_INVOICE_TTL_HOURS: num(0.001).default(24),
  /** The renewal reminder comes this long before the expiry. */
  BILLING_REMINDER_BEFORE_HOURS: num(0).default(72),
  /** Who answers /paysupport (e.g. @support_username or an e-mail address); unset: "the bot's administrator". */
  BILLING_SUPPORT_CONTACT: optionalString,
  /** How often the Stars reconciliation reads getStarTransactions for charges the bot never recorded. */
  STARS_RECONCILE_INTERVAL_SECONDS: int(10).default(600),
  REFERRAL_NEW_USER_DAYS: num(0).default(7),
  REFERRAL_REFERRER_DAYS: num(0).default(30),
  /** A referral is rewarded once the new user linked FACEIT, ran an analysis and joined at least this long ago. */
  REFERRAL_MIN_AGE_HOURS: num(0).default(24),
  /** Referrer rewards per referrer and calendar month (DEFAULT_TIMEZONE); the new user's own days are not capped. */
  REFERRAL_MONTHLY_CAP: int(0).default(5),

  // HTTP endpoints (health, metrics, webhooks); 0 = pick a free port
  BOT_HTTP_PORT: int().default(8080),
  /** Interface of the bot's public listener (Telegram's and FACEIT's webhooks); unset = every interface. */
  BOT_HTTP_HOST: optionalString,
  /**
   * The bot's /livez, /healthz and /metrics on a port of their own (bind it with OPS_HOST to a private interface);
   * unset = served on BOT_HTTP_PORT with the webhooks, as before.
   */
  BOT_OPS_PORT: z.preprocess((v) => (v === '' ? undefined : v), int().optional()),
  /** Interface of the ops endpoints: the bot's BOT_OPS_PORT and the workers' WORKER_HTTP_PORT; unset = every one. */
  OPS_HOST: optionalString,
  WORKER_HTTP_PORT: int().default(9464),
  /** The Temporal SDK's own worker metrics (Prometheus text on /metrics); 0 = not exported. */
  TEMPORAL_METRICS_PORT: int().default(9465),
});

export type Config = z.infer<typeof configSchema>;
export type QueueTier = 'critical' | 'high' | 'default' | 'low';
export const QUEUE_TIERS: readonly QueueTier[] = ['critical', 'high', 'default', 'low'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const got = env[name];
        return `${name}: ${issue.message}${got === undefined ? ' (not set)' : ` (got "${redactValue(name, got)}")`}`;
      }),
    );
  }
  return result.data;
}

/** Secrets must not reach logs even when they are wrong. */
function redactValue(name: string, value: string): string {
  return /TOKEN|KEY|SECRET|PASSWORD|DATABASE_URL|REDIS_URL/.test(name) ? '***' : value;
}

/** For entry points: reads `.env` when present, prints the problems and exits instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  // Variables already set in the environment win over the file (loadEnvFile never overwrites them).
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** Signs invoices when BILLING_PAYLOAD_SECRET is unset: public on purpose, so never accepted in production. */
export const DEV_PAYLOAD_SECRET = 'dev-only-billing-payload-secret';

/**
 * What a production process (the bot and every worker: both sign or verify invoice payloads) refuses to start with:
 * invoices signed with the public development secret could be forged by anyone.
 */
export function productionRefusals(config: Pick<Config, 'NODE_ENV' | 'BILLING_PAYLOAD_SECRET'>): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const secret = config.BILLING_PAYLOAD_SECRET;
  if (!secret || secret === DEV_PAYLOAD_SECRET) {
    return [
      'BILLING_PAYLOAD_SECRET must be set to a long random value in production (unset, invoices would be signed with the public development secret)',
    ];
  }
  return [];
}

/** Whether Redis is configured at all: one URL, or Sentinels. */
export function redisConfigured(config: Pick<Config, 'REDIS_URL' | 'REDIS_SENTINELS'>): boolean {
  return Boolean(config.REDIS_URL || config.REDIS_SENTINELS?.length);
}

/** What BOT_MODE=webhook cannot run without (Telegram needs the public address; the secret refuses forged updates). */
export function webhookRefusals(
  config: Pick<Config, 'BOT_MODE' | 'BOT_WEBHOOK_URL' | 'BOT_WEBHOOK_SECRET'>,
): string[] {
  if (config.BOT_MODE !== 'webhook') return [];
  return [
    ...(config.BOT_WEBHOOK_URL ? [] : ['BOT_MODE=webhook needs BOT_WEBHOOK_URL (the public HTTPS address)']),
    ...(config.BOT_WEBHOOK_SECRET
      ? []
      : ['BOT_MODE=webhook needs BOT_WEBHOOK_SECRET: Telegram sends it back so forged updates are refused']),
  ];
}

/** The production entry points: `dist/bot/main.js` and `dist/worker.js` (the dev run embeds its own servers). */
export type ProductionProcess = 'the production bot' | 'a production worker';

/**
 * Every cross-field rule a production process checks before it starts, in one list: the invoice secret, the
 * servers it cannot run without (Temporal, PostgreSQL, Redis by URL or Sentinels) and, for the bot, webhook mode's
 * address and secret. Each line says what to set and why.
 */
export function startupRefusals(config: Config, process: ProductionProcess): string[] {
  const missing = [
    ...(config.TEMPORAL_ADDRESS ? [] : ['TEMPORAL_ADDRESS']),
    ...(config.DATABASE_URL ? [] : ['DATABASE_URL']),
    ...(redisConfigured(config) ? [] : ['REDIS_URL (or REDIS_SENTINELS)']),
  ].map((name) => `${name} must be set for ${process} (use \`npm run dev\` for the embedded stack)`);
  return [
    ...productionRefusals(config),
    ...missing,
    ...(process === 'the production bot' ? webhookRefusals(config) : []),
  ];
}

/** For the production entry points: reports what startupRefusals finds and exits (78, EX_CONFIG). */
export function exitOnStartupRefusals(
  config: Config,
  process: ProductionProcess,
  report: (problem: string) => void,
): void {
  const problems = startupRefusals(config, process);
  if (!problems.length) return;
  for (const problem of problems) report(problem);
  globalThis.process.exit(78);
}

export function taskQueueFor(config: Config, tier: QueueTier): string {
  return {
    critical: config.TASK_QUEUE_CRITICAL,
    high: config.TASK_QUEUE_HIGH,
    default: config.TASK_QUEUE_DEFAULT,
    low: config.TASK_QUEUE_LOW,
  }[tier];
}

export function concurrencyFor(config: Config, tier: QueueTier): number {
  return {
    critical: config.WORKER_CONCURRENCY_CRITICAL,
    high: config.WORKER_CONCURRENCY_HIGH,
    default: config.WORKER_CONCURRENCY_DEFAULT,
    low: config.WORKER_CONCURRENCY_LOW,
  }[tier];
}
