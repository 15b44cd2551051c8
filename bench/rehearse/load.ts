/**
 * The rehearsal's users: every action is a new Telegram user doing one thing in their private chat, so what the
 * chat shows at the end is that action's outcome alone. Analyses (cold, warm, duplicate; FREE and PRO) are judged
 * by bench/chaos-judge.ts; the other actions by whether the bot answered, and answered once.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { DroppedSends, judge, type Sent, type Verdict } from '../chaos-judge';
import type { FaceitEmulator } from '../../emulators/faceit';
import type { SimUser, TelegramEmulator } from '../../emulators/telegram';
import type { DatabasePool } from '../../src/db/pool';
import { createRepositories } from '../../src/db/repositories';

export type ActionKind =
  | 'analysis-cold-free'
  | 'analysis-cold-pro'
  | 'analysis-warm'
  | 'analysis-duplicate'
  | 'link'
  | 'profile'
  | 'inline'
  | 'track'
  | 'stars';

export interface Action extends Sent {
  kind: ActionKind;
  /** For analyses: when the report was first seen complete (epoch ms). */
  reportedAt?: number;
  inlineQueryId?: string;
  /** Stars: the payment Telegram took (then exactly one confirmation is due), or why it did not. */
  charged?: boolean;
  payError?: string;
}

export interface ActionVerdict {
  verdict: Verdict;
  duplicates: number;
}

