import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { taskQueueFor } from '../../src/config';
import { followLegacyMigration, MIGRATION_WORKFLOW_TYPE } from '../../src/migration/client';
import {
  MigrationFile,
  MigrationPhase,
  migrationProgressQuery,
  pauseMigrationSignal,
  resumeMigrationSignal,
} from '../../src/migration/messages';
import type { legacyMigrationWorkflow } from '../../src/migration/workflows';
import { findTemporalCli } from '../../dev/services/temporal';
import { exportHistory, loadHistoryFile } from '../../src/temporal/replay';
import { forgetUsers, migratedState, migrationWorld, runMigration, type MigrationWorld } from './helpers';
import { LEGACY_SAMPLE_FILE } from '../harness/shared';

const SAMPLE = LEGACY_SAMPLE_FILE;
const IDS = [123456789, 7012345678, 555000111, 987654321];

/** Rows as text, timestamps in UTC with microseconds, so expectations are exact. */
async function rows(world: MigrationWorld, query: ReturnType<typeof sql.unsafe>) {
  return world.pool.any(sql.type(z.record(z.unknown()))`${query}`);
}
const ts = (column: string) => sql.fragment`to_char(${sql.identifier([column])} AT TIME ZONE 'UTC',
  'YYYY-MM-DD"T"HH24:MI:SS.US') AS ${sql.identifier([column])}`;

