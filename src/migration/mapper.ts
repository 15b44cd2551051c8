import {
  BrokenField,
  KNOWN_FIELDS,
  LEGACY_TIMEZONE,
  parseLegacyUser,
  type LegacyUser,
} from './legacy-schema';
import type { RawRecord, ReadBatch } from './reader';

/**
 * One legacy record → the rows it becomes, or the reason it cannot be migrated. Pure: the same record always maps
 * to the same rows (timestamps stay PostgreSQL input strings so PostgreSQL converts them exactly).
 */

import type { Plan } from '../billing';
export type { Plan };
export type SubscriptionSource = 'telegram_stars' | 'referral_bonus' | 'admin_grant' | 'legacy';

export interface MappedUser {
  position: number;
  telegramId: number;
  language: 'ru' | 'en';
  notificationsEnabled: boolean;
  awaitingNickname: boolean;
  totalRequests: number;
  referralCode: string | null;
  legacyReferralsCount: number;
  createdAt: string;
  lastActiveAt: string | null;
  account: { playerId: string; nickname: string | null; cursorMatchId: string | null } | null;
  subscription: {
    tier: Plan;
    expiresAt: string | null;
    autoRenew: boolean;
    source: SubscriptionSource;
  } | null;
  usage: { resetAt: string; analyses: number } | null;
  referredBy: number | null;
}

export type MapOutcome = { ok: true; user: MappedUser; warnings: string[] } | { ok: false; reason: string };

/**
 * Records without created_at are from the bot's first version; the only safe statement is "before records began".
 * CS2's release day is earlier than any user of a CS2 bot.
 */
export const UNKNOWN_CREATED_AT = `2023-09-27T00:00:00 ${LEGACY_TIMEZONE}`;

const KNOWN_PLANS = new Set<string>(['free', 'premium', 'pro']);
const SOURCES = new Set<string>(['telegram_stars', 'referral_bonus', 'admin_grant']);
const REFERRAL_CODE = /^[A-Z0-9]{4,16}$/;

/** A batch's records split into users and rejects (with position, byte offset, raw text and reason). */
export function mapBatch(batch: ReadBatch): { users: MappedUser[]; rejects: Reject[]; warnings: string[] } {
  const users: MappedUser[] = [];
  const rejects: Reject[] = [];
  const warnings: string[] = batch.fileTruncated ? ['file_truncated'] : [];
  for (const record of batch.records) {
    const mapped = mapRecord(record);
    if (mapped.ok) {
      users.push(mapped.user);
      warnings.push(...mapped.warnings);
    } else
      rejects.push({
        position: record.position,
        offset: record.offset,
        raw: record.text,
        reason: mapped.reason,
      });
  }
  return { users, rejects, warnings };
}

export interface Reject {
  position: number;
  offset: number;
  raw: string;
  reason: string;
}

export function mapRecord(record: RawRecord): MapOutcome {
  if (record.truncated) return { ok: false, reason: 'truncated: the file ends inside this record' };
  let value: unknown;
  try {
    value = JSON.parse(record.text);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      reason: `not an object: ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
    };
  }
  const raw = value as Record<string, unknown>;
  let parsed: LegacyUser;
  try {
    parsed = parseLegacyUser(raw);
  } catch (err) {
    if (!(err instanceof BrokenField)) throw err;
    return {
      ok: false,
      reason: err.field === 'user_id' ? `no usable user_id: ${err.detail}` : `broken field ${err.message}`,
    };
  }
  const warnings = Object.keys(raw)
    .filter((k) => !KNOWN_FIELDS.has(k))
    .map((k) => `unknown_field:${k.slice(0, 40)}`);
  if (typeof raw.user_id === 'string') warnings.push('user_id_as_string');
  return { ok: true, user: toUser(record.position, parsed, warnings), warnings };
}

function toUser(position: number, r: LegacyUser, warnings: string[]): MappedUser {
  const sub = r.subscription ?? null;
  const createdAt = r.created_at ?? r.last_active_at ?? UNKNOWN_CREATED_AT;
  if (!r.created_at) warnings.push('created_at_missing');
  return {
    position,
    telegramId: r.user_id,
    language: language(r.language, warnings),
    notificationsEnabled: r.notifications_enabled ?? true,
    awaitingNickname: r.waiting_for_nickname ?? false,
    totalRequests: r.total_requests ?? 0,
    referralCode: referralCode(sub?.referral_code, warnings),
    legacyReferralsCount: sub?.referrals_count ?? 0,
    createdAt,
    lastActiveAt: r.last_active_at ?? null,
    account: account(r, warnings),
    subscription: sub && {
      tier: tier(sub.tier, warnings),
      expiresAt: sub.expires_at ?? null,
      autoRenew: sub.auto_renew ?? false,
      source: source(sub.payment_method, warnings),
    },
    usage: usage(sub?.daily_requests, sub?.last_reset_date, warnings),
    referredBy: referrer(r.user_id, sub?.referred_by, warnings),
  };
}

function account(r: LegacyUser, warnings: string[]): MappedUser['account'] {
  if (!r.faceit_player_id) {
    if (r.faceit_nickname) warnings.push('nickname_without_player_id');
    if (r.last_checked_match_id) warnings.push('cursor_without_player_id');
    return null;
  }
  if (!r.faceit_nickname) warnings.push('player_id_without_nickname');
  return {
    playerId: r.faceit_player_id,
    nickname: r.faceit_nickname ?? null,
    cursorMatchId: r.last_checked_match_id ?? null,
  };
}

function language(value: string | null | undefined, warnings: string[]): 'ru' | 'en' {
  if (value == null) return 'ru';
  const m = /^(ru|en)([-_].*)?$/.exec(value.trim().toLowerCase());
  if (m) return m[1] as 'ru' | 'en';
  warnings.push(`unknown_language:${value.slice(0, 20)}`);
  return 'ru';
}

function tier(value: string | null | undefined, warnings: string[]): Plan {
  const normalised = (value ?? 'free').trim().toLowerCase();
  if (KNOWN_PLANS.has(normalised)) return normalised as Plan;
  warnings.push(`unknown_tier:${value?.slice(0, 20)}`);
  return 'free';
}

function source(value: string | null | undefined, warnings: string[]): SubscriptionSource {
  if (value == null) return 'legacy';
  const normalised = value.trim().toLowerCase();
  if (SOURCES.has(normalised)) return normalised as SubscriptionSource;
  warnings.push(`unknown_payment_method:${value.slice(0, 20)}`);
  return 'legacy';
}

function referralCode(value: string | null | undefined, warnings: string[]): string | null {
  if (value == null || value === '') return null;
  const normalised = value.trim().toUpperCase();
  if (REFERRAL_CODE.test(normalised)) return normalised;
  warnings.push('invalid_referral_code_dropped');
  return null;
}

function usage(analyses: number | null | undefined, resetAt: string | null | undefined, warnings: string[]) {
  if (!analyses) return null;
  if (!resetAt) {
    warnings.push('daily_requests_without_date_dropped');
    return null;
  }
  return { resetAt, analyses };
}

function referrer(self: number, value: number | null | undefined, warnings: string[]): number | null {
  if (!value) return null;
  if (value === self) {
    warnings.push('self_referral_dropped');
    return null;
  }
  return value;
}
