import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';

/**
 * The dev run and ts-node workers have no prebuilt bundle, and webpack takes seconds on every start. The bundle only
 * depends on the workflow sources and the SDK, so it is cached on disk under a hash of every file of the code tree it is built from
 * (`src/` or `dist/`: a superset of what the bundle reads: cheap to hash, never stale) and the SDK version, and reused while that
 * hash holds. A production image never gets here: it ships `dist/workflow-bundle.js`.
 */
const ROOT = join(__dirname, '..', '..');
/** The tree the bundle is built from: src/ under ts-node, dist/ for a compiled build without its prebuilt bundle. */
const SOURCES = join(__dirname, '..');
export const BUNDLE_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'faceit-bot');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return /\.(ts|js|json)$/.test(entry.name) ? [path] : [];
    });
}

/** The hash the cached bundle is filed under: every source's path and content, and the SDK's version. */
export function workflowSourceHash(sources = SOURCES): string {
  const hash = createHash('sha256');
  const sdk = JSON.parse(readFileSync(require.resolve('@temporalio/workflow/package.json'), 'utf8')) as {
    version: string;
  };
  hash.update(`sdk ${sdk.version}\n`);
  for (const file of sourceFiles(sources)) {
    hash.update(`${relative(sources, file)}\n`);
    if (!file.endsWith('workflow-bundle.js')) hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 24);
}

/** The cached bundle's path, building and filing it first when the sources changed. */
export async function cachedBundlePath(
  bundle: () => Promise<{ code: string }>,
  logger?: Logger,
  dirs: { sources?: string; cache?: string } = {},
): Promise<{ codePath: string; cached: boolean }> {
  const cacheDir = dirs.cache ?? BUNDLE_CACHE_DIR;
  const codePath = join(cacheDir, `workflow-bundle-${workflowSourceHash(dirs.sources)}.js`);
  if (existsSync(codePath)) return { codePath, cached: true };
  const { code } = await bundle();
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed: a process reading it never sees half a bundle.
    const partial = `${codePath}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, codePath);
  } catch (err) {
    logger?.warn({ err }, 'workflow bundle cache not writable; bundling at every start');
    const fallback = join(tmpdir(), `faceit-bot-workflow-bundle-${process.pid}.js`);
    writeFileSync(fallback, code);
    return { codePath: fallback, cached: false };
  }
  return { codePath, cached: false };
}
