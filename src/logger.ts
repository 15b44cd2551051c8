import pino, { type Logger } from 'pino';

/**
 * Paths whose values never reach a log line: tokens, API keys, payment payloads, database passwords.
 * Free-text secrets inside strings (URLs with passwords, bot tokens in API URLs) are scrubbed by `scrubSecrets`.
 */
export const REDACT_PATHS = [
  '*.token',
  '*.botToken',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.secretToken',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  '*.invoice_payload',
  '*.successful_payment',
  '*.pre_checkout_query',
  '*.telegram_payment_charge_id',
  '*.provider_payment_charge_id',
  'config.BOT_TOKEN',
  'config.FACEIT_API_KEY',
  'config.DATABASE_URL',
  'config.REDIS_URL',
  'config.BOT_WEBHOOK_SECRET',
  'config.FACEIT_WEBHOOK_SECRET',
  'BOT_TOKEN',
  'FACEIT_API_KEY',
  'DATABASE_URL',
  'REDIS_URL',
];

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi;
const BOT_TOKEN_IN_URL = /\/bot\d+:[A-Za-z0-9_-]+/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export function scrubSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@').replace(BOT_TOKEN_IN_URL, '/bot***').replace(BEARER, '$1***');
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  name?: string;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? process.env.NODE_ENV === 'development';
  const base: pino.LoggerOptions = {
    name: options.name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '***' },
    formatters: {
      log: (obj) => scrubObject(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>,
        );
      },
    },
    serializers: { err: (err: unknown) => scrubObject(serializeError(err)) },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty && !options.destination) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(base);
}

/**
 * pino's own serializer passes anything that is not an Error through unchanged, so a rejection with `undefined`,
 * a plain object or a string logged as `{}`. Every value becomes `{ type, message, ... }`; an AggregateError
 * (e.g. a connection refused on both 127.0.0.1 and ::1) lists its inner errors, and causes are kept.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (err instanceof Error) {
    const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
    if (!out.message && err instanceof AggregateError && err.errors.length > 0)
      out.message = err.errors.map((e) => describeError(e)).join('; ');
    if (err instanceof AggregateError && depth < 3)
      out.errors = err.errors.map((e: unknown) => serializeError(e, depth + 1));
    if (err.cause !== undefined && depth < 3) out.cause = serializeError(err.cause, depth + 1);
    if (!out.message) out.message = `${err.name} without a message`;
    return out;
  }
  if (err === undefined || err === null)
    return { type: String(err), message: `failed without a reason (${String(err)})` };
  if (typeof err === 'object') {
    let text: string;
    try {
      text = JSON.stringify(err);
    } catch {
      text = Object.prototype.toString.call(err);
    }
    return { type: 'object', message: text === '{}' ? Object.prototype.toString.call(err) : text };
  }
  return { type: typeof err, message: String(err) };
}

/** One line for any thrown value: the message, or the inner messages of an AggregateError. */
export function describeError(err: unknown): string {
  return String(serializeError(err).message);
}

function scrubObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubObject(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '***' : scrubObject(v, depth + 1);
  return out;
}

/**
 * Keys whose value is a secret wherever they appear, at the top level of a log line or nested at any depth (the
 * `*.x` paths above only reach one level down).
 */
const SECRET_KEY =
  /^(token|botToken|bot_token|apiKey|api_key|password|secret|secretToken|secret_token|authorization|invoice_payload|telegram_payment_charge_id|provider_payment_charge_id|BOT_TOKEN|FACEIT_API_KEY|TEMPORAL_API_KEY|DATABASE_URL|REDIS_URL|BOT_WEBHOOK_SECRET|FACEIT_WEBHOOK_SECRET|BILLING_PAYLOAD_SECRET)$/i;

/** The process-wide logger for entry points; libraries take a logger as a dependency instead. */
export const logger = createLogger();
