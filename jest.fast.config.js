/**
 * The fast tests: workflows on Temporal's time-skipping test server with mocked activities, and the structure
 * checks. No PostgreSQL, Redis or emulators, so no global set-up: `npm run test:fast` takes seconds.
 * (`npm test` runs them too, with everything else.)
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  roots: ['<rootDir>/test'],
  testMatch: ['**/workflow-mocked.test.ts', '<rootDir>/test/structure/**/*.test.ts'],
  maxWorkers: 2,
};
