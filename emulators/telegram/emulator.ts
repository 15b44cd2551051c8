// The in-process test API for one emulated bot: simulate users, inspect what the bot did, inject faults, wait.
import { randomBytes } from 'node:crypto';

import { commandEntities } from './format';
import { resolveLimits, type FloodLimits, type FloodLimitsInput } from './limits';
import type { WaitOptions } from './notifier';
import type { BotRuntime, EmulatorCore } from './server';
import type { FaultStorm, RegisterChatInput } from './state';
import type {
  ApiCall,
  ApiErrorShape,
  BotCommand,
  CallbackAnswer,
  ChatActionRecord,
  ChatType,
  InlineAnswer,
  MemberStatus,
  MessageEntity,
  PreCheckoutAnswer,
  SimUser,
  StarCharge,
  StoredMessage,
  TgChat,
  TgUser,
  Update,
  WebhookConfig,
  WebhookDelivery,
} from './types';

export interface UserMessageInput {
  /** Defaults to the user's private chat (chat id = user id). Negative ids are groups. */
  chatId?: number;
  from: SimUser;
  text: string;
  chatType?: ChatType;
  chatTitle?: string;
  replyToMessageId?: number;
  /** Formatting the user applied (bold, links, ...); bot_command entities are added like Telegram does. */
  entities?: MessageEntity[];
  /**
   * The message is sent by a group administrator on behalf of the group, as Telegram does for an anonymous admin:
   * `from` becomes @GroupAnonymousBot and `sender_chat` the group. `from` given here must be an admin of the chat.
   */
  anonymousAdmin?: boolean;
}

/** The user Telegram puts in `from` of messages an anonymous group administrator sends. */
export const GROUP_ANONYMOUS_BOT = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
} as const;

export interface ClickButtonInput {
  chatId: number;
  messageId: number;
  data: string;
  from: SimUser;
  /** Skip the check that the message currently shows a button with this callback_data. */
  force?: boolean;
}

export interface InlineQueryInput {
  from: SimUser;
  query: string;
  offset?: string;
  chatType?: 'sender' | ChatType;
}

export interface PreCheckoutInput {
  from: SimUser;
  currency: string;
  total_amount: number;
  invoice_payload: string;
}

export interface SuccessfulPaymentInput extends PreCheckoutInput {
  chatId?: number;
  telegram_payment_charge_id?: string;
  provider_payment_charge_id?: string;
}

export interface PayInvoiceInput {
  /** Who pays: usually the chat's user; another user paying a forwarded invoice is how a foreign payment looks. */
  from: SimUser;
  chatId: number;
  messageId: number;
  /** What a tampering client would change in the pre-checkout query (Telegram itself never does). */
  override?: Partial<Pick<PreCheckoutInput, 'currency' | 'total_amount' | 'invoice_payload'>>;
}

export interface PayInvoiceResult {
  answer: PreCheckoutAnswer;
  /** The successful_payment service message, when the bot accepted the pre-checkout query in time. */
  payment?: StoredMessage;
  chargeId?: string;
}

export type MessageMatcher = ((m: StoredMessage) => boolean) | string | RegExp;

const textOf = (m: StoredMessage): string => m.text ?? m.caption ?? '';
const toUser = (u: SimUser): TgUser => ({ ...u, is_bot: false });

function matches(m: StoredMessage, matcher: MessageMatcher | undefined): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return textOf(m).includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(textOf(m));
  return matcher(m);
}

export class BotEmulator {
  constructor(
    protected readonly core: EmulatorCore,
    protected readonly runtime: BotRuntime,
  ) {}

  private get s() {
    return this.runtime.state;
  }

  get token(): string {
    return this.s.token;
  }

  get botInfo(): TgUser {
    return this.s.botUser;
  }

  // --- simulated users -------------------------------------------------------------------------------------------

  /** A user writes to the bot (bot_command entities computed like Telegram). */
  sendUserMessage(input: UserMessageInput): StoredMessage {
    const chatId = input.chatId ?? input.from.id;
    if (chatId > 0 && chatId !== input.from.id) throw new Error('a private chat id must equal the user id');
    const user = this.s.rememberUser(toUser(input.from));
    const chat = this.s.userChat(chatId, user, input.chatType, input.chatTitle);
    const entities = [...commandEntities(input.text), ...(input.entities ?? [])].sort(
      (a, b) => a.offset - b.offset,
    );
    let sender = user;
    let senderChatId: number | undefined;
    if (input.anonymousAdmin) {
      const status = chat.members.get(user.id)?.status;
      if (chat.chat.type === 'private' || (status !== 'administrator' && status !== 'creator'))
        throw new Error(`user ${user.id} is not an administrator of chat ${chatId}; cannot post anonymously`);
      sender = { ...GROUP_ANONYMOUS_BOT };
      senderChatId = chat.chat.id;
    }
    const message = this.s.addMessage(chat, {
      from: 'user',
      sender,
      senderChatId,
      text: input.text,
      rawText: input.text,
      originalText: input.text,
      entities,
      replyToMessageId: input.replyToMessageId,
    });
    message.updateId = this.s.enqueue({ message: this.s.toWire(message) });
    return message;
  }

