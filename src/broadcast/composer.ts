/**
 * /broadcast <text> (the admin's formatting kept through message entities) or /broadcast as a reply to a message
 * (sent with copyMessage: formatting and media kept). The draft is previewed — the message as users will see it,
 * then the controls: audience (all / a plan / a language) with its size, Confirm, Discard. Confirm starts the
 * broadcast workflow; the controls become its progress message with Pause / Resume / Cancel.
 * Admins only, every step audited (see src/admin).
 */
import type { Client } from '@temporalio/client';
import { Composer, GrammyError, type InlineKeyboard } from 'grammy';
import { isNotModified } from '../telegram/errors';
import type { MessageEntity } from 'grammy/types';
import type { Logger } from 'pino';
import type { DatabasePool } from 'slonik';
import { admit, createAdminRepository, type AuditEntry } from '../admin';
import type { BotContext } from '../bot-kit/context';
import { echo } from '../bot-kit/format';
import type { Config } from '../config';
import { isTemporalUnavailable } from '../temporal/deadline';
import { controlBroadcast, startBroadcast, type BroadcastControl } from './client';
import { AUDIENCE_KEYS, audienceOf, type AudienceKey } from './model/audience';
import { audienceLabel, BROADCAST_CALLBACK, controlsKeyboard, renderControls } from './render';
import { createBroadcastRepository } from './repository';
import { broadcastWorkflowId } from './workflow-types';

export interface BroadcastComposerDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  client: Client;
}

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
const MAX_TEXT = 4096;

/** The text after "/broadcast" with the admin's formatting moved along with it. */
export function textAfterCommand(
  text: string,
  entities: readonly MessageEntity[] = [],
): { text: string; entities: MessageEntity[] } {
  const command = /^\/\S+\s*/.exec(text)?.[0] ?? '';
  const start = command.length;
  const body = text.slice(start);
  const trimmed = body.trimEnd();
  return {
    text: trimmed,
    entities: entities
      .filter((e) => e.type !== 'bot_command' && e.offset >= start && e.offset < start + trimmed.length)
      .map((e) => ({
        ...e,
        offset: e.offset - start,
        length: Math.min(e.length, start + trimmed.length - e.offset),
      })),
  };
}

