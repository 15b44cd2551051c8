/**
 * Runs a stats workflow for the sender on their tier's queue, turning trouble into a friendly reply: a workflow that
 * ran and failed (FACEIT down past every retry) says FACEIT is not answering; Temporal not answering (the start past
 * its deadline, a partition) says the service is unavailable. Starting has TEMPORAL_RPC_TIMEOUT_MS; waiting for the
 * result is bounded by the workflow's own timeout.
 */
import type { Workflow, WorkflowResultType, WorkflowStartOptions } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { STATS_WORKFLOW_TIMEOUT_MS, statsWorkflowOptions } from './client';
import type { BotContext } from '../bot-kit/context';
import type { BotServices } from '../bot-kit/deps';
import { echo } from '../bot-kit/format';
import { replyHtml } from '../bot-kit/reply';
import type { LookupFailure } from './model/types';
import { isTemporalUnavailable, withDeadline } from '../temporal/deadline';
import { retryMinutes, spendUserBudget } from './budget';

/** What the stats composer (and its runner, which other slices' composers call) takes from the bot. */
export type StatsComposerDeps = Pick<BotServices, 'config' | 'logger' | 'client' | 'redis' | 'repos'>;

export async function runStats<W extends Workflow>(
  ctx: BotContext,
  deps: StatsComposerDeps,
  kind: string,
  workflow: W,
  args: Parameters<W>,
): Promise<WorkflowResultType<W> | undefined> {
  const telegramId = ctx.user.telegram_id;
  // Before anything that costs FACEIT calls (or a Temporal call): a refused request costs nothing.
  const budget = await spendUserBudget(deps, telegramId, kind);
  if (!budget.ok) {
    deps.logger.info({ kind, telegramId }, 'stats budget exhausted');
    await replyHtml(ctx, ctx.t('reliability-stats-budget', { minutes: retryMinutes(budget) }));
    return undefined;
  }
  const { tier } = await deps.repos.subscriptions.effective(telegramId);
  // "typing…" while FACEIT answers; purely cosmetic, so a failure is ignored.
  void ctx.replyWithChatAction('typing').catch(() => undefined);
  const rpcMs = deps.config.TEMPORAL_RPC_TIMEOUT_MS;
  try {
    const options = statsWorkflowOptions(deps.config, { telegramId, tier }, kind);
    const handle = await withDeadline(deps.client, rpcMs, () =>
      deps.client.workflow.start(workflow, { ...options, args } as unknown as WorkflowStartOptions<W>),
    );
    return await withDeadline(deps.client, STATS_WORKFLOW_TIMEOUT_MS + rpcMs, () => handle.result());
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      deps.logger.warn({ err, kind, telegramId }, 'stats workflow failed');
      await replyHtml(ctx, ctx.t('bot-error-faceit'));
      return undefined;
    }
    if (isTemporalUnavailable(err)) {
      deps.logger.warn({ err, kind, telegramId }, 'Temporal did not answer a stats request');
      await replyHtml(ctx, ctx.t('reliability-temporal-unavailable'));
      return undefined;
    }
    throw err;
  }
}

/** The sender's linked FACEIT account, or a reply saying how to link one. */
export async function linkedAccount(ctx: BotContext, deps: StatsComposerDeps) {
  const account = await deps.repos.faceitAccounts.get(ctx.user.telegram_id);
  if (!account) await replyHtml(ctx, ctx.t('bot-need-link'));
  return account;
}

/** The two expected misses of a player lookup, explained with the name the user gave. */
export function replyLookupFailure(ctx: BotContext, reason: LookupFailure, shown: string) {
  const key = reason === 'no-cs2' ? 'bot-player-no-cs2' : 'bot-player-not-found';
  return replyHtml(ctx, ctx.t(key, { nickname: echo(shown) }));
}
