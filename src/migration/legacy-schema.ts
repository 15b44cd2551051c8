/**
 * The legacy data.json user record and its type checks (see ../shared/legacy/FORMAT.md). Only types are enforced
 * here; rules that turn values into the new schema (defaults, normalisation) live in mapper.ts.
 * A value of the wrong type is a broken record (rejected); `null` or absent means "use the default".
 * Hand-written rather than zod: zod cost ~30 µs per record, i.e. seconds per pass over a large file.
 */

export const LEGACY_TIMEZONE = 'Europe/Moscow';
const MAX_INT4 = 2_147_483_647;

export interface LegacySubscription {
  tier: string | null;
  expires_at: string | null;
  auto_renew: boolean | null;
  payment_method: string | null;
  daily_requests: number | null;
  last_reset_date: string | null;
  referred_by: number | null;
  referral_code: string | null;
  referrals_count: number | null;
}

export interface LegacyUser {
  user_id: number;
  faceit_player_id: string | null;
  faceit_nickname: string | null;
  last_checked_match_id: string | null;
  waiting_for_nickname: boolean | null;
  subscription: LegacySubscription | null;
  language: string | null;
  notifications_enabled: boolean | null;
  /** Timestamps are PostgreSQL timestamptz input (see `timestamp`). */
  created_at: string | null;
  last_active_at: string | null;
  total_requests: number | null;
}

export const KNOWN_FIELDS = new Set([
  ...['user_id', 'faceit_player_id', 'faceit_nickname', 'last_checked_match_id', 'waiting_for_nickname'],
  ...['subscription', 'language', 'notifications_enabled', 'created_at', 'last_active_at', 'total_requests'],
]);

/** What is wrong with a record: `field` is its path ("subscription.tier"). */
export class BrokenField extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** Throws BrokenField; `r` is a parsed JSON object. */
export function parseLegacyUser(r: Record<string, unknown>): LegacyUser {
  const userId = telegramId('user_id', r.user_id) ?? fail('user_id', 'missing');
  const sub = r.subscription;
  if (sub != null && (typeof sub !== 'object' || Array.isArray(sub))) {
    throw new BrokenField('subscription', `expected an object, got ${describe(sub)}`);
  }
  return {
    user_id: userId,
    faceit_player_id: shortText('faceit_player_id', r.faceit_player_id, 64),
    faceit_nickname: shortText('faceit_nickname', r.faceit_nickname, 64),
    last_checked_match_id: shortText('last_checked_match_id', r.last_checked_match_id, 256),
    waiting_for_nickname: bool('waiting_for_nickname', r.waiting_for_nickname),
    subscription: sub == null ? null : parseSubscription(sub as Record<string, unknown>),
    language: text('language', r.language),
    notifications_enabled: bool('notifications_enabled', r.notifications_enabled),
    created_at: timestamp('created_at', r.created_at),
    last_active_at: timestamp('last_active_at', r.last_active_at),
    total_requests: count('total_requests', r.total_requests),
  };
}

function parseSubscription(s: Record<string, unknown>): LegacySubscription {
  const at = (name: string) => `subscription.${name}`;
  return {
    tier: text(at('tier'), s.tier),
    expires_at: timestamp(at('expires_at'), s.expires_at),
    auto_renew: bool(at('auto_renew'), s.auto_renew),
    payment_method: text(at('payment_method'), s.payment_method),
    daily_requests: count(at('daily_requests'), s.daily_requests),
    last_reset_date: timestamp(at('last_reset_date'), s.last_reset_date),
    // The legacy bot wrote 0 for "nobody".
    referred_by: s.referred_by === 0 ? null : telegramId(at('referred_by'), s.referred_by),
    referral_code: text(at('referral_code'), s.referral_code),
    referrals_count: count(at('referrals_count'), s.referrals_count),
  };
}

/** Telegram ids: positive integers within the safe range (numeric strings are accepted, they are unambiguous). */
export function telegramId(field: string, value: unknown): number | null {
  if (value == null) return null;
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0)
    fail(field, `expected a positive integer, got ${describe(value)}`);
  if (!Number.isSafeInteger(n)) fail(field, 'beyond 2^53, cannot be stored exactly');
  return n;
}

/** PostgreSQL text cannot hold NUL, and one would fail the whole batch's transaction. */
function text(field: string, value: unknown): string | null {
  if (value == null) return null;
  if (typeof value !== 'string') fail(field, `expected a string, got ${describe(value)}`);
  if (value.includes('\u0000')) fail(field, 'contains a NUL character');
  return value;
}

/** Text of at most `max` characters (code points, as PostgreSQL counts them); '' means none. */
function shortText(field: string, value: unknown, max: number): string | null {
  const s = text(field, value);
  if (!s) return null;
  if (s.length > max && [...s].length > max) fail(field, `longer than ${max} characters`);
  return s;
}

function bool(field: string, value: unknown): boolean | null {
  if (value == null || typeof value === 'boolean') return value ?? null;
  return fail(field, `expected true or false, got ${describe(value)}`);
}

function count(field: string, value: unknown): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_INT4) {
    fail(field, `expected a count, got ${describe(value)}`);
  }
  return value as number;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The legacy bot's naive ISO-8601 local times (Europe/Moscow), with or without microseconds, become PostgreSQL
 * timestamptz input with the zone spelled out, so PostgreSQL applies the zone's rules for that date and keeps the
 * microseconds. A value that already carries an offset is kept as it is.
 */
function timestamp(field: string, value: unknown): string | null {
  const s = text(field, value);
  if (!s) return null;
  const m = TIMESTAMP.exec(s);
  if (!m) fail(field, `not an ISO-8601 timestamp: ${describe(s)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const validDay =
    year >= 1970 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!validDay || hour > 23 || minute > 59 || second > 59) fail(field, `not a valid time: ${describe(s)}`);
  return m[8] ? s : `${s} ${LEGACY_TIMEZONE}`;
}

function fail(field: string, message: string): never {
  throw new BrokenField(field, message);
}

function describe(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 40);
}
