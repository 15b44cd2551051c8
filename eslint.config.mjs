// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'src/db/migrations/'] },
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
    files: ['src/**/workflows.ts', 'src/**/workflow.ts', 'src/workflows/**/*.ts'],
    rules: {
      // Workflow code must stay deterministic: no Node APIs, no direct activity imports.
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'crypto', '**/activities', '**/activities/*'] }],
    },
  },
);
