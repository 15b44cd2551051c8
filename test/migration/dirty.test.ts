import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { writeDirtyFile } from './dirty-file';
import { forgetUsers, migratedState, migrationWorld, runMigration, type MigrationWorld } from './helpers';

describe('legacy migration of a dirty file (real Temporal and PostgreSQL)', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'legacy-dirty-')), 'data.json');
  const base = 6_000_000_000 + Math.floor(Math.random() * 1e6) * 100;
  const dirty = writeDirtyFile(path, base);
  const { id } = dirty;
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await migrationWorld();
    await world.startWorkers();
  });
  afterAll(async () => {
    await forgetUsers(world.pool, dirty.ids);
    await world.close();
  });

  const user = (n: number) =>
    world.pool.maybeOne(sql.type(z.record(z.unknown()))`
      SELECT u.language, u.total_requests, u.referral_code, u.legacy_position, s.tier, r.referrer_id,
        f.nickname, c.notifications_enabled AS chat_notifications, t.cursor_match_id, t.nickname AS tracked_nickname
      FROM users u LEFT JOIN subscriptions s USING (telegram_id) LEFT JOIN referrals r ON r.referred_id = u.telegram_id
      LEFT JOIN faceit_accounts f USING (telegram_id) LEFT JOIN chats c ON c.chat_id = u.telegram_id
      LEFT JOIN tracked_players t ON t.chat_id = u.telegram_id
      WHERE u.telegram_id = ${id(n)}`);

  it('reports every record as migrated, merged or rejected, and keeps the rejects', async () => {
    const report = await runMigration(world, { file: path, batchSize: 4 });
    expect(report).toMatchObject({ ...dirty.expected, invariant_ok: true, ok: true, changed: 14 });
    expect(report.verification).toEqual({ checked: 11, mismatches: 0, sample_ids: [] });
    expect(report.warnings).toMatchObject({
      self_referral_dropped: 1,
      'unknown_tier:gold': 1,
      user_id_as_string: 1,
      referral_code_taken: 1,
      player_id_without_nickname: 1,
      file_truncated: 1,
    });

    const rejects = await world.pool.any(
      sql.type(
        z.object({ position: z.number(), byte_offset: z.number(), raw: z.string(), reason: z.string() }),
      )`SELECT position, byte_offset, raw, reason FROM migration_rejects WHERE run_id = ${report.run_id} ORDER BY position`,
    );
    expect(rejects.map((r) => r.position)).toEqual(dirty.rejects.map(([position]) => position));
    const bytes = readFileSync(path);
    rejects.forEach((r, i) => {
      expect(r.reason.startsWith(dirty.rejects[i][1])).toBe(true);
      const raw = Buffer.from(r.raw);
      expect(bytes.subarray(r.byte_offset, r.byte_offset + raw.length).equals(raw)).toBe(true);
    });
  });

  it('keeps the latest record of each user, even when its duplicates are batches apart', async () => {
    // id 1: record 23 (unlinked, no subscription) wins over record 0 (linked, premium, referred, with a code).
    expect(await user(1)).toEqual({
      language: 'en',
      total_requests: 0,
      referral_code: null,
      legacy_position: 23,
      tier: null,
      referrer_id: null,
      nickname: null,
      chat_notifications: null,
      cursor_match_id: null,
      tracked_nickname: null,
    });
    expect(await user(4)).toMatchObject({ total_requests: 30, language: 'en', legacy_position: 21 });
    expect(await user(2)).toMatchObject({ nickname: 'Дарвин🐍', tracked_nickname: 'Дарвин🐍', tier: null });
    expect(await user(5)).toMatchObject({ referrer_id: null });
    expect(await user(6)).toMatchObject({ tier: 'free', referrer_id: id(99) });
    expect(await user(7)).toMatchObject({ referrer_id: id(1), nickname: null, chat_notifications: null });
    expect(await user(9)).toMatchObject({
      nickname: null,
      tracked_nickname: null,
      chat_notifications: false,
      cursor_match_id: '1-match-9',
    });
    expect(await user(10)).toMatchObject({ language: 'ru' });
    expect(await user(11)).toMatchObject({ referral_code: 'CAFE0001' });
    expect(await user(12)).toMatchObject({ referral_code: null });
    for (const rejected of [3, 13, 14]) expect(await user(rejected)).toBeNull();
  });

  it('gives the same database whatever the batch size, and a second run changes nothing', async () => {
    const first = await migratedState(world.pool, dirty.ids);
    const again = await runMigration(world, { file: path, batchSize: 1000 });
    expect(again).toMatchObject({ ...dirty.expected, changed: 0, ok: true });
    expect(await migratedState(world.pool, dirty.ids)).toEqual(first);
    await forgetUsers(world.pool, dirty.ids);
    const fresh = await runMigration(world, { file: path, batchSize: 1000 });
    expect(fresh).toMatchObject({ ...dirty.expected, changed: 11, ok: true });
    expect(await migratedState(world.pool, dirty.ids)).toEqual(first);
  });
});
