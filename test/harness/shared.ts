import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The project's `shared/` folder (real FACEIT samples, the legacy data.json format): beside the repository's
 * checkout, or where SHARED_DIR points.
 */
export const SHARED_DIR =
  process.env.SHARED_DIR ??
  [resolve(__dirname, '../../../shared'), '/work/shared'].find((dir) =>
    existsSync(join(dir, 'PRODUCT.md')),
  ) ??
  resolve(__dirname, '../../../shared');

export const FACEIT_SAMPLES_DIR = join(SHARED_DIR, 'faceit-api');
export const LEGACY_SAMPLE_FILE = join(SHARED_DIR, 'legacy', 'data.sample.json');
