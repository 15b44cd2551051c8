// Bot API methods about the bot itself, chats and members, and answers to queries.
import { optBool, optJson, optNumber, optString } from './body';
import type { MethodContext, MethodHandler } from './context';
import { badRequest, ERR } from './errors';
import { validateInlineResults, validateNextOffset, validateResultsButton } from './inline';
import type { ChatRecord } from './state';
import type { BotCommand, MemberStatus, TgUser } from './types';

const getMe: MethodHandler = ({ bot }) => ({
  ...bot.botUser,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
});

function commandsKey(ctx: MethodContext): string {
  const scope = optJson<Record<string, unknown>>(ctx.params, 'scope') ?? { type: 'default' };
  return JSON.stringify([scope, optString(ctx.params, 'language_code') ?? '']);
}

const setMyCommands: MethodHandler = (ctx) => {
  const commands = optJson<BotCommand[]>(ctx.params, 'commands');
  if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
  if (commands.length > 100) throw badRequest('too many commands specified');
  for (const c of commands) {
    if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command))
      throw badRequest('BOT_COMMAND_INVALID');
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
  }
  ctx.bot.commands.set(
    commandsKey(ctx),
    commands.map((c) => ({ command: c.command, description: c.description })),
  );
  ctx.bot.changed();
  return true;
};

const getMyCommands: MethodHandler = (ctx) => ctx.bot.commands.get(commandsKey(ctx)) ?? [];

const deleteMyCommands: MethodHandler = (ctx) => {
  ctx.bot.commands.delete(commandsKey(ctx));
  ctx.bot.changed();
  return true;
};

/** Like botChat(), but a chat that blocked the bot can still be looked at. */
const lookChat = (ctx: MethodContext): ChatRecord =>
  ctx.bot.botChat(ctx.params.chat_id as number | string | undefined, true);

const getChat: MethodHandler = (ctx) => ({
  ...lookChat(ctx).chat,
  accent_color_id: 0,
  max_reaction_count: 11,
});

function memberWire(user: TgUser, status: MemberStatus): Record<string, unknown> {
  if (status === 'creator') return { status, user, is_anonymous: false };
  if (status !== 'administrator') return { status, user };
  return {
    status,
    user,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: true,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: true,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: true,
  };
}

const getChatMember: MethodHandler = (ctx) => {
  const chat = lookChat(ctx);
  const userId = optNumber(ctx.params, 'user_id');
  if (userId === undefined) throw badRequest('user_id is empty');
  const { bot } = ctx;
  const user = userId === bot.botUser.id ? bot.botUser : bot.users.get(userId);
  if (chat.chat.type === 'private') {
    if (!user || (userId !== chat.chat.id && userId !== bot.botUser.id)) throw badRequest('user not found');
    return memberWire(user, 'member');
  }
  const member = chat.members.get(userId);
  if (member) return memberWire(member.user, member.status);
  if (!user) throw badRequest('user not found');
  return memberWire(user, 'left');
};

const getChatAdministrators: MethodHandler = (ctx) => {
  const chat = lookChat(ctx);
  if (chat.chat.type === 'private') throw badRequest('there are no administrators in the private chat');
  return [...chat.members.values()]
    .filter((m) => m.status === 'creator' || m.status === 'administrator')
    .map((m) => memberWire(m.user, m.status));
};

function expired(createdAt: number, timeoutMs: number): boolean {
  return Date.now() - createdAt > timeoutMs;
}

const answerCallbackQuery: MethodHandler = (ctx) => {
  const id = optString(ctx.params, 'callback_query_id') ?? '';
  const record = ctx.bot.callbackAnswers.get(id);
  if (!record || record.answered || expired(record.createdAt, ctx.settings.queryTimeoutMs))
    throw ERR.queryTooOld();
  const text = optString(ctx.params, 'text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  Object.assign(record, {
    answered: true,
    answeredAt: Date.now(),
    text,
    showAlert: optBool(ctx.params, 'show_alert') ?? false,
    url: optString(ctx.params, 'url'),
    cacheTime: optNumber(ctx.params, 'cache_time'),
  });
  ctx.bot.changed();
  return true;
};

const answerInlineQuery: MethodHandler = (ctx) => {
  const id = optString(ctx.params, 'inline_query_id') ?? '';
  const record = ctx.bot.inlineAnswers.get(id);
  if (!record || record.answered || expired(record.createdAt, ctx.settings.queryTimeoutMs))
    throw ERR.queryTooOld();
  const results = validateInlineResults(optJson<unknown[]>(ctx.params, 'results'));
  const cacheTime = optNumber(ctx.params, 'cache_time');
  if (cacheTime !== undefined && (!Number.isInteger(cacheTime) || cacheTime < 0))
    throw badRequest('CACHE_TIME_INVALID');
  const nextOffset = optString(ctx.params, 'next_offset');
  validateNextOffset(nextOffset);
  const button = optJson<Record<string, unknown>>(ctx.params, 'button');
  validateResultsButton(button);
  Object.assign(record, {
    answered: true,
    answeredAt: Date.now(),
    results: results.map((r) => r.raw),
    shown: results.map(({ id: rid, type, title, description, message }) => ({
      id: rid,
      type,
      title,
      description,
      text: message?.text,
      rawText: message?.rawText,
    })),
    nextOffset,
    // The Bot API's default when the parameter is left out.
    cacheTime: cacheTime ?? 300,
    isPersonal: optBool(ctx.params, 'is_personal'),
    button,
  });
  ctx.bot.changed();
  return true;
};

const answerPreCheckoutQuery: MethodHandler = (ctx) => {
  const id = optString(ctx.params, 'pre_checkout_query_id') ?? '';
  const record = ctx.bot.preCheckoutAnswers.get(id);
  if (!record || record.answered || expired(record.createdAt, ctx.settings.preCheckoutTimeoutMs)) {
    throw badRequest('QUERY_ID_INVALID');
  }
  const ok = optBool(ctx.params, 'ok');
  if (ok === undefined) throw badRequest('parameter "ok" is required');
  const errorMessage = optString(ctx.params, 'error_message');
  if (!ok && !errorMessage) throw badRequest('ERROR_MESSAGE_EMPTY');
  Object.assign(record, {
    answered: true,
    ok,
    errorMessage: ok ? undefined : errorMessage,
    answeredAt: Date.now(),
  });
  ctx.bot.changed();
  return true;
};

export const MISC_METHODS: Record<string, MethodHandler> = {
  getMe,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  getChat,
  getChatMember,
  getChatAdministrators,
  answerCallbackQuery,
  answerInlineQuery,
  answerPreCheckoutQuery,
};
