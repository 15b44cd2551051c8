import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { forgetUsers, migrationWorld, runMigration, type MigrationWorld } from '../migration/helpers';

/** Issue 14, point 8: a rejected legacy record is kept whole, however long, so an operator can repair it. */
describe('a long rejected legacy record', () => {
  let world: MigrationWorld;
  const id = 7_000_000_000 + Math.floor(Math.random() * 1e6) * 10;
  beforeAll(async () => {
    world = await migrationWorld();
    await world.startWorkers();
  });
  afterAll(async () => {
    await forgetUsers(world.pool, [id, id + 1]);
    await world?.close();
  });

  it('is stored with all of its 20,000+ characters', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'legacy-long-')), 'data.json');
    const good = JSON.stringify({ user_id: id + 1, language: 'en' });
    const long = JSON.stringify({ user_id: id, total_requests: 'many', note: 'x'.repeat(20_000) });
    writeFileSync(path, `{"users": [${good}, ${long}]}`);
    const report = await runMigration(world, { file: path, batchSize: 10 });
    expect(report).toMatchObject({ migrated: 1, rejected: 1, invariant_ok: true });
    const raw = await world.pool.oneFirst(
      sql.type(z.object({ raw: z.string() }))`
        SELECT raw FROM migration_rejects WHERE run_id = ${report.run_id}`,
    );
    expect(raw.length).toBeGreaterThan(20_000);
    expect(raw).toBe(long);
  });
});
