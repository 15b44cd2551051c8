// Bot API methods that create, change or remove messages.
import { randomBytes } from 'node:crypto';

import { optJson, optNumber, optString } from './body';
import { takeFlood, type MethodContext, type MethodHandler } from './context';
import { badRequest, ERR } from './errors';
import { contentKey, formatText, validateReplyMarkup } from './format';
import { sniffImage } from './image';
import { nowSec, type BotState, type ChatRecord } from './state';
import type { InvoiceRecord, MessageEntity, PhotoRecord, StoredMessage } from './types';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const DELETE_WINDOW_S = 48 * 3600;

function replyTarget(bot: BotState, chat: ChatRecord, ctx: MethodContext): number | undefined {
  const params = optJson<{ message_id?: number; allow_sending_without_reply?: boolean }>(
    ctx.params,
    'reply_parameters',
  );
  const id = params?.message_id ?? optNumber(ctx.params, 'reply_to_message_id');
  if (id === undefined) return undefined;
  const target = bot.findMessage(chat.chat.id, id);
  if (target && !target.deleted) return id;
  if (params?.allow_sending_without_reply || ctx.params.allow_sending_without_reply === true)
    return undefined;
  throw badRequest('message to be replied not found');
}

const sendMessage: MethodHandler = (ctx) => {
  const { bot, params } = ctx;
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const entities = optJson<MessageEntity[]>(params, 'entities');
  const f = formatText(optString(params, 'text'), optString(params, 'parse_mode'), entities, 'text');
  const replyMarkup = validateReplyMarkup(optJson(params, 'reply_markup'), false);
  const replyToMessageId = replyTarget(bot, chat, ctx);
  takeFlood(bot, 'send', chat.chat.id);
  const message = bot.addMessage(chat, {
    from: 'bot',
    sender: bot.botUser,
    text: f.text,
    rawText: f.rawText,
    originalText: f.text,
    parseMode: f.parseMode,
    entities: f.entities,
    replyMarkup,
    replyToMessageId,
  });
  return bot.toWire(message);
};

