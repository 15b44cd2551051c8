import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { replayHistoryFile } from '../../src/temporal/replay';

/**
 * Every history stored in test/histories (exported with `temporal workflow show --output json` or the client's
 * fetchHistory) must replay against the current workflow bundle: a non-deterministic change fails here.
 * One test per file, so adding a history is all it takes to cover a workflow.
 */
const HISTORIES = join(__dirname, '..', 'histories');
const files = readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('stored workflow histories replay against the current code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    await replayHistoryFile(join(HISTORIES, file), { codePath: process.env.TEST_WORKFLOW_BUNDLE! });
  });
});
