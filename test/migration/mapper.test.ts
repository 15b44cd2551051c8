import { readFileSync } from 'node:fs';
import { mapRecord, UNKNOWN_CREATED_AT, type MapOutcome, type MappedUser } from '../../src/migration/mapper';
import { LEGACY_SAMPLE_FILE } from '../harness/shared';

const sample = JSON.parse(readFileSync(LEGACY_SAMPLE_FILE, 'utf8')) as {
  users: Record<string, unknown>[];
};
const map = (value: unknown, position = 0): MapOutcome =>
  mapRecord({
    position,
    offset: 0,
    text: typeof value === 'string' ? value : JSON.stringify(value),
    truncated: false,
  });
const user = (value: unknown): MappedUser => {
  const outcome = map(value);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.user;
};
const reason = (value: unknown): string => {
  const outcome = map(value);
  if (outcome.ok) throw new Error('mapped, expected a reject');
  return outcome.reason;
};
const warnings = (value: unknown): string[] => {
  const outcome = map(value);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.warnings;
};

describe('legacy record mapping', () => {
  it('maps a subscription-era record field by field', () => {
    expect(user(sample.users[0])).toEqual({
      position: 0,
      telegramId: 123456789,
      language: 'ru',
      notificationsEnabled: true,
      awaitingNickname: false,
      totalRequests: 42,
      referralCode: 'A1B2C3D4',
      legacyReferralsCount: 1,
      createdAt: '2025-08-13T21:14:05.778812 Europe/Moscow',
      lastActiveAt: '2025-08-15T09:12:40.331201 Europe/Moscow',
      account: {
        playerId: 'ac71ba3c-d3d4-45e7-8be2-26aa3986867d',
        nickname: 's1mple_fan',
        cursorMatchId: '1-5e3b7c1a-9f2d-4e8a-b1c6-2a7d9e0f4b12',
      },
      subscription: {
        tier: 'premium',
        expiresAt: '2025-09-14T18:02:11.504233 Europe/Moscow',
        autoRenew: true,
        source: 'telegram_stars',
      },
      usage: { resetAt: '2025-08-15T09:00:01.120045 Europe/Moscow', analyses: 3 },
      referredBy: null,
    });
  });

  it('maps an unlinked, referred user above 2^32 and a first-version record with defaults', () => {
    expect(user(sample.users[1])).toMatchObject({
      telegramId: 7012345678,
      awaitingNickname: true,
      account: null,
      createdAt: '2025-08-14T10:00:00 Europe/Moscow',
      lastActiveAt: null,
      subscription: { tier: 'free', expiresAt: null, autoRenew: false, source: 'referral_bonus' },
      usage: null,
      referredBy: 123456789,
    });
    expect(user(sample.users[3])).toEqual({
      position: 0,
      telegramId: 987654321,
      language: 'ru',
      notificationsEnabled: true,
      awaitingNickname: false,
      totalRequests: 0,
      referralCode: null,
      legacyReferralsCount: 0,
      createdAt: UNKNOWN_CREATED_AT,
      lastActiveAt: null,
      account: {
        playerId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        nickname: 'old_record',
        cursorMatchId: null,
      },
      subscription: null,
      usage: null,
      referredBy: null,
    });
    expect(warnings(sample.users[3])).toEqual(['created_at_missing']);
  });

  it('normalises tiers and payment methods, reporting what it could not map', () => {
    const sub = (subscription: object) => ({ user_id: 1, subscription });
    expect(user(sub({ tier: 'PREMIUM' })).subscription?.tier).toBe('premium');
    expect(user(sub({ tier: ' Pro ' })).subscription?.tier).toBe('pro');
    expect(user(sub({ tier: 'gold' })).subscription?.tier).toBe('free');
    expect(warnings(sub({ tier: 'gold' }))).toContain('unknown_tier:gold');
    expect(user(sub({ tier: 'pro', payment_method: null })).subscription?.source).toBe('legacy');
    expect(user(sub({ payment_method: 'paypal' })).subscription?.source).toBe('legacy');
    expect(warnings(sub({ payment_method: 'paypal' }))).toContain('unknown_payment_method:paypal');
    expect(user(sub({ referral_code: 'a1b2c3d4' })).referralCode).toBe('A1B2C3D4');
    expect(user(sub({ referral_code: 'not a code!' })).referralCode).toBeNull();
  });

  it('drops a self-referral and usage without a day, keeping the user', () => {
    const self = { user_id: 42, subscription: { referred_by: 42, daily_requests: 3, last_reset_date: null } };
    expect(user(self)).toMatchObject({ referredBy: null, usage: null });
    expect(warnings(self)).toEqual(
      expect.arrayContaining(['self_referral_dropped', 'daily_requests_without_date_dropped']),
    );
    expect(user({ user_id: 42, subscription: { referred_by: 0 } }).referredBy).toBeNull();
  });

  it('keeps naive timestamps as Moscow time and explicit offsets as they are', () => {
    expect(user({ user_id: 1, created_at: '2025-08-13 21:14:05' }).createdAt).toBe(
      '2025-08-13 21:14:05 Europe/Moscow',
    );
    expect(user({ user_id: 1, created_at: '2025-08-13T21:14:05.5+03:00' }).createdAt).toBe(
      '2025-08-13T21:14:05.5+03:00',
    );
    expect(user({ user_id: 1, last_active_at: '2025-01-02T03:04:05' }).createdAt).toBe(
      '2025-01-02T03:04:05 Europe/Moscow',
    );
  });

  it('keeps unicode nicknames up to 64 characters and a player without a nickname', () => {
    const nick = 'Дарвин🐍'.repeat(8);
    expect(user({ user_id: 1, faceit_player_id: 'p', faceit_nickname: nick }).account?.nickname).toBe(nick);
    expect(user({ user_id: 1, faceit_player_id: 'p', faceit_nickname: null }).account).toEqual({
      playerId: 'p',
      nickname: null,
      cursorMatchId: null,
    });
    expect(user({ user_id: '7012345678' }).telegramId).toBe(7012345678);
    expect(user({ user_id: 1, language: 'EN' }).language).toBe('en');
    expect(user({ user_id: 1, language: 'de' }).language).toBe('ru');
  });

  it('rejects records it cannot migrate, saying why', () => {
    expect(reason('[1, 2]')).toBe('not an object: array');
    expect(reason('"text"')).toBe('not an object: string');
    expect(reason('null')).toBe('not an object: null');
    expect(reason('{"user_id": 1,')).toMatch(/^invalid JSON/);
    expect(reason('{"user_id": NaN}')).toMatch(/^invalid JSON/);
    expect(reason({ faceit_player_id: 'p' })).toBe('no usable user_id: missing');
    expect(reason({ user_id: 'abc' })).toMatch(/^no usable user_id/);
    expect(reason({ user_id: -5 })).toMatch(/^no usable user_id/);
    expect(reason({ user_id: 1.5 })).toMatch(/^no usable user_id/);
    expect(reason('{"user_id": 9007199254740993}')).toMatch(/^no usable user_id/);
    expect(reason({ user_id: 1, total_requests: '42' })).toMatch(/^broken field total_requests/);
    expect(reason({ user_id: 1, total_requests: 3_000_000_000 })).toMatch(/^broken field total_requests/);
    expect(reason({ user_id: 1, notifications_enabled: 'yes' })).toMatch(
      /^broken field notifications_enabled/,
    );
    expect(reason({ user_id: 1, created_at: 'yesterday' })).toMatch(/^broken field created_at/);
    expect(reason({ user_id: 1, created_at: '2025-02-30T10:00:00' })).toMatch(/^broken field created_at/);
    expect(reason({ user_id: 1, subscription: 'premium' })).toMatch(/^broken field subscription/);
    expect(reason({ user_id: 1, subscription: { referred_by: 'someone' } })).toMatch(
      /^broken field subscription.referred_by/,
    );
    expect(reason({ user_id: 1, faceit_nickname: 'x'.repeat(65) })).toMatch(/^broken field faceit_nickname/);
    expect(reason({ user_id: 1, faceit_nickname: 'a\u0000b' })).toMatch(/NUL/);
    expect(mapRecord({ position: 0, offset: 0, text: '{"user_id": 1', truncated: true })).toEqual({
      ok: false,
      reason: 'truncated: the file ends inside this record',
    });
  });
});
