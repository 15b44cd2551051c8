/**
 * Follows running analyses for the bot: reads the progress the analysis's activities push into Redis about once a
 * second (src/analysis/progress-store.ts; the workflow's progress query only when nothing was pushed, since Temporal
 * Cloud bills each query) and edits the progress message when its text changes. The workflow itself delivers the final report (and the cancelled/refused
 * texts) into the same message, so this loop only ever shows "n/10" and steps aside near the end.
 */
import type { Api } from 'grammy';
import { isChatGone, isMessageGone, isNotModified } from '../telegram/errors';
import { renderProgress, renderProgressLobby } from './render';
import type { Plan } from '../billing';
import { faceitQueueDepth } from '../faceit';
import { waitOfDefaultTier } from './busy';
import { t } from '../i18n';
import type { Locale } from '../i18n';
import type { AnalysisComposerDeps } from './port';
import { cancelKeyboard } from './keyboards';
import { HTML } from '../bot-kit/reply';
import type { AnalysisProgress } from './port';
import {
  beginProgressEdit,
  endProgressEdit,
  readPushedProgress,
  type PushedProgress,
} from './progress-store';

/** Stages during which the message still shows progress; later ones belong to the workflow's delivery. */
const FOLLOWED_STAGES = new Set<AnalysisProgress['stage']>(['queued', 'fetching-match', 'fetching-players']);
/** Telegram allows about one edit per second in a private chat and 20 messages a minute in a group. */
const MIN_EDIT_GAP_MS = { private: 1_000, group: 3_000 };
/** A lobby analysis ends in seconds; a loop this old is following something that will not report. */
const MAX_FOLLOW_MS = 10 * 60_000;
/** Progress unchanged this long: a FREE/PREMIUM request checks whether it waits behind PRO ones. */
const STALLED_MS = 2_000;
const LOBBY_SIZE = 10;
/** Poll interval until the rosters are shown: the first useful content should come within half a second. */
const FIRST_POLL_MS = 100;
/** How long polls may find no workflow before giving up (it may not be visible to queries for a moment). */
const MAX_MISSING_MS = 10_000;
/** Nothing pushed this long after the request (Redis lost, older workers): the loop asks the workflow instead… */
const PUSH_GRACE_MS = 2_000;
/** …at most this often. */
const QUERY_FALLBACK_MS = 2_000;

export interface FollowedAnalysis {
  matchId: string;
  requesterId: number;
  chatId: number;
  messageId: number;
  locale: Locale;
  /** Shown under the bar (e.g. today's quota). */
  footer: string;
  /** What the message shows now. */
  text: string;
  /** The requester's plan: PRO never waits behind anyone, so never shows the queue. */
  plan?: Plan;
}

export function progressText(
  done: number,
  total: number,
  locale: Locale,
  footer: string,
  progress?: Pick<AnalysisProgress, 'lobby' | 'lines'>,
): string {
  const parts = [renderProgress(done, total, locale)];
  // The progressive report: rosters and map first, each player's line as their stats arrive.
  if (progress?.lobby) parts.push(renderProgressLobby(progress.lobby, progress.lines ?? {}, locale));
  if (footer) parts.push(footer);
  return parts.join('\n');
}

export class ProgressTracker {
  private readonly loops = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Last edit per chat, shared by every analysis in that chat so together they stay under Telegram's limit. */
  private readonly lastEditAt = new Map<number, number>();

  constructor(
    private readonly deps: AnalysisComposerDeps,
    private readonly api: Api,
  ) {}

  follow(job: FollowedAnalysis): void {
    const key = `${job.chatId}:${job.messageId}`;
    const abort = new AbortController();
    const done = this.run(job, abort.signal)
      .catch((err: unknown) => this.deps.logger.warn({ err, matchId: job.matchId }, 'progress loop failed'))
      .finally(() => this.loops.delete(key));
    this.loops.set(key, { abort, done });
  }

  /** Stops following one message (its analysis was cancelled). */
  forget(chatId: number, messageId: number): void {
    this.loops.get(`${chatId}:${messageId}`)?.abort.abort();
  }

  get size(): number {
    return this.loops.size;
  }

  async stop(): Promise<void> {
    const loops = [...this.loops.values()];
    for (const l of loops) l.abort.abort();
    await Promise.all(loops.map((l) => l.done));
  }

