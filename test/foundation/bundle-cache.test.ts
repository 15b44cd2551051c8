import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedBundlePath, workflowSourceHash } from '../../src/temporal/bundle-cache';

/** The dev run's workflow bundle is built once per source state and never served stale. */
describe('workflow bundle cache', () => {
  const root = mkdtempSync(join(tmpdir(), 'bundle-cache-'));
  const sources = join(root, 'src');
  const cache = join(root, 'cache');
  mkdirSync(join(sources, 'workflows'), { recursive: true });
  writeFileSync(join(sources, 'workflows', 'index.ts'), 'export const version = 1;\n');

  let builds = 0;
  const bundle = async () => ({ code: `// bundle ${++builds}\n` });

  it('bundles on the first start and reuses the bundle while the sources are unchanged', async () => {
    const first = await cachedBundlePath(bundle, undefined, { sources, cache });
    const second = await cachedBundlePath(bundle, undefined, { sources, cache });
    expect(first).toEqual({ codePath: second.codePath, cached: false });
    expect(second.cached).toBe(true);
    expect(builds).toBe(1);
    expect(readFileSync(second.codePath, 'utf8')).toBe('// bundle 1\n');
  });

  it('bundles again after any source file changes, or a file is added', async () => {
    const before = workflowSourceHash(sources);
    writeFileSync(join(sources, 'workflows', 'index.ts'), 'export const version = 2;\n');
    const changed = await cachedBundlePath(bundle, undefined, { sources, cache });
    expect(changed.cached).toBe(false);
    expect(workflowSourceHash(sources)).not.toBe(before);
    writeFileSync(join(sources, 'helper.ts'), 'export {};\n');
    expect((await cachedBundlePath(bundle, undefined, { sources, cache })).cached).toBe(false);
    expect(builds).toBe(3);
  });
});
