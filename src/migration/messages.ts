import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { MigrationProgress } from './types';

/** How operators and the CLI talk to a running migration (shared by the workflow and its clients). */
export const migrationProgressQuery = defineQuery<MigrationProgress>('migrationProgress');
export const pauseMigrationSignal = defineSignal('pauseMigration');
export const resumeMigrationSignal = defineSignal('resumeMigration');

/** The file being migrated and the phase, so a migration is easy to find in the Web UI. */
export const MigrationFile = defineSearchAttributeKey('MigrationFile', SearchAttributeType.KEYWORD);
export const MigrationPhase = defineSearchAttributeKey('MigrationPhase', SearchAttributeType.KEYWORD);
export const MIGRATION_SEARCH_ATTRIBUTES = { MigrationFile: 'Keyword', MigrationPhase: 'Keyword' } as const;
