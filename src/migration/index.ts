/**
 * Migration slice (the one-off import of the legacy bot's JSON export, `npm run migrate`): the only module code
 * outside the slice imports. The CLI is src/migration/cli.ts.
 */
export {
  ensureMigrationSearchAttributes,
  followLegacyMigration,
  MIGRATION_WORKFLOW_TYPE,
  startLegacyMigration,
  type MigrationHandle,
} from './client';
export type { LegacyMigrationInput, MigrationProgress, MigrationReport } from './types';
