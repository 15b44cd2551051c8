import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { MIGRATION_SEARCH_ATTRIBUTES, MigrationFile, migrationProgressQuery } from './messages';
import type { LegacyMigrationInput, MigrationProgress, MigrationReport } from './types';
import type { legacyMigrationWorkflow } from './workflows';

/** Starting and following a migration from outside (CLI, tests, bench). */

export type MigrationHandle = WorkflowHandle<typeof legacyMigrationWorkflow>;

export const MIGRATION_WORKFLOW_TYPE = 'legacyMigrationWorkflow';

/** Starts the run `workflowId`, or attaches to it when it is already running. */
export async function startLegacyMigration(
  client: Client,
  input: LegacyMigrationInput,
  options: { workflowId: string; taskQueue: string; searchable: boolean },
): Promise<{ handle: MigrationHandle; attached: boolean }> {
  try {
    const handle = await client.workflow.start<typeof legacyMigrationWorkflow>(MIGRATION_WORKFLOW_TYPE, {
      workflowId: options.workflowId,
      taskQueue: options.taskQueue,
      args: [input],
      ...(options.searchable ? { typedSearchAttributes: [{ key: MigrationFile, value: input.file }] } : {}),
    });
    return { handle, attached: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: client.workflow.getHandle(options.workflowId), attached: true };
  }
}

/** Waits for the report, calling `onProgress` with the progress query's answer every `intervalMs`. */
export async function followLegacyMigration(
  handle: MigrationHandle,
  onProgress: (progress: MigrationProgress) => void,
  intervalMs = 1000,
): Promise<MigrationReport> {
  let finished = false;
  const result = handle.result().finally(() => (finished = true));
  while (!finished) {
    await Promise.race([result.catch(() => undefined), sleep(intervalMs)]);
    if (finished) break;
    // A query can fail while a run continues as new or no worker is up: progress is best effort.
    const progress = await handle.query(migrationProgressQuery).catch(() => undefined);
    if (progress && !finished) onProgress(progress);
  }
  return result;
}

/**
 * Registers the migration's search attributes on the namespace if needed and waits until they are visible.
 * Returns false when that is not possible (e.g. no operator permission): the migration then runs without them.
 */
export async function ensureMigrationSearchAttributes(client: Client, namespace: string): Promise<boolean> {
  const operator = client.connection.operatorService;
  const missing = async () => {
    const { customAttributes } = await operator.listSearchAttributes({ namespace });
    return Object.keys(MIGRATION_SEARCH_ATTRIBUTES).filter((name) => !(name in (customAttributes ?? {})));
  };
  try {
    const names = await missing();
    if (names.length === 0) return true;
    const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(names.map((name) => [name, keyword])),
    });
    for (let i = 0; i < 50; i++) {
      if ((await missing()).length === 0) return true;
      await sleep(200);
    }
    return false;
  } catch {
    return false;
  }
}
