import { writeFileSync } from 'node:fs';
import { bundleWorkflows, PREBUILT_BUNDLE_PATH } from './worker';

/**
 * `npm run build` runs this after tsc: the workflow code bundled once, at build time, into dist/, so that
 * production workers load it instead of running webpack at every start (see bench/results/2026-11-30-worker-startup.md).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const bundle = await bundleWorkflows();
  writeFileSync(PREBUILT_BUNDLE_PATH, bundle.code);
  console.log(
    `workflow bundle: ${PREBUILT_BUNDLE_PATH} (${Math.round(bundle.code.length / 1024)} KiB, ${Date.now() - started} ms)`,
  );
}

main().catch((err: unknown) => {
  console.error('bundling the workflow code failed:', err);
  process.exit(1);
});
