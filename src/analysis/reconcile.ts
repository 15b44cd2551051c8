import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { DatabasePool } from '../db/pool';
import { t } from '../i18n';
import { periodicLoop } from '../ops/periodic';
import { withDeadline } from '../temporal/deadline';
import { analysisWorkflowId, getAnalysisProgress } from './client';
import { createAnalysisRepository, type PendingRequest } from './repository';

/**
 * Reconciliation of accepted analysis requests. The bot writes a `pending` row (and charges the unit) before it
 * starts anything; the workflow settles the row when it delivers. A row still pending long after that belongs to a
 * request whose workflow never learnt of it (the bot died between the row and the start, or the start failed in a
 * way the bot could not tell apart from success). If the match's workflow is not running with this requester, the
 * row is settled as failed, the unit refunded (one transaction), and the progress message says so.
 * When Temporal does not answer, nothing is decided: the row waits for the next round.
 */

export interface ReconcilerDeps {
  pool: DatabasePool;
  client: Client;
  api: Api;
  logger: Logger;
  rpcTimeoutMs: number;
}

export interface ReconcileResult {
  failed: number;
  kept: number;
  unknown: number;
}

export function createRequestReconciler(
  deps: ReconcilerDeps,
  options: { olderThanMs?: number; everyMs?: number } = {},
) {
  const repo = createAnalysisRepository(deps.pool);
  const olderThanMs = options.olderThanMs ?? 3 * 60_000;
  const everyMs = options.everyMs ?? 60_000;
  const log = deps.logger.child({ component: 'analysis-reconciler' });

  /** Whether the match's workflow still has this request in hand; undefined when Temporal cannot tell us. */
  async function inHand(row: PendingRequest): Promise<boolean | undefined> {
    if (row.progress_message_id === null) return false; // the workflow settles rows by message: it cannot know it
    try {
      return await withDeadline(deps.client, deps.rpcTimeoutMs, async () => {
        const handle = deps.client.workflow.getHandle(analysisWorkflowId(row.match_id));
        const described = await handle.describe().catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return null;
          throw err;
        });
        // Ended (or never started) without settling this row: it never had the request, or lost it.
        if (described?.status.name !== 'RUNNING') return false;
        const progress = await getAnalysisProgress(deps.client, row.match_id);
        if (!progress || progress.stage === 'queued') return true; // not answering queries yet
        return progress.requesters.some(
          (r) => r.chatId === row.chat_id && r.progressMessageId === row.progress_message_id,
        );
      });
    } catch (err) {
      log.warn(
        { err, matchId: row.match_id },
        'Temporal did not answer; the request waits for the next round',
      );
      return undefined;
    }
  }

  async function reconcileOnce(): Promise<ReconcileResult> {
    const result: ReconcileResult = { failed: 0, kept: 0, unknown: 0 };
    for (const row of await repo.stalePending(olderThanMs)) {
      const held = await inHand(row);
      if (held === undefined) {
        result.unknown++;
        continue;
      }
      if (held) {
        result.kept++;
        continue;
      }
      if (!(await repo.failPending(row.id))) continue; // settled meanwhile
      result.failed++;
      log.warn(
        { requestId: row.id, matchId: row.match_id, telegramId: row.telegram_id },
        'a pending analysis request had no workflow: failed and refunded',
      );
      if (row.progress_message_id !== null) {
        await deps.api
          .editMessageText(row.chat_id, row.progress_message_id, t(row.language, 'bot-analyze-failed'), {
            parse_mode: 'HTML',
          })
          .catch((err: unknown) =>
            log.warn({ err, requestId: row.id }, 'could not edit the progress message'),
          );
      }
    }
    return result;
  }

  const loop = periodicLoop(reconcileOnce, {
    everyMs,
    onError: (err) => log.warn({ err }, 'reconciliation round failed'),
  });
  return {
    reconcileOnce,
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
