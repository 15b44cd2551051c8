/**
 * How the chaos run judges what became of each user's request, from the user's chat in the Telegram emulator and
 * from the database (never from the product's own counters).
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { SimUser, TelegramEmulator } from '../emulators/telegram';
import type { DatabasePool } from '../src/db/pool';

/** A message the load sent: a room link (a request) or a /help (someone who only wants an answer). */
export interface Sent {
  user: SimUser;
  messageId: number;
  at: number;
}

export type Verdict = 'reported' | 'clear_message' | 'stuck' | 'lost';

const NOTICE =
  /could not be (completed|started|delivered)|cancelled|not counted|unavailable|answering slowly|went wrong/i;
const PROGRESS = /[▓░]/;
const REPORT = /Lobby analysis/;

export interface Judged {
  verdict: Verdict;
  /**
   * Messages whose text arrived more than once in the chat, plus progress bars the bot sent but never heard back
   * about (the connection dropped after Telegram accepted them): a copy frozen on screen beside the live one.
   */
  duplicates: number;
  /** Of those, the frozen copies of a progress message whose answer was dropped. */
  frozenCopies: number;
  /** The bot answered with something none of the rules recognise (printed, counted as lost). */
  unrecognised?: string;
}

/**
 * The messages Telegram accepted but whose answer the bot never got (the bot cannot know their ids), read from the
 * emulator's call log as it grows.
 */
export class DroppedSends {
  private seen = 0;
  private readonly ids = new Set<string>();
  constructor(private readonly tg: TelegramEmulator) {}

  has(chatId: number, messageId: number): boolean {
    for (const call of this.tg.calls()) {
      if (call.seq <= this.seen) continue;
      this.seen = call.seq;
      const result = call.result as { message_id?: number; chat?: { id?: number } } | undefined;
      if (call.dropped && call.method === 'sendMessage' && result?.message_id !== undefined)
        this.ids.add(`${result.chat?.id ?? call.params.chat_id}:${result.message_id}`);
    }
    return this.ids.has(`${chatId}:${messageId}`);
  }
}

/**
 * reported      a report, and no live progress bar left in the chat
 * clear_message a notice (failed / cancelled / undelivered / not started / "something went wrong"), no live bar
 * stuck         a progress bar still on screen at the end that the bot knows of (in flight, or frozen), or only
 *               frozen copies and nothing else
 * lost          the bot never answered, or answered something that is neither
 * A frozen copy (a progress message whose sendMessage took effect but whose answer was dropped, so the bot resent or
 * refused) is not the request's outcome: it counts as a duplicate, and the verdict comes from the other messages.
 */
export function judge(tg: TelegramEmulator, r: Sent, dropped: DroppedSends): Judged {
  const mine = tg.botMessages(r.user.id).filter((m) => m.messageId > r.messageId);
  // A report opens with the lobby card: its header is the photo's caption.
  const texts = mine.map((m) => m.text ?? m.caption ?? '');
  const bars = mine.filter((m) => PROGRESS.test(m.text ?? ''));
  const frozenCopies = bars.filter((m) => dropped.has(m.chatId, m.messageId)).length;
  const duplicates = repeated(texts) + frozenCopies;
  const report = texts.some((t) => REPORT.test(t) && !PROGRESS.test(t));
  const notice = texts.some((t) => NOTICE.test(t));
  const base = { duplicates, frozenCopies };
  if (!mine.length) return { verdict: 'lost', ...base };
  if (bars.length > frozenCopies) return { verdict: 'stuck', ...base };
  if (report) return { verdict: 'reported', ...base };
  if (notice) return { verdict: 'clear_message', ...base };
  if (bars.length) return { verdict: 'stuck', ...base };
  return { verdict: 'lost', ...base, unrecognised: texts.join(' | ').slice(0, 200) };
}

function repeated(texts: string[]): number {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
}

/**
 * A /help: answered at least once, how many answers arrived twice, and whether an error notice came beside the
 * help (the reply took effect but its answer was lost, so the bot said "something went wrong").
 */
