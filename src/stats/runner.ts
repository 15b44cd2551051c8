/** Runs a stats workflow for the sender on their tier's queue, turning infrastructure trouble into a friendly reply. */
import { WorkflowFailedError } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import { statsWorkflowOptions } from './client';
import type { BotContext } from '../bot/context';
import type { BotDeps } from '../bot/deps';
import { replyHtml } from '../bot/reply';

type StartOptions = ReturnType<typeof statsWorkflowOptions>;

export async function runStats<T>(
  ctx: BotContext,
  deps: BotDeps,
  kind: string,
  execute: (options: StartOptions) => Promise<T>,
): Promise<T | undefined> {
  const telegramId = ctx.user.telegram_id;
  const { tier } = await deps.repos.subscriptions.effective(telegramId);
  // "typing…" while FACEIT answers; purely cosmetic, so a failure is ignored.
  void ctx.replyWithChatAction('typing').catch(() => undefined);
  try {
    return await execute(statsWorkflowOptions(deps.config, { telegramId, tier }, kind));
  } catch (err) {
    if (!(err instanceof WorkflowFailedError) && !(err instanceof ServiceError)) throw err;
    deps.logger.warn({ err, kind, telegramId }, 'stats workflow failed');
    await replyHtml(ctx, ctx.t('bot-error-faceit'));
    return undefined;
  }
}

/** The sender's linked FACEIT account, or a reply saying how to link one. */
export async function linkedAccount(ctx: BotContext, deps: BotDeps) {
  const account = await deps.repos.faceitAccounts.get(ctx.user.telegram_id);
  if (!account) await replyHtml(ctx, ctx.t('bot-need-link'));
  return account;
}
