// `/__control/<op>`: the test API over HTTP, for a bot and tests running in another process.
// Every op takes a JSON body (or query parameters) and answers `{ ok: true, result }` or `{ ok: false, error }`.
// `token` selects the bot (default: the first token). Predicates cannot cross HTTP, so waiting uses matchers
// (textIncludes / textMatches / afterMessageId) or `waitForChange` (long poll on the state version).
import type { IncomingMessage, ServerResponse } from 'node:http';

import { readBody } from './body';
import type {
  BotEmulator,
  ClickButtonInput,
  InlineQueryInput,
  MessageMatcher,
  PayInvoiceInput,
  PreCheckoutInput,
  SuccessfulPaymentInput,
  UserMessageInput,
} from './emulator';
import type { FloodLimitsInput } from './limits';
import type { ControlHandler } from './server';
import { sendJson, SUPPORTED_METHODS } from './server';
import type { FaultStorm, RegisterChatInput } from './state';
import type { ApiErrorShape, MemberStatus, SimUser, StoredMessage } from './types';

type P = Record<string, unknown>;

export interface ControlHost {
  apiRoot: string;
  tokens: string[];
  bot(token?: string): BotEmulator;
  resetAll(): void;
  version(): number;
  waitChange(since: number, timeoutMs: number): Promise<number>;
}

const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | undefined =>
  v === undefined || v === null || v === '' ? undefined : Number(v);

function matcherFrom(p: P): MessageMatcher {
  const includes = typeof p.textIncludes === 'string' ? p.textIncludes : undefined;
  const pattern = typeof p.textMatches === 'string' ? new RegExp(p.textMatches, 's') : undefined;
  const after = optNum(p.afterMessageId);
  return (m: StoredMessage) => {
    const text = m.text ?? m.caption ?? '';
    return (
      (includes === undefined || text.includes(includes)) &&
      (pattern === undefined || pattern.test(text)) &&
      (after === undefined || m.messageId > after)
    );
  };
}

