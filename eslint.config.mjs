// @ts-check
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders of src/ that are not slices (shared plumbing, the bot frame, the composition roots): one list, shared with
 * test/structure; see ARCHITECTURE.md "The slice contract". */
const NOT_SLICES = new Set(
  JSON.parse(readFileSync(join(import.meta.dirname, 'test/structure/not-slices.json'), 'utf8')),
);
const SLICES = readdirSync(join(import.meta.dirname, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_SLICES.has(d.name))
  .map((d) => d.name);

/**
 * Code outside a slice imports it only through its index.ts, its pure model's own entry (`<slice>/model`, for
 * other pure models: it loads no grammY and no Temporal client) or its worker entry (`<slice>/worker`, for
 * worker-side code: no composer); `allow`: what a composition root may also take.
 */
const throughIndex = (allow = []) => ({
  group: SLICES.flatMap((s) => [
    `**/${s}/*`,
    `!**/${s}/index`,
    `!**/${s}/worker`,
    `**/${s}/model/*`,
    `!**/${s}/model`,
    `!**/${s}/model/index`,
    ...allow.map((a) => `!**/${s}/${a}`),
  ]),
  message:
    'Import another slice only through its index.ts, model/index.ts or worker.ts (ARCHITECTURE.md, "The slice contract").',
});
/** The bot's frame (src/bot) takes the slices' composers; the slices take the kit (src/bot-kit), never the frame. */
const notTheFrame = {
  group: ['**/bot', '**/bot/*', '**/bot/**'],
  message: 'A slice never imports the bot frame (src/bot): shared bot code lives in src/bot-kit.',
};
const deterministic = [
  {
    group: ['node:*', 'fs', 'crypto', 'pg', 'slonik', 'ioredis'],
    message: 'Workflow code must be deterministic.',
  },
  {
    group: ['**/activities', '**/activities/*'],
    allowTypeImports: true,
    message: 'Import activities as types.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts', 'dev/**/*.ts', 'scripts/**/*.ts', 'emulators/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [throughIndex()] }] },
  },
  {
    files: SLICES.map((s) => `src/${s}/**/*.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [throughIndex(), notTheFrame] }],
    },
  },
  {
    // Every HTTP port goes through src/ops/http.ts: safe target parsing, every handler inside a catch, limits.
    files: ['src/**/*.ts'],
    ignores: ['src/ops/http.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[importKind!='type'][source.value=/^(node:)?(http|https|http2)$/] > ImportSpecifier[importKind!='type'][imported.name=/^(create(Secure)?Server|Server)$/]",
          message: 'Open HTTP ports only through startHttpServer (src/ops/http.ts).',
        },
        {
          selector:
            'MemberExpression[property.name=/^create(Secure)?Server$/][object.name=/^(http|https|http2)$/]',
          message: 'Open HTTP ports only through startHttpServer (src/ops/http.ts).',
        },
      ],
    },
  },
  {
    files: ['src/**/workflows.ts', 'src/**/workflow/**/*.ts', 'src/temporal/retry-policies.ts'],
    // Workflow code must stay deterministic: no Node APIs, no direct activity imports.
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...deterministic, throughIndex()] }],
    },
  },
  {
    // The composition roots: the workflow bundle's entry takes each slice's workflows, the registry its activities.
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [...deterministic, throughIndex(['workflows'])] },
      ],
    },
  },
  {
    files: ['src/activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [throughIndex(['activities'])] }],
    },
  },
);