  /** A user presses an inline button: a callback_query update; see callbackAnswer() for the bot's answer. */
  clickButton(input: ClickButtonInput): { callbackQueryId: string; updateId?: number } {
    const message = this.s.findMessage(input.chatId, input.messageId);
    if (!message || message.deleted) throw new Error(`no message ${input.messageId} in chat ${input.chatId}`);
    const buttons = message.replyMarkup?.inline_keyboard?.flat() ?? [];
    if (!input.force && !buttons.some((b) => b.callback_data === input.data)) {
      throw new Error(
        `message ${input.messageId} has no button with callback_data ${JSON.stringify(input.data)}`,
      );
    }
    const user = this.s.rememberUser(toUser(input.from));
    const id = this.s.newId();
    this.s.callbackAnswers.set(id, {
      callbackQueryId: id,
      chatId: input.chatId,
      messageId: input.messageId,
      data: input.data,
      answered: false,
      createdAt: Date.now(),
    });
    const updateId = this.s.enqueue({
      callback_query: {
        id,
        from: user,
        message: this.s.toWire(message),
        chat_instance: String(Math.abs(input.chatId) * 7919 + this.s.botUser.id),
        data: input.data,
      },
    });
    return { callbackQueryId: id, updateId };
  }

  sendInlineQuery(input: InlineQueryInput): { inlineQueryId: string; updateId?: number } {
    const user = this.s.rememberUser(toUser(input.from));
    const id = this.s.newId();
    this.s.inlineAnswers.set(id, {
      inlineQueryId: id,
      query: input.query,
      answered: false,
      createdAt: Date.now(),
    });
    const query = {
      id,
      from: user,
      query: input.query,
      offset: input.offset ?? '',
      chat_type: input.chatType ?? 'sender',
    };
    return { inlineQueryId: id, updateId: this.s.enqueue({ inline_query: query }) };
  }

  sendPreCheckoutQuery(input: PreCheckoutInput): { preCheckoutQueryId: string; updateId?: number } {
    const user = this.s.rememberUser(toUser(input.from));
    const id = this.s.newId();
    this.s.preCheckoutAnswers.set(id, {
      preCheckoutQueryId: id,
      from: user,
      currency: input.currency,
      totalAmount: input.total_amount,
      invoicePayload: input.invoice_payload,
      answered: false,
      createdAt: Date.now(),
    });
    const query = {
      id,
      from: user,
      currency: input.currency,
      total_amount: input.total_amount,
      invoice_payload: input.invoice_payload,
    };
    return { preCheckoutQueryId: id, updateId: this.s.enqueue({ pre_checkout_query: query }) };
  }

  /**
   * The service message Telegram sends after a completed payment. Called again with the same charge id it is a
   * redelivery: the same charge, a new update. Stars charges are recorded (refundStarPayment checks them).
   */
  sendSuccessfulPayment(input: SuccessfulPaymentInput): StoredMessage {
    const user = this.s.rememberUser(toUser(input.from));
    const chat = this.s.userChat(input.chatId ?? input.from.id, user);
    const chargeId = input.telegram_payment_charge_id ?? `stxTG${randomBytes(12).toString('hex')}`;
    if (input.currency === 'XTR' && !this.s.starCharges.has(chargeId)) {
      this.s.starCharges.set(chargeId, {
        chargeId,
        userId: user.id,
        user,
        amount: input.total_amount,
        invoicePayload: input.invoice_payload,
        paidAt: Date.now(),
      });
      this.s.starTransactions.push({ chargeId, kind: 'payment' });
    }
    const message = this.s.addMessage(chat, {
      from: 'user',
      sender: user,
      successfulPayment: {
        currency: input.currency,
        total_amount: input.total_amount,
        invoice_payload: input.invoice_payload,
        telegram_payment_charge_id: chargeId,
        provider_payment_charge_id:
          input.provider_payment_charge_id ??
          (input.currency === 'XTR' ? '' : `prov_${randomBytes(8).toString('hex')}`),
      },
    });
    message.updateId = this.s.enqueue({ message: this.s.toWire(message) });
    return message;
  }