const OPS: Record<string, (bot: BotEmulator, p: P, host: ControlHost) => unknown> = {
  info: (_bot, _p, host) => ({
    apiRoot: host.apiRoot,
    bots: host.tokens.map((t) => ({ token: t, user: host.bot(t).botInfo })),
    methods: SUPPORTED_METHODS,
  }),
  sendUserMessage: (bot, p) => bot.sendUserMessage(p as unknown as UserMessageInput),
  clickButton: (bot, p) => bot.clickButton(p as unknown as ClickButtonInput),
  sendInlineQuery: (bot, p) => bot.sendInlineQuery(p as unknown as InlineQueryInput),
  sendPreCheckoutQuery: (bot, p) => bot.sendPreCheckoutQuery(p as unknown as PreCheckoutInput),
  sendSuccessfulPayment: (bot, p) => bot.sendSuccessfulPayment(p as unknown as SuccessfulPaymentInput),
  payInvoice: (bot, p) => bot.payInvoice(p as unknown as PayInvoiceInput),
  starCharges: (bot) => bot.starCharges(),
  injectUpdate: (bot, p) => ({ updateId: bot.injectUpdate(p.update as Record<string, unknown>) }),
  messages: (bot, p) =>
    bot.messages(num(p.chatId), { includeDeleted: p.includeDeleted === true || p.includeDeleted === 'true' }),
  message: (bot, p) => bot.message(num(p.chatId), num(p.messageId)),
  botMessages: (bot, p) => bot.botMessages(num(p.chatId)),
  lastBotMessage: (bot, p) => bot.lastBotMessage(num(p.chatId)),
  transcript: (bot, p) => bot.transcript(num(p.chatId)),
  chats: (bot) => bot.chats(),
  calls: (bot, p) => bot.calls(typeof p.method === 'string' ? p.method : undefined),
  callbackAnswer: (bot, p) => bot.callbackAnswer(String(p.callbackQueryId)),
  callbackAnswers: (bot) => bot.callbackAnswers(),
  inlineAnswer: (bot, p) => bot.inlineAnswer(String(p.inlineQueryId)),
  preCheckoutAnswer: (bot, p) => bot.preCheckoutAnswer(String(p.preCheckoutQueryId)),
  preCheckoutAnswers: (bot) => bot.preCheckoutAnswers(),
  chatActions: (bot, p) => bot.chatActions(optNum(p.chatId)),
  commands: (bot, p) =>
    bot.commands(p.scope as Record<string, unknown> | undefined, (p.languageCode as string) ?? ''),
  webhookInfo: (bot) => bot.webhookInfo(),
  webhookDeliveries: (bot) => bot.webhookDeliveries(),
  pendingUpdates: (bot) => bot.pendingUpdates(),
  failNext: (bot, p) => bot.failNext(String(p.method), p.error as ApiErrorShape, optNum(p.count) ?? 1),
  dropAfterAccept: (bot, p) => bot.dropAfterAccept(String(p.method), optNum(p.count) ?? 1),
  delayNext: (bot, p) => bot.delayNext(String(p.method), num(p.ms), optNum(p.count) ?? 1),
  setStorm: (bot, p) => bot.setStorm((p.storm ?? undefined) as FaultStorm | undefined),
  failChat: (bot, p) => bot.failChat(num(p.chatId), p.error as ApiErrorShape, optNum(p.count) ?? 1),
  blockChat: (bot, p) =>
    bot.blockChat(
      num(p.chatId),
      p.blocked !== false && p.blocked !== 'false',
      (p.description as string) ?? '',
    ),
  registerChat: (bot, p) => bot.registerChat(p as unknown as RegisterChatInput),
  setChatMember: (bot, p) => bot.setChatMember(num(p.chatId), p.user as SimUser, p.status as MemberStatus),
  limits: (bot) => bot.limits(),
  setLimits: (bot, p) => bot.setLimits((p.limits ?? false) as FloodLimitsInput),
  reset: (bot, p, host) => (p.token ? bot.reset() : host.resetAll()),
  waitForBotMessage: (bot, p) => bot.waitForBotMessage(num(p.chatId), matcherFrom(p), optNum(p.timeoutMs)),
  waitForCallbackAnswer: (bot, p) =>
    bot.waitForCallbackAnswer(String(p.callbackQueryId), optNum(p.timeoutMs)),
  waitForPreCheckoutAnswer: (bot, p) =>
    bot.waitForPreCheckoutAnswer(String(p.preCheckoutQueryId), optNum(p.timeoutMs)),
  version: (_bot, _p, host) => ({ version: host.version() }),
  waitForChange: async (_bot, p, host) => ({
    version: await host.waitChange(
      optNum(p.since) ?? host.version(),
      Math.min(optNum(p.timeoutMs) ?? 25_000, 60_000),
    ),
  }),
};

export const CONTROL_OPS = Object.keys(OPS);

export function createControlHandler(host: ControlHost): ControlHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const op = url.pathname.slice('/__control/'.length).replace(/\/$/, '');
    const params: P = Object.fromEntries(url.searchParams);
    try {
      const body = await readBody(req);
      if (body.length > 0) Object.assign(params, JSON.parse(body.toString('utf8')) as P);
    } catch {
      return sendJson(res, 400, { ok: false, error: 'the body must be a JSON object' });
    }
    const run = OPS[op];
    if (!run) return sendJson(res, 404, { ok: false, error: `unknown control op "${op}"`, ops: CONTROL_OPS });
    try {
      const bot = host.bot(typeof params.token === 'string' ? params.token : undefined);
      const result = await run(bot, params, host);
      sendJson(res, 200, { ok: true, result: result ?? null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, /timed out/.test(message) ? 408 : 400, { ok: false, error: message });
    }
  };
}