const CONFIRMED = /Payment received|Оплата получена/;
const WEIGHTS: Array<[ActionKind, number]> = [
  ['analysis-cold-free', 3],
  ['analysis-cold-pro', 2],
  ['analysis-warm', 1],
  ['analysis-duplicate', 2],
  ['link', 1],
  ['profile', 2],
  ['inline', 2],
  ['track', 1],
  ['stars', 1],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let nextId = 5_100_000_000 + Math.floor(Math.random() * 100_000_000);

export class Load {
  readonly actions: Action[] = [];
  readonly dropped: DroppedSends;
  private readonly repos;
  private readonly used = new Set<string>();
  /** Rooms already pasted (for duplicates) and players already analysed (for warm lobbies). */
  private readonly rooms: string[] = [];
  private readonly analysed: string[] = [];
  private stopped = false;
  private loop?: Promise<void>;
  private pick = 0;

  constructor(
    private readonly tg: TelegramEmulator,
    private readonly faceit: FaceitEmulator,
    pool: DatabasePool,
    private readonly say: (line: string) => void,
  ) {
    this.repos = createRepositories(pool);
    this.dropped = new DroppedSends(tg);
  }

  start(everyMs: number): void {
    const bag = WEIGHTS.flatMap(([k, w]) => Array<ActionKind>(w).fill(k));
    this.loop = (async () => {
      while (!this.stopped) {
        const kind = bag[this.pick++ % bag.length];
        // Not awaited: a slow action (a payment during a fault) must not hold the others back.
        void this.act(kind).catch((err: unknown) => this.say(`load ${kind}: ${String(err).slice(0, 200)}`));
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private user(): SimUser {
    const id = nextId++;
    return { id, first_name: 'Rehearsal', username: `rh${id}`, language_code: 'en' };
  }

  private freshPlayers(n: number): string[] {
    const players = this.allPlayers()
      .filter((p) => !this.used.has(p.playerId))
      .slice(0, n)
      .map((p) => p.playerId);
    if (players.length < n) throw new Error('the FACEIT emulator world ran out of fresh players');
    for (const id of players) this.used.add(id);
    return players;
  }

  private players?: ReturnType<FaceitEmulator['control']['findPlayers']>;
  private allPlayers() {
    return (this.players ??= this.faceit.control.findPlayers({ hasCs2: true, limit: 20_000 }));
  }

  private nickname(): string {
    const p = this.allPlayers();
    return p[Math.floor(Math.random() * p.length)].nickname;
  }

  private send(user: SimUser, text: string, kind: ActionKind, extra: Partial<Action> = {}): Action {
    const m = this.tg.sendUserMessage({ from: user, text });
    const action: Action = { user, messageId: m.messageId, at: Date.now(), kind, ...extra };
    this.actions.push(action);
    return action;
  }

  private async act(kind: ActionKind): Promise<void> {
    const user = this.user();
    switch (kind) {
      case 'analysis-cold-free':
      case 'analysis-cold-pro': {
        if (kind === 'analysis-cold-pro') {
          // A subscriber who talked to the bot before: their row has the language their Telegram client gave on
          // first contact (a row made here would keep the schema's default, Russian, and the judge reads English).
          await this.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
          await this.repos.users.update(user.id, { language: 'en' });
          await this.repos.subscriptions.grant(user.id, 'pro', 30, 'admin_grant');
        }
        const players = this.freshPlayers(10);
        const lobby = await this.faceit.control.createLobby({ players });
        const room = `https://www.faceit.com/en/cs2/room/${lobby.matchId}`;
        this.rooms.push(room);
        this.analysed.push(...players);
        this.send(user, room, kind);
        return;
      }
      case 'analysis-warm': {
        // A new match of players analysed before: their histories and stats are in the cache.
        if (this.analysed.length < 10) return this.act('analysis-cold-free');
        const players = this.analysed.slice(-10);
        const lobby = await this.faceit.control.createLobby({ players });
        this.send(user, `https://www.faceit.com/en/cs2/room/${lobby.matchId}`, kind);
        return;
      }
      case 'analysis-duplicate': {
        // Someone else pastes a room being analysed: they join it.
        const room = this.rooms.at(-1);
        if (!room) return this.act('analysis-cold-free');
        this.send(user, room, kind);
        return;
      }
      case 'link':
        this.send(user, `/link ${this.nickname()}`, kind);
        return;
      case 'profile':
        this.send(user, `/profile ${this.nickname()}`, kind);
        return;
      case 'track':
        this.send(user, `/track ${this.nickname()}`, kind);
        return;
      case 'inline': {
        const q = this.tg.sendInlineQuery({ from: user, query: this.nickname() });
        this.actions.push({ user, messageId: 0, at: Date.now(), kind, inlineQueryId: q.inlineQueryId });
        return;
      }
      case 'stars': {
        const action = this.send(user, '/subscribe', kind);
        const plans = await this.tg.waitForBotMessage(
          user.id,
          (m) => m.messageId > action.messageId && JSON.stringify(m.replyMarkup ?? '').includes('bill:buy:'),
          60_000,
        );
        this.tg.clickButton({
          from: user,
          chatId: user.id,
          messageId: plans.messageId,
          data: 'bill:buy:pro:month',
        });
        const invoice = await this.tg.waitForBotMessage(
          user.id,
          (m) => !!m.invoice && m.messageId > plans.messageId,
          60_000,
        );
        const paid = await this.tg.payInvoice({ from: user, chatId: user.id, messageId: invoice.messageId });
        action.charged = Boolean(paid.answer.ok && paid.payment);
        if (!action.charged)
          action.payError = paid.answer.errorMessage ?? 'no answer to the pre-checkout query';
        return;
      }
    }
  }

  /** Samples the analyses' reports as they complete (latency from the user's message to the complete report). */
  watchReports(): () => void {
    const timer = setInterval(() => {
      for (const a of this.actions) {
        if (!a.kind.startsWith('analysis') || a.reportedAt) continue;
        if (judge(this.tg, a, this.dropped).verdict === 'reported') a.reportedAt = Date.now();
      }
    }, 500);
    return () => clearInterval(timer);
  }

  judge(a: Action): ActionVerdict {
    if (a.kind.startsWith('analysis')) {
      const j = judge(this.tg, a, this.dropped);
      return { verdict: j.verdict, duplicates: j.duplicates };
    }
    if (a.kind === 'inline') {
      const answer = this.tg.inlineAnswer(a.inlineQueryId!);
      return { verdict: answer ? 'reported' : 'lost', duplicates: 0 };
    }
    const texts = this.tg
      .botMessages(a.user.id)
      .filter((m) => m.messageId > a.messageId)
      .map((m) => m.text ?? m.caption ?? (m.invoice ? `invoice:${m.invoice.title}` : ''));
    const duplicates = repeated(texts);
    if (a.kind === 'stars') {
      const confirmations = texts.filter((t) => CONFIRMED.test(t)).length;
      if (a.charged) return { verdict: confirmations ? 'reported' : 'lost', duplicates };
      // Not charged (the pre-checkout answer did not come in time): Telegram told the user; nothing was taken.
      return { verdict: texts.length ? 'clear_message' : 'lost', duplicates };
    }
    return { verdict: texts.length ? 'reported' : 'lost', duplicates };
  }

  openByKind(list: Action[] = this.actions): string {
    const open = new Map<string, number>();
    for (const a of list)
      if (['stuck', 'lost'].includes(this.judge(a).verdict)) open.set(a.kind, (open.get(a.kind) ?? 0) + 1);
    return JSON.stringify(Object.fromEntries(open));
  }

  /** Still waiting for an outcome (the settle loop waits on these). */
  open(list: Action[] = this.actions): number {
    return list.filter((a) => ['stuck', 'lost'].includes(this.judge(a).verdict)).length;
  }
}

function repeated(texts: string[]): number {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
}

/** Request rows still pending for these users (the product settles each right after its outcome is shown). */
export async function pendingAnalysisRows(pool: DatabasePool, actions: Action[]): Promise<number> {
  const ids = actions.filter((a) => a.kind.startsWith('analysis')).map((a) => a.user.id);
  if (!ids.length) return 0;
  return pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::int AS n FROM analysis_requests
    WHERE telegram_id = ANY(${sql.array(ids, 'int8')}) AND status = 'pending'`);
}
