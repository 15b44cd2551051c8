import type { Plan } from '../../billing';
import type { Locale } from '../../i18n';

/**
 * Who a broadcast goes to: everybody, the users of one plan (in force now; FREE = no paid plan in force), or the
 * users of one language. Users who blocked the bot are never in an audience.
 */
export type Audience =
  { kind: 'all' } | { kind: 'plan'; plan: Plan } | { kind: 'language'; language: Locale };

/** The audience choices, by the short key used in callback data. */
export const AUDIENCE_KEYS = ['all', 'free', 'premium', 'pro', 'ru', 'en'] as const;
export type AudienceKey = (typeof AUDIENCE_KEYS)[number];

export function audienceOf(key: AudienceKey): Audience {
  if (key === 'all') return { kind: 'all' };
  if (key === 'ru' || key === 'en') return { kind: 'language', language: key };
  return { kind: 'plan', plan: key };
}

export function keyOf(audience: Audience): AudienceKey {
  if (audience.kind === 'all') return 'all';
  return audience.kind === 'plan' ? audience.plan : audience.language;
}

/** Parses a stored audience (JSONB); anything unexpected means everybody would be wrong, so it throws. */
export function parseAudience(value: unknown): Audience {
  const v = (value ?? {}) as Record<string, unknown>;
  if (v.kind === undefined || v.kind === 'all') return { kind: 'all' };
  const key = (v.kind === 'plan' ? v.plan : v.kind === 'language' ? v.language : undefined) as string;
  if ((AUDIENCE_KEYS as readonly string[]).includes(key) && key !== 'all')
    return audienceOf(key as AudienceKey);
  throw new Error(`unknown broadcast audience ${JSON.stringify(value)}`);
}
