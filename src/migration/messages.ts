import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { MigrationProgress } from './types';

/** How operators and the CLI talk to a running migration (shared by the workflow and its clients). */
export const migrationProgressQuery = defineQuery<MigrationProgress>('migrationProgress');
export const pauseMigrationSignal = defineSignal('pauseMigration');
export const resumeMigrationSignal = defineSignal('resumeMigration');

export { MigrationFile, MigrationPhase } from '../temporal/search-attributes';
/** Registered by the dev server at start; the CLI still creates them on a cluster that lacks them. */
export const MIGRATION_SEARCH_ATTRIBUTES = { MigrationFile: 'Keyword', MigrationPhase: 'Keyword' } as const;