describe('legacy migration of the sample file (real Temporal and PostgreSQL)', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await migrationWorld();
    await world.startWorkers();
    await forgetUsers(world.pool, IDS);
  });
  afterAll(() => world.close());

  it('migrates every field into exactly the expected rows', async () => {
    const report = await runMigration(world, { file: SAMPLE, batchSize: 1000 });
    expect(report).toMatchObject({
      read: 4,
      migrated: 4,
      duplicates_merged: 0,
      rejected: 0,
      changed: 4,
      dangling_referrers: 0,
      invariant_ok: true,
      verification: { checked: 4, mismatches: 0, sample_ids: [] },
      ok: true,
      warnings: { created_at_missing: 1 },
    });
    const ids = sql.array(IDS, 'int8');
    expect(
      await rows(
        world,
        sql.unsafe`
        SELECT telegram_id, language, notifications_enabled, awaiting_nickname, total_requests, referral_code,
          legacy_referrals_count, ${ts('created_at')}, ${ts('last_active_at')}, ${ts('updated_at')}, legacy_position,
          username, timezone, blocked_at
        FROM users WHERE telegram_id = ANY(${ids}) ORDER BY legacy_position`,
      ),
    ).toEqual([
      // created_at 21:14:05.778812 Moscow = 18:14:05.778812 UTC; microseconds survive.
      user(
        123456789,
        'ru',
        true,
        false,
        42,
        'A1B2C3D4',
        1,
        '2025-08-13T18:14:05.778812',
        '2025-08-15T06:12:40.331201',
        0,
      ),
      user(7012345678, 'ru', true, true, 0, null, 0, '2025-08-14T07:00:00.000000', null, 1),
      user(
        555000111,
        'en',
        false,
        false,
        7,
        null,
        0,
        '2025-08-13T20:59:59.000001',
        '2025-08-13T21:10:00.000000',
        2,
      ),
      // First-version record: defaults, creation time unknown (CS2 release day, Moscow midnight).
      user(987654321, 'ru', true, false, 0, null, 0, '2023-09-26T21:00:00.000000', null, 3),
    ]);
    expect(
      await rows(
        world,
        sql.unsafe`
        SELECT telegram_id, faceit_player_id, nickname, steam_id64, ${ts('linked_at')}
        FROM faceit_accounts WHERE telegram_id = ANY(${ids}) ORDER BY telegram_id`,
      ),
    ).toEqual([
      {
        telegram_id: 123456789,
        faceit_player_id: 'ac71ba3c-d3d4-45e7-8be2-26aa3986867d',
        nickname: 's1mple_fan',
        steam_id64: null,
        linked_at: '2025-08-13T18:14:05.778812',
      },
      {
        telegram_id: 555000111,
        faceit_player_id: 'ffe3566c-9574-4f1b-8012-bf4d42aeb898',
        nickname: 'Дарвин',
        steam_id64: null,
        linked_at: '2025-08-13T20:59:59.000001',
      },
      {
        telegram_id: 987654321,
        faceit_player_id: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        nickname: 'old_record',
        steam_id64: null,
        linked_at: '2023-09-26T21:00:00.000000',
      },
    ]);
    expect(
      await rows(
        world,
        sql.unsafe`
        SELECT telegram_id, tier, ${ts('expires_at')}, auto_renew, source
        FROM subscriptions WHERE telegram_id = ANY(${ids}) ORDER BY telegram_id`,
      ),
    ).toEqual([
      {
        telegram_id: 123456789,
        tier: 'premium',
        expires_at: '2025-09-14T15:02:11.504233',
        auto_renew: true,
        source: 'telegram_stars',
      },
      {
        telegram_id: 7012345678,
        tier: 'free',
        expires_at: null,
        auto_renew: false,
        source: 'referral_bonus',
      },
    ]);
    expect(
      await rows(
        world,
        sql.unsafe`
        SELECT telegram_id, day::text AS day, analyses FROM daily_usage WHERE telegram_id = ANY(${ids})`,
      ),
    ).toEqual([{ telegram_id: 123456789, day: '2025-08-15', analyses: 3 }]);
    expect(
      await rows(
        world,
        sql.unsafe`
        SELECT referred_id, referrer_id, code, ${ts('rewarded_at')}, ${ts('created_at')}
        FROM referrals WHERE referred_id = ANY(${ids})`,
      ),
    ).toEqual([
      {
        referred_id: 7012345678,
        referrer_id: 123456789,
        code: null,
        rewarded_at: '2025-08-14T07:00:00.000000',
        created_at: '2025-08-14T07:00:00.000000',
      },
    ]);
    expect(
      await rows(
        world,
        sql.unsafe`
        SELECT c.chat_id, c.type, c.language, c.notifications_enabled, t.faceit_player_id, t.nickname, t.added_by,
          t.cursor_match_id, t.last_checked_at
        FROM chats c JOIN tracked_players t USING (chat_id) WHERE c.chat_id = ANY(${ids}) ORDER BY c.chat_id`,
      ),
    ).toEqual([
      monitored(
        123456789,
        'ru',
        true,
        'ac71ba3c-d3d4-45e7-8be2-26aa3986867d',
        's1mple_fan',
        '1-5e3b7c1a-9f2d-4e8a-b1c6-2a7d9e0f4b12',
      ),
      // Notifications off: the chat says so, the cursor is kept.
      monitored(555000111, 'en', false, 'ffe3566c-9574-4f1b-8012-bf4d42aeb898', 'Дарвин', null),
      monitored(987654321, 'ru', true, '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', 'old_record', null),
    ]);
    expect(
      await world.pool.oneFirst(
        sql.unsafe`SELECT status FROM migration_runs WHERE run_id = ${report.run_id}`,
      ),
    ).toBe('completed');
    expect(
      await world.pool.oneFirst(
        sql.unsafe`SELECT count(*)::int FROM migration_seen WHERE run_id = ${report.run_id}`,
      ),
    ).toBe(0);
  });

  it('a second run over the same file changes nothing and reports the same counts', async () => {
    const before = await migratedState(world.pool, IDS);
    const report = await runMigration(world, { file: SAMPLE });
    expect(report).toMatchObject({
      read: 4,
      migrated: 4,
      duplicates_merged: 0,
      rejected: 0,
      changed: 0,
      ok: true,
    });
    expect(await migratedState(world.pool, IDS)).toEqual(before);
  });

  it('a dry run validates and reports without writing', async () => {
    await forgetUsers(world.pool, IDS);
    const report = await runMigration(world, { file: SAMPLE, dryRun: true });
    expect(report).toMatchObject({
      dry_run: true,
      read: 4,
      migrated: 4,
      changed: 4,
      verification: null,
      ok: true,
    });
    const count = await world.pool.oneFirst(
      sql.unsafe`SELECT count(*)::int FROM users WHERE telegram_id = ANY(${sql.array(IDS, 'int8')})`,
    );
    expect(count).toBe(0);
  });

  it('pauses and resumes on signals, answers the progress query, and carries its state through continue-as-new', async () => {
    await forgetUsers(world.pool, IDS);
    const workflowId = `migration-sample-${Date.now()}`;
    const handle = await world.client.workflow.signalWithStart<typeof legacyMigrationWorkflow, []>(
      MIGRATION_WORKFLOW_TYPE,
      {
        workflowId,
        taskQueue: taskQueueFor(world.config, 'low'),
        args: [{ file: SAMPLE, batchSize: 1, batchesPerRun: 3 }],
        signal: pauseMigrationSignal,
        signalArgs: [],
        typedSearchAttributes: [{ key: MigrationFile, value: SAMPLE }],
      },
    );
    await waitFor(
      async () =>
        (await world.pool.maybeOneFirst(
          sql.unsafe`SELECT status FROM migration_runs WHERE run_id = ${workflowId}`,
        )) === 'paused',
    );
    expect(await handle.query(migrationProgressQuery)).toMatchObject({
      phase: 'migrating',
      paused: true,
      read: 0,
      fileSize: 2140,
    });
    await handle.signal(resumeMigrationSignal);
    const seen: number[] = [];
    const report = await followLegacyMigration(handle, (p) => seen.push(p.read), 50);
    expect(report).toMatchObject({ read: 4, migrated: 4, changed: 4, ok: true });
    const description = await world.client.workflow.getHandle(workflowId).describe();
    expect(description.runId).not.toBe(handle.signaledRunId);
    expect(description.typedSearchAttributes.get(MigrationPhase)).toBe('completed');
    if (process.env.RECORD_HISTORIES === '1') {
      const dir = join(__dirname, '..', 'histories');
      const first = join(dir, 'legacy-migration-paused-continued.json');
      await exportHistory(world.client, workflowId, handle.signaledRunId, first);
      await exportHistory(
        world.client,
        workflowId,
        description.runId,
        join(dir, 'legacy-migration-verified-completed.json'),
      );
      await expectSameAsCliExport(workflowId, handle.signaledRunId, first);
    }
  });
});

