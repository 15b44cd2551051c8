import { z } from 'zod';

/**
 * The legacy data.json user record as zod schemas (see ../shared/legacy/FORMAT.md). Only types are enforced here;
 * rules that turn values into the new schema (defaults, normalisation) live in mapper.ts.
 * A value of the wrong type is a broken record (rejected); `null` or absent means "use the default".
 * Each field is one zod transform with a plain check: chains of zod refinements cost ~30 µs per record, which is
 * seconds per pass over a large file.
 */

const MAX_INT4 = 2_147_483_647;
export const LEGACY_TIMEZONE = 'Europe/Moscow';

/** A field: null/absent → null; otherwise `check` returns the value or a string saying what is wrong. */
function field<T>(check: (value: unknown) => T | Problem) {
  return z.unknown().transform((value, ctx): T | null => {
    if (value === null || value === undefined) return null;
    const result = check(value);
    if (result instanceof Problem) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
      return z.NEVER;
    }
    return result;
  });
}
export class Problem {
  constructor(readonly message: string) {}
}

/** PostgreSQL text cannot hold NUL, and one would fail the whole batch's transaction. */
function text(value: unknown): string | Problem {
  if (typeof value !== 'string') return new Problem(`expected a string, got ${typeof value}`);
  return value.includes('\u0000') ? new Problem('contains a NUL character') : value;
}

/** Text of at most `max` characters (code points, as PostgreSQL counts them); '' means none. */
const shortText = (max: number) =>
  field((value) => {
    const s = text(value);
    if (s instanceof Problem || s === '') return s || null;
    return s.length > max && [...s].length > max ? new Problem(`longer than ${max} characters`) : s;
  });

const bool = field((v) => (typeof v === 'boolean' ? v : new Problem(`expected true or false, got ${typeof v}`)));
const count = field((v) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_INT4
    ? (v as number)
    : new Problem(`expected a count, got ${JSON.stringify(v)?.slice(0, 20)}`),
);

/** Telegram ids: positive integers within the safe range (numeric strings are accepted, they are unambiguous). */
export function parseTelegramId(value: unknown): number | Problem {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    return new Problem(`expected a positive integer, got ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return Number.isSafeInteger(n) ? n : new Problem('beyond 2^53, cannot be stored exactly');
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The legacy bot's naive ISO-8601 local times (Europe/Moscow), with or without microseconds, become PostgreSQL
 * timestamptz input with the zone spelled out, so PostgreSQL applies the zone's rules for that date and keeps the
 * microseconds. A value that already carries an offset is kept as it is.
 */
const timestamp = field((value) => {
  const s = text(value);
  if (s instanceof Problem || s === '') return s || null;
  const m = TIMESTAMP.exec(s);
  if (!m) return new Problem(`not an ISO-8601 timestamp: ${s.slice(0, 40)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    year >= 1970 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!valid || hour > 23 || minute > 59 || second > 59) return new Problem(`not a valid time: ${s.slice(0, 40)}`);
  return m[8] ? s : `${s} ${LEGACY_TIMEZONE}`;
});

export const legacySubscription = z.object({
  tier: field(text),
  expires_at: timestamp,
  auto_renew: bool,
  payment_method: field(text),
  daily_requests: count,
  last_reset_date: timestamp,
  referred_by: field((v) => (v === 0 ? null : parseTelegramId(v))),
  referral_code: field(text),
  referrals_count: count,
});

export const legacyUser = z.object({
  user_id: field(parseTelegramId).pipe(z.number({ message: 'missing' })),
  faceit_player_id: shortText(64),
  faceit_nickname: shortText(64),
  last_checked_match_id: shortText(256),
  waiting_for_nickname: bool,
  subscription: field((v) =>
    typeof v === 'object' && !Array.isArray(v) ? v : new Problem(`expected an object, got ${typeof v}`),
  ).pipe(legacySubscription.nullable()),
  language: field(text),
  notifications_enabled: bool,
  created_at: timestamp,
  last_active_at: timestamp,
  total_requests: count,
});
export type LegacyUser = z.infer<typeof legacyUser>;
export const KNOWN_FIELDS = new Set(Object.keys(legacyUser.shape));
