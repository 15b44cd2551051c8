import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Generates a realistic legacy data.json with `users` distinct users (both record versions, unicode nicknames,
 * ids beyond 32 bits, referrals), plus duplicates far apart and a few broken records. Streamed to disk in chunks,
 * deterministic for a seed. Used by the benchmark and the crash/resume test.
 */
export interface GeneratedFile {
  records: number;
  users: number;
  duplicates: number;
  broken: number;
  ids: number[];
}

export function writeLegacyFile(
  path: string,
  options: { users: number; seed?: number; base?: number; duplicateRate?: number; brokenRate?: number },
): GeneratedFile {
  const random = mulberry32(options.seed ?? 1);
  const base = options.base ?? 5_000_000_000;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const fd = openSync(path, 'w');
  let pending = '{\n  "users": [';
  let records = 0;
  let duplicates = 0;
  let broken = 0;
  const ids: number[] = [];
  const emit = (text: string) => {
    pending += `${records++ ? ',' : ''}\n    ${text}`;
    if (pending.length > 1 << 20) {
      writeSync(fd, pending);
      pending = '';
    }
  };
  for (let i = 0; i < options.users; i++) {
    const id = base + i * 7 + Math.floor(random() * 7);
    ids.push(id);
    emit(record(id, i));
    if (random() < (options.duplicateRate ?? 0.01) && i > 10) {
      duplicates++;
      emit(record(ids[Math.floor(random() * (ids.length - 1))], i));
    }
    if (random() < (options.brokenRate ?? 0.005)) {
      broken++;
      emit(
        pick([
          '42',
          '"user"',
          'null',
          '{"faceit_player_id": "x"}',
          `{"user_id": ${id}, "total_requests": "7"}`,
        ]),
      );
    }
  }
  writeSync(
    fd,
    `${pending}\n  ],\n  "analytics": {\n    "total_users": ${options.users},\n    "daily_stats": {}\n  }\n}\n`,
  );
  closeSync(fd);
  return { records, users: options.users, duplicates, broken, ids };

  function record(id: number, i: number): string {
    const linked = random() < 0.7;
    const time = (day: number) =>
      `2025-${pad(1 + (day % 12))}-${pad(1 + (day % 28))}T${pad(i % 24)}:${pad(i % 60)}:${pad((i * 7) % 60)}${random() < 0.5 ? `.${String(100000 + (i % 899999)).slice(0, 6)}` : ''}`;
    const user: Record<string, unknown> = {
      user_id: id,
      faceit_player_id: linked ? `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` : null,
      faceit_nickname: linked
        ? pick(['s1mple_fan', 'Дарвин', 'ниндзя_42', '玩家', 'ángel', 'x🐍']) + (i % 1000)
        : null,
      last_checked_match_id: linked && random() < 0.6 ? `1-${hex(8)}-${hex(4)}` : null,
    };
    if (random() < 0.7) {
      Object.assign(user, {
        waiting_for_nickname: !linked && random() < 0.3,
        subscription: {
          tier: pick(['free', 'free', 'free', 'premium', 'PREMIUM', 'pro', 'Pro']),
          expires_at: random() < 0.3 ? time(i + 30) : null,
          auto_renew: random() < 0.2,
          payment_method: pick([null, 'telegram_stars', 'referral_bonus', 'admin_grant']),
          daily_requests: Math.floor(random() * 5),
          last_reset_date: time(i + 2),
          referred_by: random() < 0.2 ? (random() < 0.8 && ids.length > 1 ? pick(ids) : base - 1 - i) : null,
          referral_code:
            random() < 0.5 ? (id % 0xffffffff).toString(16).toUpperCase().padStart(8, '0') : null,
          referrals_count: Math.floor(random() * 3),
        },
        language: pick(['ru', 'ru', 'en']),
        notifications_enabled: random() < 0.9,
        created_at: time(i),
        last_active_at: random() < 0.8 ? time(i + 1) : null,
        total_requests: Math.floor(random() * 500),
      });
    }
    return JSON.stringify(user, null, 2).replace(/\n/g, '\n    ');
  }

  function hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
    return s;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
