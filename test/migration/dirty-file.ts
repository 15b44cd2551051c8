import { writeFileSync } from 'node:fs';

/**
 * A small legacy file with every kind of dirt the migration must survive, and what it must make of it.
 * Ids start at `base` (above 2^32, as newer Telegram accounts are) so the file's users are the test's own.
 */
export function writeDirtyFile(path: string, base: number) {
  const id = (n: number) => base + n;
  const v2 = (n: number, extra: object = {}, subscription: object = {}) => ({
    user_id: id(n),
    faceit_player_id: `player-${n}`,
    faceit_nickname: `nick_${n}`,
    last_checked_match_id: `1-match-${n}`,
    waiting_for_nickname: false,
    subscription: {
      tier: 'free',
      expires_at: null,
      auto_renew: false,
      payment_method: null,
      daily_requests: 0,
      last_reset_date: null,
      referred_by: null,
      referral_code: null,
      referrals_count: 0,
      ...subscription,
    },
    language: 'ru',
    notifications_enabled: true,
    created_at: '2025-08-13T21:14:05.778812',
    last_active_at: '2025-08-15T09:12:40',
    total_requests: 1,
    ...extra,
  });
  const records: unknown[] = [
    // Superseded by record 23: neither its referral nor its code survive.
    /* 0 */ v2(
      1,
      {},
      { tier: 'PREMIUM', referral_code: 'aaaa1111', referred_by: id(98), payment_method: 'telegram_stars' },
    ),
    /* 1 */ {
      user_id: id(2),
      faceit_player_id: 'p2',
      faceit_nickname: 'Дарвин🐍',
      last_checked_match_id: null,
    },
    /* 2 */ 42,
    /* 3 */ 'just a string',
    /* 4 */ null,
    /* 5 */ [id(3)],
    /* 6 */ { faceit_player_id: 'orphan', faceit_nickname: 'orphan', last_checked_match_id: null },
    /* 7 */ { user_id: 'abc' },
    /* 8 */ { user_id: id(3), total_requests: 'many' },
    /* 9 */ v2(4, { total_requests: 10 }),
    /* 10 */ v2(5, {}, { referred_by: id(5) }),
    /* 11 */ v2(6, {}, { tier: 'gold', referred_by: id(99) }),
    /* 12 */ v2(7, { faceit_player_id: null, faceit_nickname: null }, { referred_by: id(1) }),
    /* 13 */ { user_id: id(8) },
    /* 14 */ v2(4, { total_requests: 20 }),
    /* 15 */ v2(9, { faceit_nickname: null, notifications_enabled: false }),
    /* 16 */ {
      user_id: String(id(10)),
      faceit_player_id: null,
      faceit_nickname: null,
      last_checked_match_id: null,
    },
    /* 17 */ v2(11, {}, { referral_code: 'CAFE0001' }),
    /* 18 */ v2(12, {}, { referral_code: 'cafe0001' }),
    /* 19 */ {
      user_id: id(13),
      faceit_nickname: 'bad\u0000nick',
      faceit_player_id: 'x',
      last_checked_match_id: null,
    },
    /* 20 */ '{"user_id": 9007199254740993, "faceit_player_id": null}',
    /* 21 */ v2(4, { total_requests: 30, language: 'en' }),
    /* 22 */ '{"user_id": NaN}',
    /* 23 */ {
      user_id: id(1),
      faceit_player_id: null,
      faceit_nickname: null,
      last_checked_match_id: null,
      language: 'EN',
    },
  ];
  const texts = records.map((r) =>
    typeof r === 'string' && r.startsWith('{') ? r : JSON.stringify(r, null, 2).replace(/\n/g, '\n    '),
  );
  const truncated = `{\n      "user_id": ${id(14)},\n      "faceit_nick`;
  writeFileSync(path, `{\n  "users": [\n    ${texts.join(',\n    ')},\n    ${truncated}`);
  return {
    ids: [...Array(15).keys()].map(id).concat(id(98), id(99)),
    expected: {
      read: 25,
      // distinct users: 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12
      migrated: 11,
      // id 4 three times, id 1 twice
      duplicates_merged: 3,
      rejected: 11,
      dangling_referrers: 1,
      dangling_referrer_ids: [id(99)],
    },
    rejects: [
      [2, 'not an object: number'],
      [3, 'not an object: string'],
      [4, 'not an object: null'],
      [5, 'not an object: array'],
      [6, 'no usable user_id: missing'],
      [7, 'no usable user_id'],
      [8, 'broken field total_requests'],
      [19, 'broken field faceit_nickname'],
      [20, 'no usable user_id'],
      [22, 'invalid JSON'],
      [24, 'truncated'],
    ] as Array<[number, string]>,
    id,
  };
}
