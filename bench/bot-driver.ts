/**
 * Drives the real bot (src/bot, long polling against the Telegram emulator) the way a user does, and times what the
 * user sees: the user's message goes in through the emulator; the bot's first answer must be the progress message;
 * the report counts as delivered when its LAST part has been applied by the emulator (the edit that turns the
 * progress message into the first part, then one sendMessage per further part). Completion is known from the
 * request's own record (analysis_requests.status, written after the last part was sent); the time comes from the
 * emulator's log (the moment it answered that call).
 */
import type { ApiCall, SimUser, TelegramEmulator } from '../emulators/telegram';
import { createAnalysisRepository } from '../src/analysis/repository';
import type { Plan } from '../src/billing/plan';
import type { DatabasePool } from '../src/db/pool';
import { createRepositories } from '../src/db/repositories';

const PROGRESS = /^⏳/;
const REPORT_MARK = /Lobby analysis|Анализ лобби/;

export interface BotRun {
  user: SimUser;
  matchId: string;
  /** Just before the user's message was put into the emulator. */
  t0: number;
  userMessageId: number;
}

export interface FirstReply {
  at: number;
  messageId: number;
}

export interface Delivered {
  /** Message in → the bot's progress message applied. */
  firstReplyMs: number;
  /** Message in → the last report part applied. */
  ms: number;
  /** When the last part was applied (epoch ms). */
  at: number;
  /** Message in → the first report part reached Telegram (what comes after it is the report's delivery). */
  reportStartMs: number;
  parts: number;
  progressMessageId: number;
  /** Flood-limit answers in the chat on the way (each one a wait of retry_after). */
  telegram429s: number;
  /** The chat's Bot API calls from the message on: method, start and duration in ms after the message. */
  timeline: Array<{ method: string; startMs: number; durationMs: number }>;
}

let nextTelegramId = 6_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class BotDriver {
  private seq = 0;
  /** Bot calls per chat (failed ones too), in emulator order. */
  private readonly byChat = new Map<number, ApiCall[]>();
  private stopped = false;
  private readonly repos;
  private readonly analysisRepo;

  constructor(
    private readonly tg: TelegramEmulator,
    pool: DatabasePool,
  ) {
    this.repos = createRepositories(pool);
    this.analysisRepo = createAnalysisRepository(pool);
    void this.loop();
  }

  private async loop(): Promise<void> {
    let version = this.tg.version();
    while (!this.stopped) {
      version = await this.tg.waitChange(version, 500);
      this.scan();
    }
  }

  private scan(): void {
    for (const c of this.tg.calls()) {
      if (c.seq <= this.seq) continue;
      this.seq = c.seq;
      if (c.params.chat_id === undefined) continue;
      const chatId = Number(c.params.chat_id);
      const list = this.byChat.get(chatId) ?? [];
      list.push(c);
      this.byChat.set(chatId, list);
    }
  }

  private chatCalls(chatId: number): ApiCall[] {
    this.scan();
    return (this.byChat.get(chatId) ?? []).filter((c) => c.ok);
  }

  /** Telegram's 429s (flood limits) the bot and the workers got in this chat. */
  telegram429s(chatId: number): number {
    this.scan();
    return (this.byChat.get(chatId) ?? []).filter((c) => c.status === 429).length;
  }

  /** A new user on `plan`, with a language of their Telegram client. */
  async user(plan: Plan, language: 'en' | 'ru'): Promise<SimUser> {
    const id = nextTelegramId++;
    if (plan !== 'free') {
      await this.repos.users.touch({ telegramId: id, firstName: 'Bench' });
      await this.repos.subscriptions.grant(id, plan, 30, 'admin_grant');
    }
    return { id, first_name: 'Bench', username: `bench${id}`, language_code: language };
  }

  /** The user writes `/analyze <room URL>` in their private chat. */
  analyze(user: SimUser, roomUrl: string, matchId: string): BotRun {
    const t0 = Date.now();
    const m = this.tg.sendUserMessage({ from: user, text: `/analyze ${roomUrl}` });
    return { user, matchId, t0, userMessageId: m.messageId };
  }

  /** The bot's first message after the user's; throws unless it is the progress message of this analysis. */
  async firstReply(run: BotRun, timeoutMs = 10_000): Promise<FirstReply> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const sent = this.chatCalls(run.user.id).find((c) => c.method === 'sendMessage');
      if (sent) {
        const text = String(sent.params.text ?? '');
        const messageId = (sent.result as { message_id: number }).message_id;
        const markup = JSON.stringify(sent.params.reply_markup ?? '');
        if (!PROGRESS.test(text) || !markup.includes(run.matchId))
          throw new Error(`the bot's first reply is not the progress message: ${JSON.stringify(text)}`);
        return { at: sent.at + sent.durationMs, messageId };
      }
      if (Date.now() > until) throw new Error(`the bot did not answer /analyze within ${timeoutMs} ms`);
      await sleep(2);
    }
  }

  /** Waits for the whole report; throws when another outcome (refusal, failure) or nothing arrives in time. */
  async report(run: BotRun, timeoutMs: number): Promise<Delivered> {
    const until = Date.now() + timeoutMs;
    const first = await this.firstReply(run, timeoutMs);
    const chatId = run.user.id;
    const reportCalls = () =>
      this.chatCalls(chatId).filter(
        (c) =>
          (c.method === 'editMessageText' &&
            Number(c.params.message_id) === first.messageId &&
            !PROGRESS.test(String(c.params.text ?? ''))) ||
          ((c.method === 'sendMessage' || c.method === 'sendPhoto') &&
            (c.result as { message_id: number }).message_id > first.messageId),
      );
    // Cheap wait on the emulator until the first part shows, then on the request's record.
    for (;;) {
      const calls = reportCalls();
      if (calls.length > 0) {
        // The report opens with the lobby card (a photo captioned with the header) or, with the card off, a text.
        const text = String(calls[0].params.text ?? calls[0].params.caption ?? '');
        if (!REPORT_MARK.test(text)) throw new Error(`not a report: ${JSON.stringify(text.slice(0, 200))}`);
        break;
      }
      if (Date.now() > until) throw new Error(`no report for ${run.matchId} within ${timeoutMs} ms`);
      await sleep(20);
    }
    for (;;) {
      const status = await this.analysisRepo.requestStatus(chatId, first.messageId);
      if (status === 'delivered') break;
      if (status !== null && status !== 'pending')
        throw new Error(`request for ${run.matchId} settled as ${status}`);
      if (Date.now() > until) throw new Error(`report for ${run.matchId} not complete in ${timeoutMs} ms`);
      await sleep(100);
    }
    const parts = reportCalls();
    const at = Math.max(...parts.map((c) => c.at + c.durationMs));
    return {
      firstReplyMs: first.at - run.t0,
      ms: at - run.t0,
      at,
      reportStartMs: Math.min(...parts.map((c) => c.at)) - run.t0,
      parts: parts.length,
      progressMessageId: first.messageId,
      telegram429s: this.telegram429s(chatId),
      timeline: this.chatCalls(chatId)
        .filter((c) => c.at >= run.t0)
        .map((c) => ({ method: c.method, startMs: c.at - run.t0, durationMs: c.durationMs })),
    };
  }

  stop(): void {
    this.stopped = true;
  }
}