function user(
  telegram_id: number,
  language: string,
  notifications_enabled: boolean,
  awaiting_nickname: boolean,
  total_requests: number,
  referral_code: string | null,
  legacy_referrals_count: number,
  created_at: string,
  last_active_at: string | null,
  legacy_position: number,
) {
  const updated_at = last_active_at && last_active_at > created_at ? last_active_at : created_at;
  return {
    ...{ telegram_id, language, notifications_enabled, awaiting_nickname, total_requests, referral_code },
    ...{ legacy_referrals_count, created_at, last_active_at, updated_at, legacy_position },
    ...{ username: null, timezone: 'Europe/Moscow', blocked_at: null },
  };
}

function monitored(
  chat_id: number,
  language: string,
  notifications_enabled: boolean,
  faceit_player_id: string,
  nickname: string,
  cursor_match_id: string | null,
) {
  return {
    ...{ chat_id, type: 'private', language, notifications_enabled, faceit_player_id, nickname },
    ...{ added_by: chat_id, cursor_match_id, last_checked_at: null },
  };
}

/** The temporal CLI's export of the same run loads to the same events as ours: the two formats are one. */
async function expectSameAsCliExport(workflowId: string, runId: string, ours: string): Promise<void> {
  const cli = findTemporalCli();
  if (!cli) return;
  const theirs = join(tmpdir(), `${workflowId}.json`);
  const json = execFileSync(cli, [
    ...['workflow', 'show', '--workflow-id', workflowId, '--run-id', runId, '--output', 'json'],
    ...['--address', process.env.TEMPORAL_ADDRESS!],
  ]);
  writeFileSync(theirs, json);
  const [a, b] = await Promise.all([loadHistoryFile(ours), loadHistoryFile(theirs)]);
  expect(b.history.events?.map((e) => e.eventType)).toEqual(a.history.events?.map((e) => e.eventType));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
