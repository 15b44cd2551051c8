// A typed client for `/__control/...`, for tests driving an emulator that runs in another process.
import type {
  ClickButtonInput,
  InlineQueryInput,
  PreCheckoutInput,
  SuccessfulPaymentInput,
  UserMessageInput,
} from './emulator';
import type { FloodLimits, FloodLimitsInput } from './limits';
import type { FaultStorm, RegisterChatInput } from './state';
import type {
  ApiCall,
  ApiErrorShape,
  CallbackAnswer,
  ChatActionRecord,
  MemberStatus,
  PreCheckoutAnswer,
  SimUser,
  StoredMessage,
  TgChat,
  TgUser,
  Update,
  WebhookDelivery,
} from './types';

export interface BotMessageQuery {
  textIncludes?: string;
  /** A regular expression source, matched with the `s` flag. */
  textMatches?: string;
  afterMessageId?: number;
}

export interface TelegramEmulatorClient {
  readonly controlUrl: string;
  info(): Promise<{ apiRoot: string; bots: { token: string; user: TgUser }[]; methods: string[] }>;
  sendUserMessage(input: UserMessageInput): Promise<StoredMessage>;
  clickButton(input: ClickButtonInput): Promise<{ callbackQueryId: string; updateId?: number }>;
  sendInlineQuery(input: InlineQueryInput): Promise<{ inlineQueryId: string; updateId?: number }>;
  sendPreCheckoutQuery(input: PreCheckoutInput): Promise<{ preCheckoutQueryId: string; updateId?: number }>;
  sendSuccessfulPayment(input: SuccessfulPaymentInput): Promise<StoredMessage>;
  messages(chatId: number, options?: { includeDeleted?: boolean }): Promise<StoredMessage[]>;
  lastBotMessage(chatId: number): Promise<StoredMessage | null>;
  transcript(chatId: number): Promise<string>;
  chats(): Promise<TgChat[]>;
  calls(method?: string): Promise<ApiCall[]>;
  callbackAnswer(callbackQueryId: string): Promise<CallbackAnswer | null>;
  preCheckoutAnswer(preCheckoutQueryId: string): Promise<PreCheckoutAnswer | null>;
  chatActions(chatId?: number): Promise<ChatActionRecord[]>;
  webhookDeliveries(): Promise<WebhookDelivery[]>;
  pendingUpdates(): Promise<Update[]>;
  failNext(method: string, error: ApiErrorShape, count?: number): Promise<void>;
  dropAfterAccept(method: string, count?: number): Promise<void>;
  delayNext(method: string, ms: number, count?: number): Promise<void>;
  setStorm(storm: FaultStorm | undefined): Promise<void>;
  failChat(chatId: number, error: ApiErrorShape, count?: number): Promise<void>;
  blockChat(chatId: number, blocked?: boolean, description?: string): Promise<void>;
  registerChat(input: RegisterChatInput): Promise<TgChat>;
  setChatMember(chatId: number, user: SimUser, status: MemberStatus): Promise<void>;
  limits(): Promise<FloodLimits>;
  setLimits(limits: FloodLimitsInput): Promise<void>;
  reset(): Promise<void>;
  waitForBotMessage(chatId: number, query?: BotMessageQuery, timeoutMs?: number): Promise<StoredMessage>;
  waitForCallbackAnswer(callbackQueryId: string, timeoutMs?: number): Promise<CallbackAnswer>;
  waitForPreCheckoutAnswer(preCheckoutQueryId: string, timeoutMs?: number): Promise<PreCheckoutAnswer>;
  /** Re-evaluates an async predicate each time the emulator's state changes (server-side long poll). */
  waitFor<T>(
    predicate: () => Promise<T | undefined | null | false>,
    options?: { timeoutMs?: number },
  ): Promise<T>;
}

/**
 * Connects to a running emulator. `baseUrl` is its apiRoot (e.g. http://127.0.0.1:8081) or its /__control URL;
 * `token` selects the bot when the emulator serves several.
 */
export function connectTelegramEmulator(baseUrl: string, token?: string): TelegramEmulatorClient {
  const controlUrl = `${baseUrl.replace(/\/+$/, '').replace(/\/__control$/, '')}/__control`;
  async function op<T>(name: string, body: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${controlUrl}/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(token ? { token, ...body } : body),
    });
    const answer = (await res.json()) as { ok: boolean; result?: T; error?: string };
    if (!answer.ok) throw new Error(`Telegram emulator ${name}: ${answer.error ?? res.status}`);
    return answer.result as T;
  }
  const input = (value: object): Record<string, unknown> => ({ ...value });
  return {
    controlUrl,
    info: () => op('info'),
    sendUserMessage: (i) => op('sendUserMessage', input(i)),
    clickButton: (i) => op('clickButton', input(i)),
    sendInlineQuery: (i) => op('sendInlineQuery', input(i)),
    sendPreCheckoutQuery: (i) => op('sendPreCheckoutQuery', input(i)),
    sendSuccessfulPayment: (i) => op('sendSuccessfulPayment', input(i)),
    messages: (chatId, options) => op('messages', { chatId, ...options }),
    lastBotMessage: (chatId) => op('lastBotMessage', { chatId }),
    transcript: (chatId) => op('transcript', { chatId }),
    chats: () => op('chats'),
    calls: (method) => op('calls', { method }),
    callbackAnswer: (callbackQueryId) => op('callbackAnswer', { callbackQueryId }),
    preCheckoutAnswer: (preCheckoutQueryId) => op('preCheckoutAnswer', { preCheckoutQueryId }),
    chatActions: (chatId) => op('chatActions', { chatId }),
    webhookDeliveries: () => op('webhookDeliveries'),
    pendingUpdates: () => op('pendingUpdates'),
    failNext: (method, error, count = 1) => op('failNext', { method, error, count }),
    dropAfterAccept: (method, count = 1) => op('dropAfterAccept', { method, count }),
    delayNext: (method, ms, count = 1) => op('delayNext', { method, ms, count }),
    setStorm: (storm) => op('setStorm', { storm: storm ?? null }),
    failChat: (chatId, error, count = 1) => op('failChat', { chatId, error, count }),
    blockChat: (chatId, blocked = true, description = '') =>
      op('blockChat', { chatId, blocked, description }),
    registerChat: (i) => op('registerChat', input(i)),
    setChatMember: (chatId, user, status) => op('setChatMember', { chatId, user, status }),
    limits: () => op('limits'),
    setLimits: (limits) => op('setLimits', { limits }),
    reset: () => op('reset'),
    waitForBotMessage: (chatId, query = {}, timeoutMs) =>
      op('waitForBotMessage', { chatId, ...query, timeoutMs }),
    waitForCallbackAnswer: (callbackQueryId, timeoutMs) =>
      op('waitForCallbackAnswer', { callbackQueryId, timeoutMs }),
    waitForPreCheckoutAnswer: (preCheckoutQueryId, timeoutMs) =>
      op('waitForPreCheckoutAnswer', { preCheckoutQueryId, timeoutMs }),
    async waitFor(predicate, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const { version } = await op<{ version: number }>('version');
        const value = await predicate();
        if (value) return value;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`Telegram emulator: waitFor timed out after ${options.timeoutMs ?? 10_000} ms`);
        await op('waitForChange', { since: version, timeoutMs: left });
      }
    },
  };
}
