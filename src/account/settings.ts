/** /settings (language, time zone, notifications) and /timezone <Area/City>. */
import { Composer } from 'grammy';
import type { UserRow } from '../db/repositories/users';
import type { Locale } from '../i18n';
import type { BotContext } from '../bot-kit/context';
import type { AccountComposerDeps } from './composer';
import { dateTime, echo, html } from '../bot-kit/format';
import { LANGUAGE_NAMES, mainKeyboard, menuLabels } from '../bot-kit/keyboards';
import {
  SETTINGS_BACK,
  SETTINGS_LANGUAGE,
  SETTINGS_NOTIFICATIONS,
  SETTINGS_ZONE,
  SETTINGS_ZONES,
  settingsKeyboard,
  TIME_ZONES,
  timezoneKeyboard,
} from './keyboards';
import { HTML, privateOnly, replyHtml } from '../bot-kit/reply';
import { briefToggleButton, createBriefsRepository } from '../briefs';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

function settingsText(ctx: BotContext, user: UserRow): string {
  return ctx.t('bot-settings', {
    language: LANGUAGE_NAMES[user.language],
    zone: html(user.timezone),
    now: dateTime(ctx.locale, user.timezone, Date.now()),
    notifications: ctx.t(user.notifications_enabled ? 'bot-settings-on' : 'bot-settings-off'),
  });
}

export function settingsFeature(deps: AccountComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const briefs = createBriefsRepository(deps.pool);

  /** The settings buttons, with this chat's pre-match brief switch (src/briefs) last. */
  async function keyboard(ctx: BotContext, locale: Locale, user: UserRow) {
    const on = ctx.chat ? await briefs.autoBrief(ctx.chat.id) : false;
    return settingsKeyboard(locale, user).row().add(briefToggleButton(locale, on));
  }

  async function show(ctx: BotContext) {
    if (await privateOnly(ctx)) return;
    await replyHtml(ctx, settingsText(ctx, ctx.user), {
      reply_markup: await keyboard(ctx, ctx.locale, ctx.user),
    });
  }

  async function update(
    ctx: BotContext,
    changes: Parameters<AccountComposerDeps['repos']['users']['update']>[1],
  ) {
    const user = (await deps.repos.users.update(ctx.user.telegram_id, changes)) ?? ctx.user;
    ctx.user = user;
    return user;
  }

  c.command('settings', show);
  c.chatType('private').hears(menuLabels('settings'), show);

  c.command('timezone', async (ctx) => {
    if (await privateOnly(ctx)) return;
    const zone = ctx.match.trim();
    if (!zone)
      return void (await replyHtml(ctx, ctx.t('bot-timezone-usage', { zone: html(ctx.user.timezone) })));
    if (!isTimeZone(zone))
      return void (await replyHtml(ctx, ctx.t('bot-timezone-invalid', { input: echo(zone) })));
    const user = await update(ctx, { timezone: zone });
    const now = dateTime(ctx.locale, user.timezone, Date.now());
    await replyHtml(ctx, ctx.t('bot-timezone-set', { zone: html(user.timezone), now }));
  });

  c.callbackQuery(SETTINGS_LANGUAGE.filter, async (ctx) => {
    const { locale } = SETTINGS_LANGUAGE.read(ctx.match);
    const user = await update(ctx, { language: locale });
    ctx.locale = locale;
    ctx.i18n.useLocale(locale);
    await ctx.editMessageText(settingsText(ctx, user), {
      ...HTML,
      reply_markup: await keyboard(ctx, locale, user),
    });
    await ctx.answerCallbackQuery();
    // The reply keyboard cannot be edited: a new message brings it in the new language.
    await replyHtml(ctx, ctx.t('bot-language-chosen'), { reply_markup: mainKeyboard(locale) });
  });

  c.callbackQuery(SETTINGS_ZONES.filter, async (ctx) => {
    await ctx.editMessageText(ctx.t('bot-timezone-pick', { zone: html(ctx.user.timezone) }), {
      ...HTML,
      reply_markup: timezoneKeyboard(ctx.locale, ctx.user.timezone),
    });
    await ctx.answerCallbackQuery();
  });

  c.callbackQuery(SETTINGS_ZONE.filter, async (ctx) => {
    const zone = TIME_ZONES[SETTINGS_ZONE.read(ctx.match).index];
    if (!zone) return void (await ctx.answerCallbackQuery());
    const user = await update(ctx, { timezone: zone });
    await ctx.editMessageText(settingsText(ctx, user), {
      ...HTML,
      reply_markup: await keyboard(ctx, ctx.locale, user),
    });
    await ctx.answerCallbackQuery({ text: ctx.t('bot-timezone-set-short', { zone }) });
  });

  c.callbackQuery(SETTINGS_NOTIFICATIONS.filter, async (ctx) => {
    const user = await update(ctx, { notifications_enabled: !ctx.user.notifications_enabled });
    await ctx.editMessageText(settingsText(ctx, user), {
      ...HTML,
      reply_markup: await keyboard(ctx, ctx.locale, user),
    });
    await ctx.answerCallbackQuery();
  });

  c.callbackQuery(SETTINGS_BACK.filter, async (ctx) => {
    await ctx.editMessageText(settingsText(ctx, ctx.user), {
      ...HTML,
      reply_markup: await keyboard(ctx, ctx.locale, ctx.user),
    });
    await ctx.answerCallbackQuery();
  });

  return c;
}
