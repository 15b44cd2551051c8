/** /help: what the bot does, the commands, and today's analysis quota. */
import { Composer } from 'grammy';
import { PLAN_NAMES } from '../../billing';
import { dailyQuota, quotaDay } from '../../billing';
import type { BotContext } from '../../bot-kit/context';
import type { BotDeps } from '../deps';
import { menuLabels } from '../../bot-kit/keyboards';
import { replyHtml } from '../../bot-kit/reply';
import { upgradeKeyboard } from '../../billing';

export function helpFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  async function help(ctx: BotContext) {
    const { tier } = await deps.repos.subscriptions.effective(ctx.user.telegram_id);
    const used = await deps.repos.usage.used(ctx.user.telegram_id, quotaDay(deps.config));
    const vars = { used, limit: dailyQuota(deps.config, tier), tier: PLAN_NAMES[tier] };
    // Pre-match briefs and inline mode (locales/*/briefs.ftl), then billing.
    const more = ctx.t('briefs-help', { bot: ctx.me.username });
    const text = `${ctx.t('bot-help')}
${more}
${ctx.t('billing-help')}

${ctx.t('bot-quota-line', vars)}`;
    await replyHtml(ctx, text, { reply_markup: upgradeKeyboard(ctx.locale) });
  }
  c.command('help', help);
  c.chatType('private').hears(menuLabels('help'), help);
  return c;
}
