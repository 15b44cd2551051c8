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

/**
 * pino runs `formatters.log` before its serializers: the errors of a line are shaped here, once. `err` is always a
 * thrown value; `error` is one when it is an object (a string there is an already-described failure).
 */
function shapeLine(obj: Record<string, unknown>): Record<string, unknown> {
  const out = { ...obj };
  if ('err' in out && typeof out.err !== 'string') out.err = serializeError(out.err);
  if (out.error !== null && typeof out.error === 'object') out.error = serializeError(out.error);
  return scrubObject(out) as Record<string, unknown>;
}

/**
 * pino-pretty is a dev dependency: the production image does not carry it, so a process started there with
 * NODE_ENV=development (or `pretty: true`) logs JSON lines instead of failing to load the transport.
 */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? process.env.NODE_ENV === 'development';
  const base: pino.LoggerOptions = {
    name: options.name,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '***' },
    formatters: {
      log: shapeLine,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>,
        );
      },
    },
    // A child logger's bindings skip `formatters.log`: an Error bound there is shaped here.
    serializers: { err: (err: unknown) => (isErrorLike(err) ? scrubObject(serializeError(err)) : err) },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty && prettyAvailable()) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(base);
}

/**
 * Every thrown value becomes `{ type, message, stack?, ...fields }`, logged as an object (never "[object Object]",
 * never JSON inside `message`). This is the one place errors are shaped for logs; the `err` and `error`
 * keys go through it, and so does any Error-like value at any depth of a log line (a worker's `{ error }` meta).
 * - An Error (from any realm: workflow errors come from another V8 context, so `instanceof` is not enough): pino's
 *   serializer (message and stack with their causes), its own fields (`code`, `details`, GrammyError's
 *   `error_code`/`description`/`method`), the cause chain and an AggregateError's inner errors as objects.
 *   A failed request's `payload` (GrammyError: the method's parameters, with users' texts and invoice payloads) is
 *   reduced to its key names.
 * - A plain object thrown (a gRPC status `{ code, details, metadata }`, a Bot API error body): its message is the
 *   first text of `message`/`details`/`description`/`reason`, its fields are kept as fields.
 * - `undefined`, `null`, strings, numbers: `{ type, message }`.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (isErrorLike(err)) {
    const std = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(std)) out[key] = fieldValue(key, value, depth);
    out.type = std.type || (err as Error).name || 'Error';
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      delete out.aggregateErrors;
      if (!std.message && errors.length > 0) out.message = errors.map((e) => describeError(e)).join('; ');
      if (depth < 3) out.errors = errors.map((e: unknown) => serializeError(e, depth + 1));
    }
    const cause = (err as { cause?: unknown }).cause;
    if (cause !== undefined && depth < 3) out.cause = serializeError(cause, depth + 1);
    if (!out.message) out.message = `${String(out.type)} without a message`;
    return out;
  }
  if (err === undefined || err === null)
    return { type: String(err), message: `failed without a reason (${String(err)})` };
  if (typeof err === 'object') {
    const type = constructorName(err) ?? 'object';
    const out: Record<string, unknown> = { type };
    for (const [key, value] of Object.entries(err)) out[key] = fieldValue(key, value, depth);
    const text = MESSAGE_KEYS.map((k) => (err as Record<string, unknown>)[k]).find(
      (v): v is string => typeof v === 'string' && v !== '',
    );
    const code = (err as { code?: unknown }).code;
    out.message = text
      ? code !== undefined && typeof code !== 'object'
        ? `${String(code)} ${text}`
        : text
      : `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type} was thrown, not an Error (fields: ${Object.keys(err).join(', ') || 'none'})`;
    return out;
  }
  return { type: typeof err, message: String(err) };
}

const MESSAGE_KEYS = ['message', 'details', 'description', 'reason', 'error', 'detail'] as const;

/** An Error of this realm or of another (a workflow's V8 context, where `instanceof Error` is false). */
function isErrorLike(value: unknown): boolean {
  if (value instanceof Error) return true;
  return (
    value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]'
  );
}

function constructorName(value: object): string | undefined {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' && name !== '' ? name : undefined;
}

/** An error's own field as it is logged: nested errors as errors, a request payload as its key names. */
function fieldValue(key: string, value: unknown, depth: number): unknown {
  if (key === 'payload' && value !== null && typeof value === 'object')
    return { keys: Object.keys(value as object) };
  if (key !== 'cause' && isErrorLike(value))
    return depth < 3 ? serializeError(value, depth + 1) : String(value);
  return value;
}

/** One line for any thrown value: the message, or the inner messages of an AggregateError. */
export function describeError(err: unknown): string {
  return String(serializeError(err).message);
}

function scrubObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (typeof value === 'bigint') return value.toString();
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubObject(v, depth + 1));
  // An Error anywhere in a line (a worker's `{ error }` meta, an error inside details): shaped like `err`.
  if (isErrorLike(value)) return scrubObject(serializeError(value), depth + 1);
  if (value instanceof Map) return scrubObject(Object.fromEntries(value), depth + 1);
  if (value instanceof Set) return scrubObject([...value], depth + 1);
  // Dates, gRPC Metadata, Buffers: their JSON form (Object.entries would make them `{}`).
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return scrubObject(toJSON.call(value), depth + 1);
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
