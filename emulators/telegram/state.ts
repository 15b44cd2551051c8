// Everything one emulated bot (one token) knows: chats and their messages, the update queue, logs and answers.
import { ERR, TgApiError } from './errors';
import { FloodControl, type FloodLimits } from './limits';
import type { Notifier } from './notifier';
import type {
  ApiCall,
  ApiErrorShape,
  BotCommand,
  CallbackAnswer,
  ChatActionRecord,
  ChatType,
  InlineAnswer,
  MemberStatus,
  PhotoRecord,
  PreCheckoutAnswer,
  StarCharge,
  StarTransactionEntry,
  StoredMessage,
  TgChat,
  TgUser,
  Update,
  WebhookConfig,
  WebhookDelivery,
} from './types';

export interface ChatRecord {
  chat: TgChat;
  nextMessageId: number;
  messages: StoredMessage[];
  members: Map<number, { user: TgUser; status: MemberStatus }>;
}

export interface RegisterChatInput {
  id: number;
  type?: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** Telegram user ids of administrators (the bot's id makes the bot an admin). */
  admins?: number[];
  creator?: number;
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);

/** The default set when allowed_updates is empty or was never given. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export function chatTypeFor(id: number): ChatType {
  if (id > 0) return 'private';
  return id <= -1_000_000_000_000 ? 'supergroup' : 'group';
}

export class BotState {
  readonly chats = new Map<number, ChatRecord>();
  readonly users = new Map<number, TgUser>();
  /** Chat id → the 403 description ('' = Telegram's default for the chat type). */
  readonly blocked = new Map<number, string>();
  pending: Update[] = [];
  nextUpdateId: number;
  allowedUpdates?: string[];
  webhook?: WebhookConfig;
  calls: ApiCall[] = [];
  callSeq = 0;
  callbackAnswers = new Map<string, CallbackAnswer & { createdAt: number }>();
  inlineAnswers = new Map<string, InlineAnswer & { createdAt: number }>();
  preCheckoutAnswers = new Map<string, PreCheckoutAnswer & { createdAt: number }>();
  /** Stars payments received, by telegram_payment_charge_id (refundStarPayment checks them). */
  starCharges = new Map<string, StarCharge>();
  /** The bot's Stars transactions in chronological order (getStarTransactions pages through it). */
  starTransactions: StarTransactionEntry[] = [];
  chatActions: ChatActionRecord[] = [];
  commands = new Map<string, BotCommand[]>();
  files = new Map<string, PhotoRecord>();
  /** Uploaded photos' bytes by file id, for the playground page to show them. */
  fileBytes = new Map<string, Buffer>();
  deliveries: WebhookDelivery[] = [];
  faults = new Map<string, { error: ApiErrorShape; remaining: number }[]>();
  /** Method → how many of its next calls succeed (the message exists) but lose the answer: the connection drops. */
  drops = new Map<string, number>();
  /** Method → holds of its next calls: each is held `ms` before it takes effect (Telegram answering slowly). */
  delays = new Map<string, { ms: number; remaining: number }[]>();
  /** A standing fault: a share of calls (of some methods) fail with `error`, or succeed and drop the connection. */
  storm?: FaultStorm;
  /** Faults of one chat: the next sends to it (any send method) fail with these errors. */
  chatFaults = new Map<number, { error: ApiErrorShape; remaining: number }[]>();
  readonly flood: FloodControl;
  /** The pending getUpdates long poll, if any. */
  poller?: { wake(): void; terminate(err: TgApiError): void };
  /** Called after an update was queued (long-poll wake-up / webhook delivery). */
  onUpdate: () => void = () => undefined;
  private idSeq = 0;

  constructor(
    readonly token: string,
    readonly botUser: TgUser,
    readonly notifier: Notifier,
    limits: FloodLimits,
    readonly autoCreateChats: boolean,
  ) {
    this.nextUpdateId = 100_000_000 + Math.floor(Math.random() * 1_000_000);
    this.flood = new FloodControl(limits);
  }

