import { Composer, type Context } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { Logger } from 'pino';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { t, toLocale, type Locale } from '../i18n';
import { callbackData, field } from '../bot-kit/callback-data';
import { createBriefsRepository } from './repository';

/**
 * The auto-brief setting of a chat: a button (under /track's answer and in /settings) and `/brief on|off`.
 * In groups only administrators may change it; the button shows the new state in place.
 */

export interface BriefsComposerDeps {
  pool: DatabasePool;
  logger: Logger;
  /** FACEIT webhooks configured (FACEIT_WEBHOOK_SECRET): briefs can arrive during the map vote. */
  webhooks: boolean;
}

/** `brief:set:<1 = turn on | 0 = turn off>`. */
export const BRIEF_SWITCH = callbackData('brief:set', { on: field.oneOf(['0', '1']) });
const REPLY = { parse_mode: 'HTML' as const };

export function briefToggleButton(locale: Locale, on: boolean): InlineKeyboardButton {
  return {
    text: t(locale, on ? 'brief-setting-on' : 'brief-setting-off'),
    callback_data: BRIEF_SWITCH.pack({ on: on ? '0' : '1' }),
  };
}

export function createBriefsComposer<C extends Context = Context>(deps: BriefsComposerDeps): Composer<C> {
  const repo = createBriefsRepository(deps.pool);
  const log = deps.logger.child({ component: 'briefs-settings' });
  const c = new Composer<C>();

  async function localeOf(ctx: Context): Promise<Locale> {
    const chat = ctx.chat;
    if (chat && chat.type !== 'private') {
      const l = await deps.pool.maybeOneFirst(sql.type(z.object({ language: z.enum(['ru', 'en']) }))`
        SELECT language FROM chats WHERE chat_id = ${chat.id}`);
      if (l) return l;
    }
    if (!ctx.from) return toLocale(undefined);
    const l = await deps.pool.maybeOneFirst(sql.type(z.object({ language: z.enum(['ru', 'en']) }))`
      SELECT language FROM users WHERE telegram_id = ${ctx.from.id}`);
    return l ?? toLocale(ctx.from.language_code);
  }

  async function mayChange(ctx: Context): Promise<boolean> {
    const chat = ctx.chat;
    if (!chat || chat.type === 'private') return true;
    if (ctx.message?.sender_chat?.id === chat.id) return true;
    if (!ctx.from) return false;
    try {
      const member = await ctx.getChatMember(ctx.from.id);
      return member.status === 'creator' || member.status === 'administrator';
    } catch (err) {
      log.warn({ err, chatId: chat.id }, 'getChatMember failed; refusing the change');
      return false;
    }
  }

  /** The new state, or the text explaining why nothing changed. */
  async function set(ctx: Context, on: boolean): Promise<{ ok: true } | { ok: false; text: string }> {
    const locale = await localeOf(ctx);
    if (!(await mayChange(ctx))) return { ok: false, text: t(locale, 'brief-admins-only') };
    if (!(await repo.setAutoBrief(ctx.chat!.id, on))) return { ok: false, text: t(locale, 'brief-no-chat') };
    log.info({ chatId: ctx.chat!.id, on, by: ctx.from?.id }, 'auto-brief changed');
    return { ok: true };
  }

  /** Without FACEIT webhooks the regular check finds the match: a brief may come after the map vote. */
  const late = (locale: Locale, on: boolean): string =>
    on && !deps.webhooks ? `\n${t(locale, 'brief-late-without-webhooks')}` : '';

  c.command('brief', async (ctx) => {
    const locale = await localeOf(ctx);
    const arg = ctx.match.trim().toLowerCase();
    const wanted = ['on', 'вкл', '1'].includes(arg)
      ? true
      : ['off', 'выкл', '0'].includes(arg)
        ? false
        : null;
    if (wanted === null) {
      const on = await repo.autoBrief(ctx.chat.id);
      await ctx.reply(t(locale, on ? 'brief-turned-on' : 'brief-turned-off') + late(locale, on), {
        ...REPLY,
        reply_markup: { inline_keyboard: [[briefToggleButton(locale, on)]] },
      });
      return;
    }
    const r = await set(ctx, wanted);
    await ctx.reply(
      r.ok ? t(locale, wanted ? 'brief-turned-on' : 'brief-turned-off') + late(locale, wanted) : r.text,
      REPLY,
    );
  });

  c.callbackQuery(BRIEF_SWITCH.filter, async (ctx) => {
    const on = BRIEF_SWITCH.read(ctx.match).on === '1';
    const r = await set(ctx, on);
    if (!r.ok) return void (await ctx.answerCallbackQuery({ text: r.text, show_alert: true }));
    const locale = await localeOf(ctx);
    const keyboard = ctx.callbackQuery.message?.reply_markup?.inline_keyboard;
    if (keyboard) {
      const swapped = keyboard.map((row) =>
        row.map((b) =>
          'callback_data' in b && BRIEF_SWITCH.unpack(b.callback_data) ? briefToggleButton(locale, on) : b,
        ),
      );
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: swapped } }).catch(() => undefined);
    }
    await ctx.answerCallbackQuery({ text: t(locale, on ? 'brief-turned-on' : 'brief-turned-off') });
  });

  return c;
}
