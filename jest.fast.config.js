/**
 * The fast tests: workflows on Temporal's time-skipping test server with mocked activities, the structure
 * checks and the bot kit's pure helpers (test/bot-kit). No PostgreSQL, Redis or emulators, so no global set-up: `npm run test:fast` takes seconds.
 * (`npm test` runs them too, with everything else.)
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  roots: ['<rootDir>/test'],
  testMatch: [
    '**/workflow-mocked.test.ts',
    '<rootDir>/test/structure/**/*.test.ts',
    '<rootDir>/test/bot-kit/**/*.test.ts',
  ],
  maxWorkers: 2,
};