  changed(): void {
    this.notifier.bump();
  }

  /** Clears conversation state; keeps the update id sequence growing so a running poller's offset stays valid. */
  reset(limits: FloodLimits): void {
    this.chats.clear();
    this.users.clear();
    this.blocked.clear();
    this.pending = [];
    this.allowedUpdates = undefined;
    this.webhook = undefined;
    this.calls = [];
    this.callbackAnswers.clear();
    this.inlineAnswers.clear();
    this.preCheckoutAnswers.clear();
    this.starCharges.clear();
    this.starTransactions = [];
    this.chatActions = [];
    this.commands.clear();
    this.files.clear();
    this.fileBytes.clear();
    this.deliveries = [];
    this.faults.clear();
    this.drops.clear();
    this.delays.clear();
    this.storm = undefined;
    this.chatFaults.clear();
    this.flood.reset(limits);
    this.changed();
  }

  newId(prefix = ''): string {
    this.idSeq++;
    return `${prefix}${this.botUser.id}${String(Date.now()).slice(-7)}${String(this.idSeq).padStart(5, '0')}`;
  }

  rememberUser(user: TgUser): TgUser {
    const known = this.users.get(user.id);
    const merged = { ...known, ...user };
    this.users.set(user.id, merged);
    return merged;
  }

  registerChat(input: RegisterChatInput): ChatRecord {
    const type = input.type ?? chatTypeFor(input.id);
    const existing = this.chats.get(input.id);
    const chat: TgChat = { ...existing?.chat, id: input.id, type };
    for (const key of ['title', 'username', 'first_name', 'last_name'] as const) {
      if (input[key] !== undefined) chat[key] = input[key];
    }
    if (type !== 'private' && !chat.title) chat.title = `Group ${input.id}`;
    const record = existing ?? { chat, nextMessageId: 1, messages: [], members: new Map() };
    record.chat = chat;
    this.chats.set(input.id, record);
    if (type !== 'private') {
      if (!record.members.has(this.botUser.id))
        record.members.set(this.botUser.id, { user: this.botUser, status: 'member' });
      const setStatus = (id: number, status: MemberStatus): void => {
        const user =
          id === this.botUser.id
            ? this.botUser
            : (this.users.get(id) ?? { id, is_bot: false, first_name: `User ${id}` });
        record.members.set(id, { user, status });
      };
      for (const id of input.admins ?? []) setStatus(id, 'administrator');
      if (input.creator !== undefined) setStatus(input.creator, 'creator');
    }
    this.changed();
    return record;
  }

  /** The chat as the simulated user reaches it: created on first contact. */
  userChat(chatId: number, user: TgUser, type?: ChatType, title?: string): ChatRecord {
    let record = this.chats.get(chatId);
    if (!record) {
      const resolved = type ?? chatTypeFor(chatId);
      record =
        resolved === 'private'
          ? this.registerChat({
              id: chatId,
              type: resolved,
              first_name: user.first_name,
              last_name: user.last_name,
              username: user.username,
            })
          : this.registerChat({ id: chatId, type: resolved, title });
    }
    if (record.chat.type !== 'private' && !record.members.has(user.id)) {
      record.members.set(user.id, { user, status: 'member' });
    }
    return record;
  }

