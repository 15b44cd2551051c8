/** Linking a FACEIT account: /link <nickname | FACEIT URL | Steam64 | Steam URL>, /unlink, or a nickname after /start. */
import { Composer } from 'grammy';
import { findPlayerWorkflow, replyLookupFailure, runStats } from '../stats';
import type { BotContext } from '../bot-kit/context';
import type { AccountComposerDeps } from './composer';
import { html, int } from '../bot-kit/format';
import { mainKeyboard } from '../bot-kit/keyboards';
import { parseAccountReference } from '../bot-kit/parse';
import { replyHtml, replyInputError } from '../bot-kit/reply';
import { rewardReferralIfDue } from '../billing';

export async function linkAccount(ctx: BotContext, deps: AccountComposerDeps, text: string): Promise<void> {
  const parsed = parseAccountReference(text);
  if (!parsed.ok) {
    await replyInputError(ctx, parsed.error, text);
    return;
  }
  const found = await runStats(ctx, deps, 'link', findPlayerWorkflow, [parsed.ref]);
  if (!found) return;
  if (!found.ok) {
    await replyLookupFailure(ctx, found.reason, parsed.shown);
    return;
  }
  const p = found.value;
  await deps.repos.faceitAccounts.link(ctx.user.telegram_id, {
    playerId: p.playerId,
    nickname: p.nickname,
    steamId64: p.steamId64,
  });
  ctx.user.awaiting_nickname = false;
  await replyHtml(
    ctx,
    ctx.t('bot-link-done', {
      nickname: html(p.nickname),
      level: int(ctx.locale, p.level),
      elo: int(ctx.locale, p.elo),
    }),
    { reply_markup: ctx.chat?.type === 'private' ? mainKeyboard(ctx.locale) : undefined },
  );
  // A user who came with a referral code earns its reward (and the referrer theirs) once a FACEIT account is linked.
  await rewardReferralIfDue(deps, ctx.user.telegram_id, { telegram: ctx.api }).catch((err: unknown) =>
    deps.logger.error({ err, telegramId: ctx.user.telegram_id }, 'referral reward could not be started'),
  );
}

export function linkFeature(deps: AccountComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('link', async (ctx) => {
    if (!ctx.match.trim()) {
      await replyHtml(ctx, ctx.t('bot-link-usage'));
      return;
    }
    await linkAccount(ctx, deps, ctx.match);
  });

  c.command('unlink', async (ctx) => {
    const removed = await deps.repos.faceitAccounts.unlink(ctx.user.telegram_id);
    await replyHtml(ctx, ctx.t(removed ? 'bot-unlink-done' : 'bot-unlink-none'));
  });

  return c;
}

/** After /start the next plain text in the private chat is taken as the account to link. */
export function nicknameAfterStart(deps: AccountComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType('private')
    .on('message:text')
    .filter(
      (ctx) => ctx.user.awaiting_nickname && !ctx.message.text.startsWith('/'),
      (ctx) => linkAccount(ctx, deps, ctx.message.text),
    );
  return c;
}