export function judgeHelp(
  tg: TelegramEmulator,
  h: Sent,
): { answered: boolean; onlyError: boolean; duplicates: number; errorBesideHelp: boolean } {
  const texts = tg
    .botMessages(h.user.id)
    .filter((m) => m.messageId > h.messageId)
    .map((m) => m.text ?? '');
  const errors = texts.filter((t) => NOTICE.test(t)).length;
  return {
    answered: texts.length > errors,
    onlyError: errors > 0 && texts.length === errors,
    duplicates: repeated(texts),
    errorBesideHelp: errors > 0 && texts.length > errors,
  };
}

const count = z.object({ used: z.number(), pending: z.number() });

/**
 * From the database: units still charged without a report (quota_leaked), and request rows still `pending` at the
 * end (accepted work the product itself has not settled).
 */
export async function judgeInDatabase(
  pool: DatabasePool,
  r: Sent,
  verdict: Verdict,
): Promise<{ leaked: number; pending: number }> {
  const row = await pool.one(sql.type(count)`
    SELECT
      (SELECT COALESCE(SUM(analyses), 0)::int FROM daily_usage WHERE telegram_id = ${r.user.id}) AS used,
      (SELECT count(*)::int FROM analysis_requests WHERE telegram_id = ${r.user.id} AND status = 'pending') AS pending`);
  return { leaked: Math.max(0, row.used - (verdict === 'reported' ? 1 : 0)), pending: row.pending };
}

/** Request rows of these users still `pending` (the product settles each right after its outcome is shown). */
export async function pendingRows(pool: DatabasePool, requests: Sent[]): Promise<number> {
  const ids = sql.array(
    requests.map((r) => r.user.id),
    'int8',
  );
  return pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM analysis_requests WHERE telegram_id = ANY(${ids}) AND status = 'pending'`);
}

export interface DroppedCalls {
  /** The bot's own first reply (a progress bar) took effect, its answer was lost. */
  progress_replies: number;
  /** …and how those requests ended, each counted once (one may lose both its tries: then it is refused). */
  progress_replies_ended: Record<Verdict, number>;
  /** A report part sent as a new message (through a send claim). */
  report_sends: number;
  /** …of which a second copy is in the chat (a duplicate the user sees). */
  report_sends_doubled: number;
  /** A notice sent as a new message (e.g. the bot's "something went wrong"). */
  notice_sends: number;
  /** Edits of a progress message into a frame or the report: a repeat answers "message is not modified". */
  edits: number;
  /** Answers to /help. */
  help_replies: number;
  /** …of which a second copy is in the chat. */
  help_replies_doubled: number;
}

/**
 * Every call that took effect in Telegram but whose answer the bot never got (connection dropped after accept),
 * classified by what it was and what came of it in the chat: each one is a possible duplicate.
 */
export function classifyDropped(
  tg: TelegramEmulator,
  sinceSeq: number,
  requests: Sent[],
  helps: Sent[],
  dropped: DroppedSends,
): DroppedCalls {
  const requesters = new Map(requests.map((r) => [r.user.id, r]));
  const helpers = new Set(helps.map((h) => h.user.id));
  const out: DroppedCalls = {
    progress_replies: 0,
    progress_replies_ended: { reported: 0, clear_message: 0, stuck: 0, lost: 0 },
    report_sends: 0,
    report_sends_doubled: 0,
    notice_sends: 0,
    edits: 0,
    help_replies: 0,
    help_replies_doubled: 0,
  };
  const judged = new Set<number>();
  for (const call of tg.calls()) {
    if (call.seq <= sinceSeq || !call.dropped) continue;
    const chatId = Number(call.params.chat_id);
    const text = String(call.params.text ?? '');
    if (call.method === 'editMessageText') {
      out.edits++;
      continue;
    }
    if (call.method !== 'sendMessage') continue;
    const sameText = tg.botMessages(chatId).filter((m) => m.rawText === text).length;
    if (helpers.has(chatId)) {
      out.help_replies++;
      if (sameText > 1) out.help_replies_doubled++;
    } else if (requesters.has(chatId) && PROGRESS.test(text)) {
      out.progress_replies++;
      if (!judged.has(chatId))
        out.progress_replies_ended[judge(tg, requesters.get(chatId)!, dropped).verdict]++;
      judged.add(chatId);
    } else if (requesters.has(chatId) && NOTICE.test(text)) {
      out.notice_sends++;
    } else if (requesters.has(chatId)) {
      out.report_sends++;
      if (sameText > 1) out.report_sends_doubled++;
    }
  }
  return out;
}
