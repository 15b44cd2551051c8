import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { historyFromJSON, historyToJSON, type History } from './history-json';

/**
 * Replaying exported histories against the current workflow code: a change that would break running workflows
 * (a different command sequence without `patched()`) fails here instead of in production.
 * History files are what `temporal workflow show --output json` writes: `{"events": [...]}`.
 */

export interface ReplayOutcome {
  file: string;
  ok: boolean;
  error?: string;
}

export async function loadHistoryFile(path: string) {
  const json: unknown = JSON.parse(await readFile(path, 'utf8'));
  // Histories carry no workflow id; the file name stands in for it in messages.
  return { workflowId: basename(path, '.json'), history: historyFromJSON(json) };
}

/** Replays every file on one replay worker; never throws for a failing history, reports it instead. */
export async function replayHistoryFiles(
  paths: string[],
  bundle: WorkflowBundleOption,
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  const loaded: Array<{ file: string; workflowId: string; history: History }> = [];
  for (const file of paths) {
    try {
      loaded.push({ file, ...(await loadHistoryFile(file)) });
    } catch (err) {
      outcomes.push({ file, ok: false, error: `cannot load: ${(err as Error).message}` });
    }
  }
  // Two files may share a name in different folders: ids must stay unique to map results back.
  const ids = loaded.map((h, i) =>
    loaded.findIndex((o) => o.workflowId === h.workflowId) === i ? h.workflowId : `${h.workflowId}#${i}`,
  );
  const byId = new Map(ids.map((id, i) => [id, loaded[i].file]));
  const results = Worker.runReplayHistories(
    { workflowBundle: bundle, replayName: 'history-replay' },
    loaded.map(({ history }, i) => ({ workflowId: ids[i], history })),
  );
  for await (const result of results) {
    const file = byId.get(result.workflowId) ?? result.workflowId;
    outcomes.push(result.error ? { file, ok: false, error: result.error.message } : { file, ok: true });
  }
  return outcomes;
}

/** Replays one history; throws DeterminismViolationError (or ReplayError) when the code no longer matches it. */
export async function replayHistoryFile(path: string, bundle: WorkflowBundleOption): Promise<void> {
  const { workflowId, history } = await loadHistoryFile(path);
  await Worker.runReplayHistory(
    { workflowBundle: bundle, replayName: 'history-replay' },
    history,
    workflowId,
  );
}

/** Writes a run's history in the CLI's JSON shape (for test/histories). */
export async function exportHistory(
  client: Client,
  workflowId: string,
  runId: string | undefined,
  path: string,
) {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await writeFile(path, `${historyToJSON(history)}\n`);
}
