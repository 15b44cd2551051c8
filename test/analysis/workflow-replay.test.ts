import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { replayHistoryFiles } from '../../src/temporal/replay';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { testLogger } from '../harness';

/**
 * Stored lobby-analysis histories (a report with a joiner and a late joiner served while lingering, a cancellation
 * mid-fan-out, a refusal, all by the signals of older clients; and a run joined, cancelled and refused by the
 * updates) replay against the current workflow code: a change that would break running analyses
 * fails here. Regenerate with test/analysis/fixtures/record-histories.ts only for an intended, guarded change.
 */
describe('lobby analysis workflow replay', () => {
  const dir = join(__dirname, '..', 'histories');
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('analysis-') && f.endsWith('.json'))
    .map((f) => join(dir, f));

  it('has the analysis histories to replay', () => {
    expect(files.map((f) => f.split('/').pop())).toEqual(
      expect.arrayContaining([
        'analysis-report-joined-lingered.json',
        'analysis-cancelled.json',
        'analysis-refused-finished.json',
        'analysis-updates-joined-cancelled.json',
      ]),
    );
  });

  it('replays every stored analysis history against the current code', async () => {
    installTemporalRuntime(testLogger);
    const outcomes = await replayHistoryFiles(files, { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes).toHaveLength(files.length);
  });
});