  /** The chat the bot addresses with chat_id; Telegram's errors for unknown and blocked chats. */
  botChat(chatId: number | string | undefined, allowBlocked = false): ChatRecord {
    if (chatId === undefined || chatId === '') throw ERR.chatIdEmpty();
    let record: ChatRecord | undefined;
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      const name = chatId.slice(1).toLowerCase();
      record = [...this.chats.values()].find((c) => c.chat.username?.toLowerCase() === name);
    } else {
      const id = Number(chatId);
      if (!Number.isSafeInteger(id) || id === 0) throw ERR.chatNotFound();
      record = this.chats.get(id) ?? (this.autoCreateChats ? this.registerChat({ id }) : undefined);
    }
    if (!record) throw ERR.chatNotFound();
    const blocked = this.blocked.get(record.chat.id);
    if (blocked !== undefined && !allowBlocked)
      throw new TgApiError(403, blocked || defaultBlockedDescription(record.chat.type));
    return record;
  }

  addMessage(
    record: ChatRecord,
    fields: Omit<StoredMessage, 'chatId' | 'messageId' | 'edits' | 'editCount' | 'deleted' | 'date'>,
  ): StoredMessage {
    const message: StoredMessage = {
      chatId: record.chat.id,
      messageId: record.nextMessageId++,
      date: nowSec(),
      edits: [],
      editCount: 0,
      deleted: false,
      ...fields,
    };
    record.messages.push(message);
    this.changed();
    return message;
  }

  findMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.chats.get(chatId)?.messages.find((m) => m.messageId === messageId);
  }

  /** Queues an update unless allowed_updates excludes its type; returns its update_id (or undefined if dropped). */
  enqueue(payload: Record<string, unknown>): number | undefined {
    const type = Object.keys(payload)[0];
    const allowed = this.allowedUpdates;
    const accepted = allowed && allowed.length > 0 ? allowed.includes(type) : !NOT_BY_DEFAULT.has(type);
    if (!accepted) return undefined;
    const update: Update = { update_id: this.nextUpdateId++, ...payload };
    this.pending.push(update);
    this.changed();
    this.onUpdate();
    return update.update_id;
  }

  chatOf(id: number): TgChat {
    return this.chats.get(id)?.chat ?? { id, type: chatTypeFor(id) };
  }

  /** The Bot API Message object for a stored message. */
  toWire(m: StoredMessage, withReply = true): Record<string, unknown> {
    const wire: Record<string, unknown> = {
      message_id: m.messageId,
      from: m.sender,
      chat: this.chatOf(m.chatId),
      date: m.date,
    };
    if (m.senderChatId !== undefined) wire.sender_chat = this.chatOf(m.senderChatId);
    if (m.editDate) wire.edit_date = m.editDate;
    if (m.replyToMessageId && withReply) {
      const replied = this.findMessage(m.chatId, m.replyToMessageId);
      if (replied && !replied.deleted) wire.reply_to_message = this.toWire(replied, false);
    }
    if (m.text !== undefined) wire.text = m.text;
    if (m.entities?.length) wire.entities = m.entities;
    if (m.photo) {
      const p = m.photo;
      wire.photo = [
        {
          file_id: p.fileId,
          file_unique_id: p.fileUniqueId,
          width: p.width,
          height: p.height,
          file_size: p.sizeBytes,
        },
      ];
    }
    if (m.caption !== undefined) wire.caption = m.caption;
    if (m.captionEntities?.length) wire.caption_entities = m.captionEntities;
    if (m.invoice) {
      const i = m.invoice;
      wire.invoice = {
        title: i.title,
        description: i.description,
        start_parameter: i.startParameter,
        currency: i.currency,
        total_amount: i.totalAmount,
      };
    }
    if (m.successfulPayment) wire.successful_payment = m.successfulPayment;
    if (m.replyMarkup?.inline_keyboard)
      wire.reply_markup = { inline_keyboard: m.replyMarkup.inline_keyboard };
    return wire;
  }
}

function defaultBlockedDescription(type: ChatType): string {
  if (type === 'private') return 'Forbidden: bot was blocked by the user';
  if (type === 'channel') return 'Forbidden: bot is not a member of the channel chat';
  return `Forbidden: bot was kicked from the ${type} chat`;
}

export interface FaultStorm {
  /** 0..1: the share of matching calls hit. */
  rate: number;
  /** The answer of a hit call (e.g. 429 with retry_after, 502); without it, a hit call succeeds and drops the connection. */
  error?: ApiErrorShape;
  /** Lower-case method names; all methods when absent. */
  methods?: string[];
}
