import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMPOSITION_ROOTS,
  folderCycles,
  importsOf,
  loadedBy,
  packageImportsOf,
  ROOT,
  slices,
  sliceOf,
  tsFiles,
  type Import,
} from './imports';

/**
 * The slice contract (ARCHITECTURE.md, "The slice contract"), checked by reading the imports: code outside a slice
 * reaches it only through its index.ts (or its pure model's entry, `model/index.ts`, or its worker entry,
 * `worker.ts`; the two composition roots may take its workflows / activities), no slice imports a composition root or the bot's frame (src/bot), and no two
 * top-level folders of src/ import each other, even through others. Tests and benchmarks exercise a slice's
 * internals and may import them directly.
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
        if (['index', 'model/index', 'worker'].some((entry) => i.target === `src/${slice}/${entry}`))
          continue;
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

  it('keeps the bot frame (src/bot) out of the slices: they take the kit (src/bot-kit), the frame takes them', () => {
    const intoFrame = CHECKED.filter((file) => sliceOf(file, SLICES)).flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target.startsWith('src/bot/'))
        .map((i) => `${file}:${i.line} imports ${i.target}`),
    );
    expect(intoFrame).toEqual([]);
  });

  it('has no cycle between top-level folders of src/ (type-only imports count)', () => {
    expect(folderCycles(tsFiles('src').flatMap(importsOf))).toEqual([]);
  });

  it('keeps pure models pure: a model/ folder loads no grammY, no Temporal client, no I/O, no slice index', () => {
    const impure = new Set([
      'grammy',
      '@temporalio/client',
      '@temporalio/activity',
      'pg',
      'slonik',
      'ioredis',
    ]);
    const models = tsFiles('src').filter((f) => /^src\/[^/]+\/model\//.test(f));
    const found = models.flatMap((model) =>
      [...loadedBy(model)].flatMap((module) => [
        ...(/^src\/[^/]+\/index$/.test(module) ? [`${model} loads ${module}`] : []),
        ...packageImportsOf(`${module}.ts`)
          .filter((p) => impure.has(p))
          .map((p) => `${model} loads ${p} (through ${module})`),
      ]),
    );
    expect(models).toEqual(
      expect.arrayContaining(['src/stats/model/form.ts', 'src/predictions/model/backtest.ts']),
    );
    expect(found).toEqual([]);
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

  it('keeps the bot side out of a worker process: it loads no composer, no src/bot and no slice index with one', () => {
    const botSide = (module: string) =>
      /^src\/[^/]+\/composer$/.test(module) ||
      module.startsWith('src/bot/') ||
      (/^src\/[^/]+\/index$/.test(module) && existsSync(join(ROOT, module.replace(/index$/, 'composer.ts'))));
    const entries = SLICES.filter((s) => existsSync(join(ROOT, 'src', s, 'worker.ts')));
    const loaded = ['src/worker', ...entries.map((s) => `src/${s}/worker`)].flatMap((entry) =>
      [...loadedBy(`${entry}.ts`)].filter(botSide).map((module) => `${entry} loads ${module}`),
    );
    expect(entries).toEqual(expect.arrayContaining(['analysis', 'billing', 'briefs', 'predictions']));
    expect([...loadedBy('src/worker.ts')]).toEqual(
      expect.arrayContaining(['src/activities/index', 'src/briefs/sender']),
    );
    expect(loaded).toEqual([]);
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

describe('the checks fail on a violation (fixtures: imports as the scan reports them)', () => {
  const edge = (from: string, target: string, line = 1, typeOnly = false): Import => ({
    from,
    target,
    line,
    typeOnly,
  });

  it('finds a two-folder cycle, even of types only, and names the imports that close it', () => {
    const cycles = folderCycles([
      edge('src/stats/composer.ts', 'src/predictions/index', 3),
      edge('src/predictions/composer.ts', 'src/stats/index', 7, true),
      edge('src/stats/composer.ts', 'src/config'),
    ]);
    expect(cycles).toEqual([
      {
        folders: ['predictions', 'stats'],
        edges: [
          'src/predictions/composer.ts:7 imports src/stats/index',
          'src/stats/composer.ts:3 imports src/predictions/index',
        ],
      },
    ]);
  });

  it('finds a cycle through a third folder and the frame', () => {
    const cycles = folderCycles([
      edge('src/bot/create-bot.ts', 'src/analysis/index'),
      edge('src/analysis/composer.ts', 'src/billing/index'),
      edge('src/billing/composer.ts', 'src/bot/deps'),
    ]);
    expect(cycles.map((c) => c.folders)).toEqual([['analysis', 'billing', 'bot']]);
  });

  it('passes a graph without cycles', () => {
    expect(
      folderCycles([
        edge('src/bot/create-bot.ts', 'src/analysis/index'),
        edge('src/analysis/composer.ts', 'src/bot-kit/reply'),
        edge('src/bot/run.ts', 'src/bot-kit/context'),
      ]),
    ).toEqual([]);
  });
});
