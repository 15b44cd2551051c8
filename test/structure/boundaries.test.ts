import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMPOSITION_ROOTS, importsOf, ROOT, slices, sliceOf, tsFiles } from './imports';

/**
 * The slice contract (ARCHITECTURE.md, "The slice contract"), checked by reading the imports: code outside a slice reaches it only
 * through its index.ts (the two composition roots may take its workflows / activities), and no slice imports a
 * composition root. Tests and benchmarks exercise a slice's internals and may import them directly.
 */
const SLICES = slices();
/** Where the product's code lives: the slices, the bot frame, the shared plumbing, the entry points. */
const CHECKED = ['src', 'dev', 'scripts', 'emulators'].flatMap(tsFiles);

describe('slice contract', () => {
  it('finds the slices ARCHITECTURE.md lists', () => {
    expect(SLICES).toEqual(
      expect.arrayContaining([
        'account',
        'analysis',
        'billing',
        'health',
        'migration',
        'monitoring',
        'stats',
      ]),
    );
  });

  it('gives every slice an index.ts, its only way in', () => {
    expect(SLICES.filter((s) => !existsSync(join(ROOT, 'src', s, 'index.ts')))).toEqual([]);
  });

  it('reaches another slice only through its index.ts', () => {
    const deep: string[] = [];
    for (const file of CHECKED) {
      const own = sliceOf(file, SLICES);
      const root = COMPOSITION_ROOTS[file];
      for (const i of importsOf(file)) {
        const slice = sliceOf(i.target, SLICES);
        if (!slice || slice === own) continue;
        if (i.target === `src/${slice}/index`) continue;
        if (root && i.target === `src/${slice}/${root}`) continue;
        deep.push(`${file}:${i.line} imports ${i.target}`);
      }
    }
    expect(deep).toEqual([]);
  });

  it('keeps the composition roots out of the slices', () => {
    const cycles = CHECKED.filter((file) => sliceOf(file, SLICES)).flatMap((file) =>
      importsOf(file)
        .filter((i) => /^src\/(workflows|activities)\//.test(i.target))
        .map((i) => `${file}:${i.line} imports ${i.target}`),
    );
    expect(cycles).toEqual([]);
  });

  it('keeps workflow code to type-only imports of other slices (their index would drag Node code into the bundle)', () => {
    const workflowCode = CHECKED.filter((f) =>
      /^src\/[^/]+\/(workflows\.ts|workflow-types\.ts|workflow\/)/.test(f),
    );
    const valueImports = workflowCode.flatMap((file) =>
      importsOf(file)
        .filter(
          (i) =>
            !i.typeOnly && sliceOf(i.target, SLICES) && sliceOf(i.target, SLICES) !== sliceOf(file, SLICES),
        )
        .map((i) => `${file}:${i.line} imports ${i.target}`),
    );
    expect(workflowCode.length).toBeGreaterThan(3);
    expect(valueImports).toEqual([]);
  });

  it('keeps the emulators, the dev run, tests, benchmarks and scripts out of the production build (src/)', () => {
    const outside = tsFiles('src').flatMap((file) =>
      importsOf(file)
        .filter((i) => !i.target.startsWith('src/'))
        .map((i) => `${file}:${i.line} imports ${i.target}`),
    );
    expect(outside).toEqual([]);
  });

  it('sees the imports it checks (a scan that reads nothing would pass everything)', () => {
    const bot = importsOf('src/bot/create-bot.ts').map((i) => i.target);
    expect(bot).toEqual(
      expect.arrayContaining(['src/analysis/index', 'src/stats/index', 'src/account/index']),
    );
    const roots = importsOf('src/activities/index.ts').map((i) => i.target);
    expect(roots).toEqual(expect.arrayContaining(['src/analysis/activities', 'src/stats/activities']));
  });
});
