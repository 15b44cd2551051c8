import { rmSync } from 'node:fs';
import type { Services } from '../../dev/services';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __services?: Services }).__services?.stop();
  if (process.env.TEST_WORKFLOW_BUNDLE) rmSync(process.env.TEST_WORKFLOW_BUNDLE, { force: true });
}
