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
    serializers: { err: (err: Error) => scrubObject(pino.stdSerializers.err(err)) },
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

function scrubObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubObject(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubObject(v, depth + 1);
  return out;
}

/** The process-wide logger for entry points; libraries take a logger as a dependency instead. */
export const logger = createLogger();