export function createBroadcastComposer(deps: BroadcastComposerDeps): Composer<BotContext> {
  const repo = createBroadcastRepository(deps.pool);
  const adminRepo = createAdminRepository(deps.pool, deps.config.DEFAULT_TIMEZONE);
  const gate = { config: deps.config, repo: adminRepo };
  const log = deps.logger.child({ component: 'broadcast-commands' });
  const c = new Composer<BotContext>();
  const audit = (ctx: BotContext, entry: Omit<AuditEntry, 'actorId'>) =>
    adminRepo.audit({ ...entry, actorId: ctx.from?.id ?? 0 });

  async function showControls(ctx: BotContext, id: number, key: AudienceKey, edit: boolean) {
    const audience = audienceOf(key);
    const size = await repo.audienceSize(audience);
    const text = renderControls(ctx.locale, id, audience, size);
    const reply_markup: InlineKeyboard = controlsKeyboard(ctx.locale, id, audience, size);
    if (!edit) return ctx.reply(text, { ...HTML, reply_markup });
    await ctx.editMessageText(text, { ...HTML, reply_markup }).catch((err: unknown) => {
      if (!isNotModified(err)) throw err;
    });
    return undefined;
  }

  c.command('broadcast', async (ctx) => {
    if (!(await admit(gate, ctx, { action: 'broadcast.draft' }))) return;
    const message = ctx.msg;
    const replied = message.reply_to_message;
    let draft;
    if (replied && !ctx.match.trim()) {
      // The preview is the copy itself: what cannot be copied fails here, before anyone else is involved.
      try {
        await ctx.api.copyMessage(ctx.chat.id, ctx.chat.id, replied.message_id);
      } catch (err) {
        const reason = err instanceof GrammyError ? err.description : String(err);
        await audit(ctx, {
          action: 'broadcast.draft',
          result: 'invalid',
          details: { reason: reason.slice(0, 200) },
        });
        return ctx.reply(ctx.t('broadcast-preview-failed', { reason: echo(reason, 200) }), HTML);
      }
      draft = await repo.createDraft({
        adminId: ctx.from!.id,
        text: null,
        entities: null,
        source: { chatId: ctx.chat.id, messageId: replied.message_id },
      });
    } else {
      const body = textAfterCommand(message.text ?? '', message.entities);
      if (!body.text) {
        await audit(ctx, { action: 'broadcast.draft', result: 'invalid', details: { reason: 'empty' } });
        return ctx.reply(ctx.t('broadcast-usage'), HTML);
      }
      if (body.text.length > MAX_TEXT) {
        await audit(ctx, { action: 'broadcast.draft', result: 'invalid', details: { reason: 'too-long' } });
        return ctx.reply(ctx.t('broadcast-too-long', { length: body.text.length }), HTML);
      }
      draft = await repo.createDraft({
        adminId: ctx.from!.id,
        text: body.text,
        entities: body.entities,
        source: null,
      });
      await ctx.reply(body.text, { entities: body.entities, link_preview_options: { is_disabled: true } });
    }
    await audit(ctx, {
      action: 'broadcast.draft',
      result: 'ok',
      details: { broadcast: draft.id, kind: draft.text === null ? 'copy' : 'text' },
    });
    await ctx.reply(ctx.t('broadcast-preview-title'));
    await showControls(ctx, draft.id, 'all', false);
  });

  c.callbackQuery(BROADCAST_CALLBACK.filter, async (ctx) => {
    const { op, id, audience: arg } = BROADCAST_CALLBACK.read(ctx.match);
    const action = {
      a: 'broadcast.audience',
      go: 'broadcast.confirm',
      x: 'broadcast.discard',
      p: 'broadcast.pause',
      r: 'broadcast.resume',
      c: 'broadcast.cancel',
    }[op];
    if (!(await admit(gate, ctx, { action, details: { broadcast: id } }))) return;
    const b = await repo.get(id);
    if (!b) {
      await audit(ctx, { action, result: 'not-found', details: { broadcast: id } });
      return ctx.answerCallbackQuery({ text: ctx.t('bot-button-outdated') });
    }

    if (op === 'a' || op === 'go' || op === 'x') {
      if (b.status !== 'draft') {
        await audit(ctx, { action, result: 'invalid', details: { broadcast: id, status: b.status } });
        return ctx.answerCallbackQuery({ text: ctx.t('broadcast-not-draft') });
      }
      if (op === 'a') {
        const key = arg as AudienceKey;
        if (!(AUDIENCE_KEYS as readonly string[]).includes(key)) return ctx.answerCallbackQuery();
        await repo.setAudience(id, audienceOf(key));
        await audit(ctx, { action, result: 'ok', details: { broadcast: id, audience: key } });
        await showControls(ctx, id, key, true);
        return ctx.answerCallbackQuery();
      }
      if (op === 'x') {
        await repo.discard(id);
        await audit(ctx, { action, result: 'ok', details: { broadcast: id } });
        await ctx.answerCallbackQuery();
        return ctx.editMessageText(ctx.t('broadcast-discarded', { id: String(id) }), HTML);
      }
      // Confirm: draft → running exactly once, then the workflow (its id is the broadcast's: never two).
      const message = ctx.callbackQuery.message;
      const size = await repo.audienceSize(b.audience);
      if (!message || size === 0) {
        await audit(ctx, { action, result: 'invalid', details: { broadcast: id, size } });
        return ctx.answerCallbackQuery({ text: ctx.t('broadcast-empty-audience') });
      }
      const confirmed = await repo.confirm(
        id,
        { chatId: message.chat.id, messageId: message.message_id },
        broadcastWorkflowId(id),
      );
      if (!confirmed) return ctx.answerCallbackQuery({ text: ctx.t('broadcast-not-draft') });
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(
        ctx.t('broadcast-starting', { id: String(id), audience: audienceLabel(ctx.locale, b.audience) }),
        HTML,
      );
      try {
        await startBroadcast(deps.client, deps.config, { broadcastId: id, adminId: ctx.from.id });
      } catch (err) {
        log.error({ err, broadcastId: id }, 'broadcast workflow did not start');
        await audit(ctx, {
          action,
          result: 'error',
          details: { broadcast: id, error: String(err).slice(0, 200) },
        });
        const reason = isTemporalUnavailable(err) ? ctx.t('admin-temporal-timeout') : echo(String(err), 200);
        return ctx.reply(ctx.t('broadcast-start-failed', { reason }), HTML);
      }
      return audit(ctx, {
        action,
        result: 'ok',
        details: { broadcast: id, audience: JSON.stringify(b.audience), size },
      });
    }

    const control = ({ p: 'pause', r: 'resume', c: 'cancel' } as const)[
      op as 'p' | 'r' | 'c'
    ] as BroadcastControl;
    try {
      await controlBroadcast(deps.client, id, control, deps.config.TEMPORAL_RPC_TIMEOUT_MS);
    } catch (err) {
      if (isTemporalUnavailable(err)) {
        log.warn({ err, broadcastId: id, control }, 'Temporal did not answer a broadcast control');
        await audit(ctx, { action, result: 'error', details: { broadcast: id, error: 'temporal-timeout' } });
        return ctx.answerCallbackQuery({ text: ctx.t('admin-temporal-timeout'), show_alert: true });
      }
      log.info({ err, broadcastId: id, control }, 'broadcast control refused');
      await audit(ctx, {
        action,
        result: 'invalid',
        details: { broadcast: id, error: String(err).slice(0, 200) },
      });
      return ctx.answerCallbackQuery({ text: ctx.t('broadcast-control-failed') });
    }
    await audit(ctx, { action, result: 'ok', details: { broadcast: id } });
    const key = { pause: 'broadcast-paused', resume: 'broadcast-resumed', cancel: 'broadcast-cancelled' }[
      control
    ];
    return ctx.answerCallbackQuery({ text: ctx.t(key) });
  });

  return c;
}
