import { createLogger } from '../src/logger';
import { replayHistoryFiles } from '../src/temporal/replay';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { bundleWorkflows } from '../src/temporal/worker';

/**
 * `npm run replay -- <history.json>...`: replays exported histories (`temporal workflow show --output json`)
 * against the current workflow code. Exit code 1 when any history no longer replays.
 */
async function main(): Promise<void> {
  const files = process.argv.slice(2).filter((a) => a !== '--');
  if (files.length === 0) {
    console.error('usage: npm run replay -- <history.json>...');
    process.exit(64);
  }
  installTemporalRuntime(createLogger({ pretty: false, level: 'warn' }));
  const bundle = await bundleWorkflows();
  const outcomes = await replayHistoryFiles(files, { code: bundle.code });
  for (const o of outcomes) console.log(o.ok ? `ok    ${o.file}` : `FAIL  ${o.file}\n      ${o.error}`);
  const failed = outcomes.filter((o) => !o.ok).length;
  console.log(`${outcomes.length - failed} of ${outcomes.length} histories replay against the current code`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