/** The bot's own message addressed by chat_id + message_id, with Telegram's errors. */
function editableMessage(ctx: MethodContext, notFound: () => Error): StoredMessage {
  const { bot, params } = ctx;
  if (params.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID');
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const messageId = optNumber(params, 'message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const message = bot.findMessage(chat.chat.id, messageId);
  if (!message || message.deleted) throw notFound();
  if (message.from !== 'bot') throw ERR.cantEdit();
  return message;
}

function applyEdit(ctx: MethodContext, message: StoredMessage, change: Partial<StoredMessage>): unknown {
  takeFlood(ctx.bot, 'edit', message.chatId);
  Object.assign(message, change);
  message.editDate = nowSec();
  message.editCount++;
  message.edits.push({
    date: message.editDate,
    text: message.text,
    rawText: message.rawText,
    caption: message.caption,
    replyMarkup: message.replyMarkup,
  });
  ctx.bot.changed();
  return ctx.bot.toWire(message);
}

const editMessageText: MethodHandler = (ctx) => {
  const message = editableMessage(ctx, ERR.editNotFound);
  if (message.text === undefined) throw badRequest('there is no text in the message to edit');
  const { params } = ctx;
  const entities = optJson<MessageEntity[]>(params, 'entities');
  const f = formatText(optString(params, 'text'), optString(params, 'parse_mode'), entities, 'text');
  const replyMarkup = validateReplyMarkup(optJson(params, 'reply_markup'), true);
  if (
    contentKey(f.text, f.entities, replyMarkup) ===
    contentKey(message.text, message.entities, message.replyMarkup)
  ) {
    throw ERR.notModified();
  }
  return applyEdit(ctx, message, {
    text: f.text,
    rawText: f.rawText,
    parseMode: f.parseMode,
    entities: f.entities,
    replyMarkup,
  });
};

const editMessageReplyMarkup: MethodHandler = (ctx) => {
  const message = editableMessage(ctx, ERR.editNotFound);
  const replyMarkup = validateReplyMarkup(optJson(ctx.params, 'reply_markup'), true);
  const body = message.text ?? message.caption;
  const bodyEntities = message.text !== undefined ? message.entities : message.captionEntities;
  if (contentKey(body, bodyEntities, replyMarkup) === contentKey(body, bodyEntities, message.replyMarkup)) {
    throw ERR.notModified();
  }
  return applyEdit(ctx, message, { replyMarkup });
};

const deleteMessage: MethodHandler = ({ bot, params }) => {
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const messageId = optNumber(params, 'message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const message = bot.findMessage(chat.chat.id, messageId);
  if (!message || message.deleted) throw ERR.deleteNotFound();
  const status = chat.members.get(bot.botUser.id)?.status;
  const admin = status === 'administrator' || status === 'creator';
  if (message.from === 'user' && chat.chat.type !== 'private') {
    if (!admin) throw ERR.cantDelete();
  }
  // The Bot API: "a message can only be deleted if it was sent less than 48 hours ago", except by an administrator
  // of a supergroup or channel (who can delete any message there).
  const anyAge = admin && (chat.chat.type === 'supergroup' || chat.chat.type === 'channel');
  if (!anyAge && nowSec() - message.date >= DELETE_WINDOW_S) throw ERR.cantDeleteForEveryone();
  message.deleted = true;
  bot.changed();
  return true;
};

function resolvePhoto(ctx: MethodContext): PhotoRecord {
  const { bot, params, files } = ctx;
  const value = params.photo;
  const attached = typeof value === 'string' && value.startsWith('attach://');
  const file = attached ? files.get(value.slice('attach://'.length)) : files.get('photo');
  if (file) {
    if (file.data.length === 0) throw badRequest('file must be non-empty');
    if (file.data.length > MAX_PHOTO_BYTES) throw badRequest('PHOTO_SAVE_FILE_INVALID');
    const info = sniffImage(file.data);
    if (!info) throw badRequest('IMAGE_PROCESS_FAILED');
    if (
      info.width + info.height > 10_000 ||
      Math.max(info.width, info.height) > 20 * Math.min(info.width, info.height)
    ) {
      throw badRequest('PHOTO_INVALID_DIMENSIONS');
    }
    const photo = newPhoto(bot, {
      sizeBytes: file.data.length,
      width: info.width,
      height: info.height,
      source: 'upload',
      filename: file.filename,
    });
    bot.fileBytes.set(photo.fileId, file.data);
    return photo;
  }
  if (attached || typeof value !== 'string' || value === '')
    throw badRequest('there is no photo in the request');
  if (/^https?:\/\//i.test(value))
    return newPhoto(bot, { sizeBytes: 0, width: 0, height: 0, source: 'url', url: value });
  const known = bot.files.get(value);
  if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
  return { ...known, source: 'file_id' };
}

function newPhoto(bot: BotState, fields: Omit<PhotoRecord, 'fileId' | 'fileUniqueId'>): PhotoRecord {
  const photo: PhotoRecord = {
    fileId: `AgACAgIAAxkDAAI${randomBytes(24).toString('base64url')}`,
    fileUniqueId: `AQAD${randomBytes(8).toString('base64url')}`,
    ...fields,
  };
  bot.files.set(photo.fileId, photo);
  return photo;
}

const sendPhoto: MethodHandler = (ctx) => {
  const { bot, params } = ctx;
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const caption = optString(params, 'caption');
  const entities = optJson<MessageEntity[]>(params, 'caption_entities');
  const f =
    caption !== undefined
      ? formatText(caption, optString(params, 'parse_mode'), entities, 'caption')
      : undefined;
  const replyMarkup = validateReplyMarkup(optJson(params, 'reply_markup'), false);
  const photo = resolvePhoto(ctx);
  const replyToMessageId = replyTarget(bot, chat, ctx);
  takeFlood(bot, 'send', chat.chat.id);
  const message = bot.addMessage(chat, {
    from: 'bot',
    sender: bot.botUser,
    photo,
    caption: f?.text || undefined,
    rawCaption: caption,
    parseMode: f?.parseMode,
    captionEntities: f?.entities,
    replyMarkup,
    replyToMessageId,
  });
  return bot.toWire(message);
};

const sendChatAction: MethodHandler = ({ bot, params }) => {
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const action = optString(params, 'action') ?? '';
  if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  bot.chatActions.push({ chatId: chat.chat.id, action, at: Date.now() });
  bot.changed();
  return true;
};

function invoiceFromParams(ctx: MethodContext): InvoiceRecord {
  const { params } = ctx;
  const title = optString(params, 'title') ?? '';
  const description = optString(params, 'description') ?? '';
  const payload = optString(params, 'payload') ?? '';
  const currency = (optString(params, 'currency') ?? '').toUpperCase();
  const providerToken = optString(params, 'provider_token') ?? '';
  const prices = optJson<{ label: string; amount: number }[]>(params, 'prices');
  if (title.length < 1 || title.length > 32) throw badRequest('INVOICE_TITLE_INVALID');
  if (description.length < 1 || description.length > 255) throw badRequest('INVOICE_DESCRIPTION_INVALID');
  const payloadBytes = Buffer.byteLength(payload);
  if (payloadBytes < 1 || payloadBytes > 128) throw badRequest('INVOICE_PAYLOAD_INVALID');
  if (!/^[A-Z]{3}$/.test(currency)) throw badRequest('CURRENCY_INVALID');
  if (!Array.isArray(prices) || prices.length === 0) throw badRequest('prices must be non-empty');
  for (const p of prices) {
    if (typeof p?.label !== 'string' || !Number.isInteger(p.amount))
      throw badRequest("can't parse prices JSON object");
  }
  const totalAmount = prices.reduce((sum, p) => sum + p.amount, 0);
  if (currency === 'XTR') {
    if (providerToken !== '') throw badRequest('PAYMENT_PROVIDER_INVALID');
    if (prices.length !== 1 || totalAmount < 1) throw badRequest('STARS_INVOICE_INVALID');
  } else {
    if (providerToken === '') throw badRequest('PAYMENT_PROVIDER_INVALID');
    if (totalAmount < 1) throw badRequest('CURRENCY_TOTAL_AMOUNT_INVALID');
  }
  const startParameter = optString(params, 'start_parameter') ?? '';
  return { title, description, payload, currency, prices, totalAmount, providerToken, startParameter };
}

const sendInvoice: MethodHandler = (ctx) => {
  const { bot, params } = ctx;
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const invoice = invoiceFromParams(ctx);
  const replyMarkup = validateReplyMarkup(optJson(params, 'reply_markup'), true);
  takeFlood(bot, 'send', chat.chat.id);
  const message = bot.addMessage(chat, { from: 'bot', sender: bot.botUser, invoice, replyMarkup });
  return bot.toWire(message);
};

/**
 * copyMessage: the message's content (text with its entities, or media with its caption) re-sent without a link to
 * the original, as Telegram does for broadcasts that keep formatting. Service messages and invoices cannot be copied.
 */
const copyMessage: MethodHandler = (ctx) => {
  const { bot, params } = ctx;
  const chat = bot.botChat(params.chat_id as number | string | undefined);
  const fromChatId = params.from_chat_id as number | string | undefined;
  if (fromChatId === undefined || fromChatId === '') throw badRequest('from_chat_id is empty');
  const from = bot.botChat(fromChatId, true);
  const messageId = optNumber(params, 'message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const original = bot.findMessage(from.chat.id, messageId);
  if (!original || original.deleted) throw badRequest('message to copy not found');
  if (original.successfulPayment || original.invoice || (original.text === undefined && !original.photo)) {
    throw badRequest("the message can't be copied");
  }
  const replyMarkup = validateReplyMarkup(optJson(params, 'reply_markup'), false);
  const replyToMessageId = replyTarget(bot, chat, ctx);
  const newCaption = optString(params, 'caption');
  const caption =
    original.photo && newCaption !== undefined
      ? formatText(
          newCaption,
          optString(params, 'parse_mode'),
          optJson(params, 'caption_entities'),
          'caption',
        )
      : undefined;
  takeFlood(bot, 'send', chat.chat.id);
  const copy = bot.addMessage(chat, {
    from: 'bot',
    sender: bot.botUser,
    text: original.text,
    rawText: original.text,
    originalText: original.text,
    entities: original.entities,
    photo: original.photo,
    caption: caption ? caption.text || undefined : original.caption,
    rawCaption: caption ? newCaption : original.caption,
    captionEntities: caption ? caption.entities : original.captionEntities,
    replyMarkup,
    replyToMessageId,
    copiedFrom: { chatId: from.chat.id, messageId },
  });
  return { message_id: copy.messageId };
};

export const MESSAGE_METHODS: Record<string, MethodHandler> = {
  sendMessage,
  copyMessage,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  sendPhoto,
  sendChatAction,
  sendInvoice,
};