  /**
   * The user presses Pay under an invoice, as in a Telegram client: a pre_checkout_query with the invoice's
   * currency, amount and payload; only an `ok: true` answer within the pre-checkout timeout (10 s) completes the
   * payment (a Stars charge and the successful_payment message). Unanswered or refused: nothing is charged.
   */
  async payInvoice(input: PayInvoiceInput): Promise<PayInvoiceResult> {
    const invoice = this.s.findMessage(input.chatId, input.messageId)?.invoice;
    if (!invoice) throw new Error(`no invoice ${input.messageId} in chat ${input.chatId}`);
    const query = {
      from: input.from,
      currency: invoice.currency,
      total_amount: invoice.totalAmount,
      invoice_payload: invoice.payload,
      ...input.override,
    };
    const { preCheckoutQueryId } = this.sendPreCheckoutQuery(query);
    const answer = await this.waitForPreCheckoutAnswer(
      preCheckoutQueryId,
      this.core.settings.preCheckoutTimeoutMs,
    ).catch(() => this.preCheckoutAnswer(preCheckoutQueryId)!);
    if (!answer.answered || !answer.ok) return { answer };
    const payment = this.sendSuccessfulPayment({ ...query, chatId: input.from.id });
    return { answer, payment, chargeId: payment.successfulPayment?.telegram_payment_charge_id };
  }

  /** Stars payments received by the bot, with their refunds. */
  starCharges(): StarCharge[] {
    return [...this.s.starCharges.values()].map((c) => ({ ...c }));
  }

  /** Queues any update payload as is, e.g. `{ edited_message: {...} }`. Returns its update_id. */
  injectUpdate(payload: Record<string, unknown>): number | undefined {
    return this.s.enqueue(payload);
  }

  // --- what happened ---------------------------------------------------------------------------------------------

  /** The conversation as the user sees it (deleted messages excluded unless asked for). */
  messages(chatId: number, options: { includeDeleted?: boolean } = {}): StoredMessage[] {
    const all = this.s.chats.get(chatId)?.messages ?? [];
    return options.includeDeleted ? [...all] : all.filter((m) => !m.deleted);
  }

  message(chatId: number, messageId: number): StoredMessage | undefined {
    return this.s.findMessage(chatId, messageId);
  }

  botMessages(chatId: number): StoredMessage[] {
    return this.messages(chatId).filter((m) => m.from === 'bot');
  }

  lastBotMessage(chatId: number): StoredMessage | undefined {
    return this.botMessages(chatId).at(-1);
  }

  chats(): TgChat[] {
    return [...this.s.chats.values()].map((c) => c.chat);
  }

  /** Every API call the bot made (optionally one method's), with params and result status. */
  calls(method?: string): ApiCall[] {
    const wanted = method?.toLowerCase();
    return this.s.calls.filter((c) => wanted === undefined || c.method.toLowerCase() === wanted);
  }

  callbackAnswer(callbackQueryId: string): CallbackAnswer | undefined {
    return this.s.callbackAnswers.get(callbackQueryId);
  }

  callbackAnswers(): CallbackAnswer[] {
    return [...this.s.callbackAnswers.values()];
  }

  inlineAnswer(inlineQueryId: string): InlineAnswer | undefined {
    return this.s.inlineAnswers.get(inlineQueryId);
  }

  preCheckoutAnswer(preCheckoutQueryId: string): PreCheckoutAnswer | undefined {
    return this.s.preCheckoutAnswers.get(preCheckoutQueryId);
  }

  preCheckoutAnswers(): PreCheckoutAnswer[] {
    return [...this.s.preCheckoutAnswers.values()];
  }

  chatActions(chatId?: number): ChatActionRecord[] {
    return this.s.chatActions.filter((a) => chatId === undefined || a.chatId === chatId);
  }

  /** Commands set with setMyCommands for a scope (default scope) and language ('' = all). */
  commands(
    scope: Record<string, unknown> = { type: 'default' },
    languageCode = '',
  ): BotCommand[] | undefined {
    return this.s.commands.get(JSON.stringify([scope, languageCode]));
  }

  webhookInfo(): WebhookConfig | undefined {
    return this.s.webhook;
  }

  webhookDeliveries(): WebhookDelivery[] {
    return [...this.s.deliveries];
  }

  /** Updates not yet confirmed by the bot (getUpdates offset) or not yet delivered to its webhook. */
  pendingUpdates(): Update[] {
    return [...this.s.pending];
  }

  /** A readable dump of a chat, for assertion messages. */
  transcript(chatId: number): string {
    const lines = this.messages(chatId, { includeDeleted: true }).map((m) => {
      const who = m.from === 'bot' ? 'bot' : `user ${m.sender.id}`;
      const flags = [m.deleted ? 'deleted' : '', m.editCount ? `edited x${m.editCount}` : ''].filter(Boolean);
      const body = m.photo ? `[photo ${m.photo.sizeBytes} B] ${m.caption ?? ''}` : textOf(m);
      return `#${m.messageId} ${who}${flags.length ? ` (${flags.join(', ')})` : ''}: ${body}`;
    });
    return `chat ${chatId}:\n${lines.join('\n') || '(empty)'}`;
  }

