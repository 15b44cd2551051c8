/** /start [ref_CODE]: registration, language choice, referral code, and the nickname prompt. */
import { ANALYZE_DEEP_LINK } from '../bot-kit/parse';
import { Composer } from 'grammy';
import type { BotContext } from '../bot-kit/context';
import type { AccountComposerDeps } from './composer';
import { html } from '../bot-kit/format';
import { languageKeyboard, mainKeyboard } from '../bot-kit/keyboards';
import { HTML, privateOnly, replyHtml } from '../bot-kit/reply';
import { START_LANGUAGE } from './keyboards';

const REFERRAL_CODE = /^[A-Z0-9]{4,16}$/;

async function applyReferral(ctx: BotContext, deps: AccountComposerDeps, rawCode: string): Promise<string> {
  const code = rawCode.toUpperCase();
  // A referral is how a user arrived: someone who was already here cannot be referred afterwards.
  if (!ctx.isNewUser) return ctx.t('bot-referral-existing-user');
  if (!REFERRAL_CODE.test(code)) return ctx.t('bot-referral-unknown-code');
  const { result } = await deps.repos.referrals.apply(ctx.user.telegram_id, code);
  deps.logger.info({ telegramId: ctx.user.telegram_id, code, result }, 'referral code on /start');
  return ctx.t(`bot-referral-${result}`);
}

async function promptNext(ctx: BotContext, deps: AccountComposerDeps): Promise<void> {
  const account = await deps.repos.faceitAccounts.get(ctx.user.telegram_id);
  if (account) {
    await replyHtml(ctx, ctx.t('bot-start-linked', { nickname: html(account.nickname) }), {
      reply_markup: mainKeyboard(ctx.locale),
    });
    return;
  }
  await deps.repos.users.update(ctx.user.telegram_id, { awaiting_nickname: true });
  await replyHtml(ctx, ctx.t('bot-start-ask-nickname'), { reply_markup: mainKeyboard(ctx.locale) });
}

export function startFeature(deps: AccountComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('start', async (ctx, next) => {
    const payload = ctx.match.trim();
    // Inline mode's "analyse in the bot" deep link: the analysis composer runs it.
    if (payload.startsWith(ANALYZE_DEEP_LINK)) return next();
    if (await privateOnly(ctx)) return;
    const parts = [ctx.t('bot-start-welcome', { name: html(ctx.from?.first_name ?? '') })];
    if (payload.startsWith('ref_')) parts.push(await applyReferral(ctx, deps, payload.slice(4)));
    parts.push(ctx.t('bot-start-choose-language'));
    await replyHtml(ctx, parts.join('\n\n'), { reply_markup: languageKeyboard(START_LANGUAGE) });
    await promptNext(ctx, deps);
  });

  c.callbackQuery(START_LANGUAGE.filter, async (ctx) => {
    const { locale } = START_LANGUAGE.read(ctx.match);
    await deps.repos.users.update(ctx.user.telegram_id, { language: locale });
    ctx.locale = locale;
    ctx.i18n.useLocale(locale);
    await ctx.editMessageText(ctx.t('bot-language-chosen'), HTML);
    await ctx.answerCallbackQuery();
    await promptNext(ctx, deps);
  });

  return c;
}
