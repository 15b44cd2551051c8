import { z } from 'zod';

/**
 * The legacy data.json user record as zod schemas (see ../shared/legacy/FORMAT.md). Only types are enforced here;
 * rules that turn values into the new schema (defaults, normalisation) live in mapper.ts.
 * A value of the wrong type is a broken record (rejected); `null` or absent means "use the default".
 */

const MAX_INT4 = 2_147_483_647;
export const MAX_TEXT = 64;

/** PostgreSQL text cannot hold NUL, and one would fail the whole batch's transaction. */
const text = z.string().refine((s) => !s.includes('\u0000'), 'contains a NUL character');
const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();

/** Text of at most `max` characters (code points, as PostgreSQL counts them); '' means none. */
const shortText = (max: number) =>
  optional(
    text
      .refine((s) => [...s].length <= max, `longer than ${max} characters`)
      .transform((s) => (s === '' ? null : s)),
  );

const count = optional(z.number().int().min(0).max(MAX_INT4));

/** Telegram ids: positive integers within the safe range (numeric strings are accepted, they are unambiguous). */
export const telegramId = z
  .union([z.number(), z.string().regex(/^\d{1,16}$/, 'expected an integer').transform(Number)])
  .pipe(z.number().int('expected an integer').positive().refine(Number.isSafeInteger, 'beyond 2^53'));

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The legacy bot's naive ISO-8601 local times (Europe/Moscow), with or without microseconds, become PostgreSQL
 * timestamptz input with the zone spelled out, so PostgreSQL applies the zone's rules for that date and keeps the
 * microseconds. A value that already carries an offset is kept as it is.
 */
const timestamp = optional(
  text.transform((s, ctx) => {
    if (s === '') return null;
    const m = TIMESTAMP.exec(s);
    const [year, month, day, hour, minute, second] = (m?.slice(1, 7) ?? []).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const valid =
      m !== null &&
      year >= 1970 &&
      year <= 2100 &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      hour < 24 &&
      minute < 60 &&
      second < 60;
    if (!valid) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not an ISO-8601 timestamp: ${s.slice(0, 40)}` });
      return z.NEVER;
    }
    return m[8] ? s : `${s} ${LEGACY_TIMEZONE}`;
  }),
);

export const LEGACY_TIMEZONE = 'Europe/Moscow';

export const legacySubscription = z.object({
  tier: optional(text),
  expires_at: timestamp,
  auto_renew: optional(z.boolean()),
  payment_method: optional(text),
  daily_requests: count,
  last_reset_date: timestamp,
  referred_by: optional(z.union([z.literal(0), telegramId])),
  referral_code: optional(text),
  referrals_count: count,
});

export const legacyUser = z.object({
  user_id: telegramId,
  faceit_player_id: shortText(MAX_TEXT),
  faceit_nickname: shortText(MAX_TEXT),
  last_checked_match_id: shortText(256),
  waiting_for_nickname: optional(z.boolean()),
  subscription: optional(legacySubscription),
  language: optional(text),
  notifications_enabled: optional(z.boolean()),
  created_at: timestamp,
  last_active_at: timestamp,
  total_requests: count,
});
export type LegacyUser = z.infer<typeof legacyUser>;
export const KNOWN_FIELDS = new Set(Object.keys(legacyUser.shape));