  // --- steering --------------------------------------------------------------------------------------------------

  /** The next `count` calls of `method` fail with this error (e.g. a 429 with retry_after). */
  failNext(method: string, error: ApiErrorShape, count = 1): void {
    const key = method.toLowerCase();
    const queue = this.s.faults.get(key) ?? [];
    queue.push({ error, remaining: count });
    this.s.faults.set(key, queue);
  }

  /** The next `count` calls of `method` take effect but drop the connection instead of answering. */
  dropAfterAccept(method: string, count = 1): void {
    const key = method.toLowerCase();
    this.s.drops.set(key, (this.s.drops.get(key) ?? 0) + count);
  }

  /** The next `count` calls of `method` are held `ms` before they take effect and are answered (a slow Telegram). */
  delayNext(method: string, ms: number, count = 1): void {
    const key = method.toLowerCase();
    const queue = this.s.delays.get(key) ?? [];
    queue.push({ ms, remaining: count });
    this.s.delays.set(key, queue);
  }

  /** A standing fault until cleared (`undefined`): see FaultStorm. */
  setStorm(storm: FaultStorm | undefined): void {
    this.s.storm = storm && { ...storm, methods: storm.methods?.map((m) => m.toLowerCase()) };
  }

  /**
   * The next `count` messages sent to this chat (sendMessage, copyMessage, sendPhoto, ...) fail with `error`, e.g.
   * `{ error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 }` for a chat Telegram
   * throttles while the rest of the bot's sends go through.
   */
  failChat(chatId: number, error: ApiErrorShape, count = 1): void {
    const queue = this.s.chatFaults.get(chatId) ?? [];
    queue.push({ error, remaining: count });
    this.s.chatFaults.set(chatId, queue);
  }

  /** A chat that blocked the bot (private) or removed it (group): 403 on every send. */
  blockChat(chatId: number, blocked = true, description = ''): void {
    if (blocked) this.s.blocked.set(chatId, description);
    else this.s.blocked.delete(chatId);
    this.s.changed();
  }

  registerChat(input: RegisterChatInput): TgChat {
    return this.s.registerChat(input).chat;
  }

  setChatMember(chatId: number, user: SimUser, status: MemberStatus): void {
    const known = this.s.rememberUser(toUser(user));
    const chat = this.s.chats.get(chatId) ?? this.s.registerChat({ id: chatId });
    chat.members.set(user.id, { user: known, status });
    this.s.changed();
  }

  limits(): FloodLimits {
    return this.s.flood.limits;
  }

  /** Changes this bot's flood limits (merged into the current ones; `false` disables them). */
  setLimits(limits: FloodLimitsInput): void {
    this.s.flood.reset(resolveLimits(limits, this.s.flood.limits));
  }

  /** Forgets this bot's chats, queued updates, logs, webhook, faults and limit state; update ids keep growing. */
  reset(): void {
    this.runtime.deliverer.cancel();
    this.s.reset(this.core.limits);
  }

  // --- waiting (event-driven) ------------------------------------------------------------------------------------

  waitFor<T>(predicate: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    return this.core.notifier.waitFor(predicate, options);
  }

  /** The newest visible bot message in the chat that matches (checked now and after every change). */
  waitForBotMessage(chatId: number, matcher?: MessageMatcher, timeoutMs?: number): Promise<StoredMessage> {
    return this.waitFor(() => [...this.botMessages(chatId)].reverse().find((m) => matches(m, matcher)), {
      timeoutMs,
      describe: () => this.transcript(chatId),
    });
  }

  waitForCall(method: string, predicate?: (c: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall> {
    return this.waitFor(() => this.calls(method).find((c) => !predicate || predicate(c)), { timeoutMs });
  }

  waitForCallbackAnswer(callbackQueryId: string, timeoutMs?: number): Promise<CallbackAnswer> {
    return this.waitFor(
      () => {
        const answer = this.callbackAnswer(callbackQueryId);
        return answer?.answered ? answer : undefined;
      },
      { timeoutMs },
    );
  }

  waitForInlineAnswer(inlineQueryId: string, timeoutMs?: number): Promise<InlineAnswer> {
    return this.waitFor(
      () => {
        const answer = this.inlineAnswer(inlineQueryId);
        return answer?.answered ? answer : undefined;
      },
      { timeoutMs },
    );
  }

  waitForPreCheckoutAnswer(preCheckoutQueryId: string, timeoutMs?: number): Promise<PreCheckoutAnswer> {
    return this.waitFor(
      () => {
        const answer = this.preCheckoutAnswer(preCheckoutQueryId);
        return answer?.answered ? answer : undefined;
      },
      { timeoutMs },
    );
  }
}