  private async run(job: FollowedAnalysis, signal: AbortSignal): Promise<void> {
    const { deps } = this;
    const pollMs = deps.progressPollMs ?? 1_000;
    const until = Date.now() + MAX_FOLLOW_MS;
    let shown = job.text;
    let missingSince: number | undefined;
    let rosterShown = false;
    let lastDone = -1;
    let stalledSince = Date.now();
    const followedSince = Date.now();
    let queriedAt = 0;
    // Poll fast until the rosters are on screen (the first useful content), then at the normal pace.
    while (
      Date.now() < until &&
      (await sleep(rosterShown ? pollMs : Math.min(pollMs, FIRST_POLL_MS), signal))
    ) {
      const pushed = await readPushedProgress(deps.redis, job.matchId).catch(() => null);
      let progress: AnalysisProgress | null | undefined = pushed ? fromPushed(pushed, job) : undefined;
      if (
        !pushed &&
        Date.now() - followedSince >= PUSH_GRACE_MS &&
        Date.now() - queriedAt >= QUERY_FALLBACK_MS
      ) {
        queriedAt = Date.now();
        progress = await deps.analysis.getAnalysisProgress(deps.client, job.matchId).catch((err: unknown) => {
          deps.logger.debug({ err, matchId: job.matchId }, 'progress query failed');
          return undefined;
        });
      }
      if (progress === null) {
        missingSince ??= Date.now();
        if (Date.now() - missingSince >= MAX_MISSING_MS) return;
      }
      if (!progress) continue;
      const mine = progress.requesters.find(
        (r) => r.chatId === job.chatId && r.progressMessageId === job.messageId,
      );
      if (mine?.cancelled || !FOLLOWED_STAGES.has(progress.stage)) return;
      if (progress.done !== lastDone) {
        lastDone = progress.done;
        stalledSince = Date.now();
      }
      // A FREE or PREMIUM request stuck behind PRO ones in the FACEIT budget says where it stands.
      const queue =
        job.plan !== 'pro' && Date.now() - stalledSince >= STALLED_MS ? await this.queueLine(job) : undefined;
      // No roster yet (0/0 says nothing, unless it waits in the queue), or all players in: the report is about to
      // replace this message, and a late progress edit could overwrite it.
      if ((progress.total === 0 && !queue) || (progress.total > 0 && progress.done >= progress.total))
        continue;
      const total = progress.total || LOBBY_SIZE;
      const body = progressText(progress.done, total, job.locale, job.footer, progress);
      const text = queue ? `${body}\n${queue}` : body;
      if (text === shown || !this.mayEdit(job.chatId) || signal.aborted) continue;
      // Guarded against the delivery: once the run has marked this message answered, no progress edit starts, and
      // the delivery waits for one in flight. Without Redis the edit goes unguarded, as before the pushed progress.
      const guarded = await beginProgressEdit(deps.redis, job.matchId, job.chatId, job.messageId).catch(
        () => undefined,
      );
      if (guarded === false) return;
      try {
        if (await this.edit(job, text)) {
          shown = text;
          if (progress.lobby) rosterShown = true;
        } else return;
      } finally {
        if (guarded) await endProgressEdit(deps.redis, job.chatId, job.messageId).catch(() => undefined);
      }
    }
  }

  /** "In the FACEIT queue: N requests ahead (PRO first), about S s" when higher tiers hold the budget. */
  private async queueLine(job: FollowedAnalysis): Promise<string | undefined> {
    const depth = await faceitQueueDepth(this.deps.redis, this.deps.faceitKeyPrefix);
    if (!depth || depth.critical + depth.high === 0) return undefined;
    const { ahead, seconds } = waitOfDefaultTier(depth, this.deps.config.FACEIT_RATE_LIMIT_PER_SECOND);
    return t(job.locale, 'analysis-progress-queue', { ahead: String(ahead), seconds: String(seconds) });
  }

  private mayEdit(chatId: number): boolean {
    const gap = chatId > 0 ? MIN_EDIT_GAP_MS.private : MIN_EDIT_GAP_MS.group;
    const now = Date.now();
    if (now - (this.lastEditAt.get(chatId) ?? 0) < gap) return false;
    this.lastEditAt.set(chatId, now);
    return true;
  }

  /** False when the message is gone (deleted, chat blocked): nothing left to follow. */
  private async edit(job: FollowedAnalysis, text: string): Promise<boolean> {
    try {
      await this.api.editMessageText(job.chatId, job.messageId, text, {
        ...HTML,
        reply_markup: cancelKeyboard(job.locale, job.matchId, job.requesterId),
      });
      return true;
    } catch (err) {
      if (isNotModified(err)) return true;
      if (isChatGone(err) || isMessageGone(err)) return false;
      this.deps.logger.warn({ err, matchId: job.matchId }, 'progress edit failed');
      return true;
    }
  }
}

/** The pushed snapshot in the query's shape; a message the run already answered reads as cancelled for its loop. */
function fromPushed(p: PushedProgress, job: FollowedAnalysis): AnalysisProgress {
  const answered = p.closed.has(`${job.chatId}:${job.messageId}`);
  return {
    matchId: job.matchId,
    stage: p.stage,
    done: p.done,
    total: p.total,
    donePlayers: [],
    elapsedMs: 0,
    requesters: answered
      ? [
          {
            telegramId: job.requesterId,
            chatId: job.chatId,
            progressMessageId: job.messageId,
            cancelled: true,
          },
        ]
      : [],
    lobby: p.lobby,
    lines: p.lines,
  };
}

/** Resolves true after `ms`, or false at once when aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
