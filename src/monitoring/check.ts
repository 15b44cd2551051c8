import type { Api } from 'grammy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { describeError as describeThrown } from '../logger';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { notificationsTotal } from '../ops/metrics';
import type { OutcomeSource } from '../predictions';
import { createPredictionsRepository } from '../predictions/worker';
import { createEloSnapshotsRepository } from '../db/repositories/elo-snapshots';
import {
  cs2Of,
  FaceitError,
  type FaceitClient,
  FaceitNotFoundError,
  FaceitRateLimitedError,
  type FaceitCallOptions,
  type MatchStats,
} from '../faceit';
import {
  type EloPoint,
  eloChange,
  type FinishedMatch,
  lineFromMatchStats,
  matchesAfter,
  toFinishedMatch,
} from './matches';
import type { BriefSender, FinishedSighting } from '../briefs';
import { type MatchNotification, type NotificationLine, renderNotification } from './render';
import { type ChatTracking, createMonitoringRepository } from './repository';
import { requestSignal } from '../telegram/api';
import { ClaimHeldError, classifyTelegramError, describeTelegramError } from '../telegram/errors';
import { createSendClaims, sendOnce, type SendOnceResult } from '../telegram/send-claims';
import {
  DORMANT_INTERVALS,
  failureBackoffMs,
  MONITORING_DEFAULTS,
  type MonitoringDefaults,
  nextCheckAt,
} from './settings';

/**
 * One player's check, the heart of monitoring (used by the cycle's batches and by FACEIT webhooks alike):
 *
 * 1. one FACEIT call for the player's latest matches (low priority, cache bypassed);
 * 2. per chat tracking the player: the first sight only sets the cursor; later, every match after the cursor is
 *    announced once, oldest first — claim the (chat, match) row, send, mark it sent, move the cursor — so a crash at
 *    any point neither loses the order nor sends twice (src/telegram/send-claims.ts, docs/delivery.md);
 * 3. when something new shows up (or the player has no ELO snapshot yet) a second call reads the current ELO,
 *    which is recorded as a snapshot; ELO changes come from the snapshots around each match;
 * 4. the next check is scheduled by how recently the player played.
 *
 * Per-player trouble (FACEIT 404/5xx, Telegram errors) backs that player off and never fails the batch; only
 * infrastructure errors (database) escape, so Temporal retries the activity.
 */

export interface MonitoringHooks {
  /** The (chat, match) send is claimed, the request to Telegram not yet made (a seam for crash tests). */
  afterClaim?(info: { chatId: number; matchId: string }): void | Promise<void>;
  /** Right after Telegram accepted a notification, before it is marked sent (a seam for crash tests). */
  afterTelegramSend?(info: { chatId: number; matchId: string }): void | Promise<void>;
  /** After the notification is marked sent, before the chat's cursor moves. */
  afterMarkSent?(info: { chatId: number; matchId: string }): void | Promise<void>;
}

export interface CheckerOptions {
  hooks?: MonitoringHooks;
  /** Redis key prefix of the per-player check locks (default "monitoring:"). */
  redisPrefix?: string;
  settings?: Partial<MonitoringDefaults>;
}

export interface CheckRequest {
  playerId: string;
  /** Start of the cycle (or webhook) that asked: the base of the next check time. */
  base: number;
  /** A webhook's match: reported as `missing` when FACEIT's list does not show it yet. */
  expectMatchId?: string;
  /** Who holds the player's lock; a retry of the same activity takes its own lock back. */
  lockToken: string;
  signal?: AbortSignal;
}

export type CheckStatus = 'ok' | 'busy' | 'saturated' | 'failed' | 'untracked';

export interface CheckOutcome {
  playerId: string;
  status: CheckStatus;
  /** FACEIT calls, the brief look-ups included (all of them count against monitoring's budget share). */
  calls: number;
  /** Of `calls`: history pages read to find a tracked player's current match for pre-match briefs. */
  briefCalls: number;
  /** Pre-match briefs sent from this check. */
  briefs: number;
  notified: number;
  newMatches: number;
  missing?: boolean;
  error?: string;
}

const LOCK_TTL_MS = 10 * 60_000;
/** A match a player is in right now, as /history spells it (lower case there). */
const LIVE_STATUSES = new Set(['CONFIGURING', 'VOTING', 'READY', 'ONGOING']);
const TAKE_LOCK = `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const DROP_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(describeThrown(e), { cause: e }));
      },
    );
  });
}

/** What the monitoring activities and the checker need. */
export interface MonitoringActivityDeps {
  config: Pick<
    Config,
    | 'MONITORING_INTERVAL_MINUTES'
    | 'FACEIT_RATE_LIMIT_PER_SECOND'
    | 'TELEGRAM_SEND_TIMEOUT_MS'
    | 'TELEGRAM_CLAIM_LEASE_MS'
  >;
  logger: Logger;
  pool: DatabasePool;
  redis: Redis;
  faceit: FaceitClient;
  /** Bot API client for notifications; absent when no BOT_TOKEN is configured. */
  telegram?: Api;
  /** Pre-match briefs (src/briefs): sent for live matches and settled for finished ones; absent: none. */
  briefs?: Pick<BriefSender, 'brief' | 'settle'>;
}

/** Finished matches this recent may be analysed ones still waiting for their outcome. */
const SIGHTING_WINDOW_MS = 12 * 3_600_000;

export function createChecker(deps: MonitoringActivityDeps, options: CheckerOptions = {}) {
  const repo = createMonitoringRepository(deps.pool);
  const eloRepo = createEloSnapshotsRepository(deps.pool);
  const claims = createSendClaims(deps.pool, 'match_finished', {
    leaseMs: deps.config.TELEGRAM_CLAIM_LEASE_MS,
  });
  const predictions = createPredictionsRepository(deps.pool);
  const s: MonitoringDefaults = { ...MONITORING_DEFAULTS, ...options.settings };
  const prefix = options.redisPrefix ?? 'monitoring:';
  const intervalMs = Math.round(deps.config.MONITORING_INTERVAL_MINUTES * 60_000);
  const log = deps.logger.child({ component: 'monitoring' });
  const briefs = deps.briefs;

  async function lock(playerId: string, token: string): Promise<boolean> {
    try {
      const got = await withTimeout(
        deps.redis.eval(TAKE_LOCK, 1, `${prefix}lock:${playerId}`, token, LOCK_TTL_MS),
        1_000,
      );
      return got === 1;
    } catch (err) {
      // Without Redis two checkers may meet; the notification claims still keep every message unique.
      log.warn({ err, playerId }, 'check lock unavailable; checking without it');
      return true;
    }
  }

  async function unlock(playerId: string, token: string): Promise<void> {
    try {
      await withTimeout(deps.redis.eval(DROP_LOCK, 1, `${prefix}lock:${playerId}`, token), 1_000);
    } catch {
      // It expires by itself.
    }
  }

  /**
   * The player's recent finished matches settle the outcome of any of them that was analysed, for free (the
   * predictions slice's outcome watch then finds it recorded). Best effort: the watch's own poll is the guarantee.
   */
  async function recordOutcomes(matches: FinishedMatch[], source: OutcomeSource): Promise<void> {
    const since = Date.now() - SIGHTING_WINDOW_MS;
    const sightings = matches.flatMap((m) =>
      m.finishedAt >= since && m.line.win !== undefined
        ? [{ matchId: m.matchId, playerId: m.line.playerId, win: m.line.win }]
        : [],
    );
    if (!sightings.length) return;
    try {
      const recorded = await predictions.recordSightings(sightings, source);
      if (recorded.length) log.info({ matches: recorded, source }, 'match outcomes recorded from a sighting');
    } catch (err) {
      log.warn({ err }, 'could not record match outcomes from a sighting');
    }
  }

  async function checkPlayer(request: CheckRequest): Promise<CheckOutcome> {
    const { playerId } = request;
    const outcome: CheckOutcome = {
      playerId,
      status: 'ok',
      calls: 0,
      briefCalls: 0,
      briefs: 0,
      notified: 0,
      newMatches: 0,
    };
    if (!(await lock(playerId, request.lockToken))) return { ...outcome, status: 'busy' };
    try {
      return await check(request, outcome);
    } finally {
      await unlock(playerId, request.lockToken);
    }
  }

  async function check(request: CheckRequest, outcome: CheckOutcome): Promise<CheckOutcome> {
    const { playerId, signal } = request;
    const call: FaceitCallOptions = { priority: 'low', cache: false, signal, maxWaitMs: s.faceitMaxWaitMs };
    const chats = await repo.chatsTracking(playerId);
    if (!chats.length) {
      await repo.deleteWatch(playerId);
      return { ...outcome, status: 'untracked' };
    }
    const watch = await repo.watchState(playerId);
    const fallbackNick = chats.find((c) => c.nickname)?.nickname ?? playerId;

    let matches: FinishedMatch[];
    try {
      outcome.calls++;
      const list = await deps.faceit.getPlayerMatchStats(playerId, { limit: s.statsLimit }, call);
      matches = list.items
        .map((item) => toFinishedMatch(item, playerId, fallbackNick))
        .filter((m): m is FinishedMatch => m !== undefined)
        .sort((a, b) => b.finishedAt - a.finishedAt);
    } catch (err) {
      return failed(outcome, err, watch?.failures ?? 0);
    }
    const newest = matches[0];
    await recordOutcomes(matches, request.expectMatchId ? 'webhook' : 'monitoring');
    if (request.expectMatchId && !matches.some((m) => m.matchId === request.expectMatchId))
      outcome.missing = true;
    await briefsOf(playerId, matches, chats, call, outcome);

    // What each chat should hear about.
    const now = Date.now();
    const plans = chats.map((chat) => planChat(chat, matches, now));
    const toAnnounce = plans.filter((p) => p.announce.length > 0);
    outcome.newMatches = Math.max(0, ...plans.map((p) => p.announce.length));

    // Current ELO: when there is news, when the player played since we last looked, or as a first baseline.
    let current: EloPoint | undefined;
    const playedSince =
      newest !== undefined && !!watch?.last_match_id && watch.last_match_id !== newest.matchId;
    let snapshots: EloPoint[] = [];
    if (toAnnounce.length || playedSince || !watch?.has_snapshot) {
      const oldest = Math.min(now, ...toAnnounce.flatMap((p) => p.announce.map((m) => m.finishedAt)));
      snapshots = (await repo.eloSince(playerId, new Date(oldest - 30 * 86_400_000))).map((r) => ({
        elo: r.elo,
        at: r.observed_at.getTime(),
      }));
      current = await currentElo(playerId, newest?.matchId ?? null, call, outcome);
    }

    for (const plan of plans) {
      const { chat } = plan;
      if (!plan.announce.length) {
        if (plan.moveTo !== undefined) await repo.advanceCursor(chat.chat_id, playerId, plan.moveTo);
        continue;
      }
      for (const match of plan.announce) {
        if (await claims.isDone(chat.chat_id, match.matchId)) {
          // Announced already (by a co-tracked player's check, or before a crash): just move on.
          await repo.advanceCursor(chat.chat_id, playerId, {
            matchId: match.matchId,
            finishedAt: match.finishedAt,
          });
          continue;
        }
        const index = matches.indexOf(match);
        const primary: NotificationLine = { ...match.line, ...eloChange(matches, index, snapshots, current) };
        const notification: MatchNotification = {
          matchId: match.matchId,
          map: match.map,
          ownScore: match.ownScore,
          oppScore: match.oppScore,
          lines: [primary, ...(await coPlayerLines(chat.chat_id, playerId, match, call, outcome))],
        };
        let result: DeliveryResult;
        try {
          result = await deliver(chat, notification, playerId, signal);
        } catch (err) {
          // Telegram trouble that may pass: this claim is marked failed, the player is retried soon.
          notificationsTotal().inc({ result: 'failed' });
          return failed(outcome, err, watch?.failures ?? 0);
        }
        if (result === 'sent' || result === 'blocked') notificationsTotal().inc({ result });
        if (result === 'blocked') break;
        if (result === 'sent') outcome.notified++;
        await repo.advanceCursor(chat.chat_id, playerId, {
          matchId: match.matchId,
          finishedAt: match.finishedAt,
        });
      }
      if (plan.moveTo) await repo.advanceCursor(chat.chat_id, playerId, plan.moveTo);
    }
    await repo.touchCursors(
      playerId,
      chats.map((c) => c.chat_id),
    );
    const lastPlayedAt = newest?.finishedAt ?? watch?.last_played_at?.getTime() ?? null;
    await repo.finishWatch(playerId, {
      lastMatchId: newest?.matchId ?? null,
      lastPlayedAt: newest?.finishedAt ?? null,
      // Nobody listening (all chats muted or blocked): only keep the cursors moving, at the dormant cadence.
      nextCheckAt: chats.some((c) => c.active)
        ? nextCheckAt(Math.min(request.base, now), lastPlayedAt, intervalMs)
        : Math.min(request.base, now) + DORMANT_INTERVALS * intervalMs,
    });
    return outcome;
  }

  /**
   * Pre-match briefs from the schedule: finished matches with a brief get their result line, and when a chat
   * wants briefs about the player, one more call (the newest item of /history, which lists a match from
   * CONFIGURING on) finds the match they are playing now. Trouble here never fails the check.
   */
  async function briefsOf(
    playerId: string,
    matches: FinishedMatch[],
    chats: readonly ChatTracking[],
    call: FaceitCallOptions,
    outcome: CheckOutcome,
  ): Promise<void> {
    if (!briefs) return;
    try {
      const finished: FinishedSighting[] = matches.slice(0, 5).map((m) => ({
        matchId: m.matchId,
        win: m.line.win,
        ownScore: m.ownScore,
        oppScore: m.oppScore,
      }));
      await briefs.settle(playerId, finished);
      if (!chats.some((c) => c.auto_brief && c.active)) return;
      outcome.calls++;
      outcome.briefCalls++;
      const history = await deps.faceit.getPlayerHistory(playerId, { offset: 0, limit: 1 }, call);
      const live = history.items.find((i) => LIVE_STATUSES.has((i.status ?? '').toUpperCase()));
      if (!live) return;
      const sent = await briefs.brief(
        {
          matchId: live.match_id,
          playerIds: [playerId],
          source: 'schedule',
          status: (live.status ?? '').toUpperCase(),
        },
        call.signal,
      );
      outcome.briefs += sent.sent;
    } catch (err) {
      log.warn({ err, playerId }, 'pre-match brief look-up failed');
    }
  }

  interface ChatPlan {
    chat: ChatTracking;
    /** Oldest first. */
    announce: FinishedMatch[];
    /** Where the cursor ends up without announcing (first sight, inactive chat, stale matches); null = no match yet. */
    moveTo?: { matchId: string; finishedAt: number } | null;
  }

  function planChat(chat: ChatTracking, matches: FinishedMatch[], now: number): ChatPlan {
    const newest = matches[0];
    const to = newest ? { matchId: newest.matchId, finishedAt: newest.finishedAt } : null;
    const firstSight = chat.cursor_match_id === null && chat.last_checked_at === null;
    if (firstSight) return { chat, announce: [], moveTo: to };
    const after = matchesAfter(matches, {
      matchId: chat.cursor_match_id,
      finishedAt: chat.cursor_finished_at?.getTime() ?? null,
    });
    // A cursor that fell off the page (or a legacy one): move on without a flood.
    if (!after.cursorFound) return { chat, announce: [], moveTo: to };
    if (!after.matches.length) return { chat, announce: [] };
    if (!chat.active) return { chat, announce: [], moveTo: to };
    const announce = after.matches.filter((m) => now - m.finishedAt <= s.notifyMaxAgeMs);
    return { chat, announce, moveTo: to };
  }

  async function currentElo(
    playerId: string,
    newestMatchId: string | null,
    call: FaceitCallOptions,
    outcome: CheckOutcome,
  ): Promise<EloPoint | undefined> {
    try {
      outcome.calls++;
      const player = await deps.faceit.getPlayer(playerId, call);
      const cs2 = cs2Of(player);
      if (cs2?.faceit_elo === undefined) return undefined;
      const at = Date.now();
      await eloRepo.record([
        {
          playerId,
          elo: cs2.faceit_elo,
          level: cs2.skill_level ?? null,
          source: 'monitoring',
          matchId: newestMatchId,
        },
      ]);
      return { elo: cs2.faceit_elo, at };
    } catch (err) {
      if (!(err instanceof FaceitError)) throw err;
      log.warn({ err, playerId }, 'could not read the current ELO; notifying without the change');
      return undefined;
    }
  }

  /**
   * Other players of this chat who played the same match get their line in the same message (one notification per
   * chat and match). Their ELO change is judged from their own match list and snapshots, like the primary's.
   */
  async function coPlayerLines(
    chatId: number,
    playerId: string,
    match: FinishedMatch,
    call: FaceitCallOptions,
    outcome: CheckOutcome,
  ): Promise<NotificationLine[]> {
    const others = await repo.coTracked(chatId, playerId);
    if (!others.length) return [];
    let stats: MatchStats;
    try {
      outcome.calls++;
      // A finished match's stats never change: the cache may answer.
      stats = await deps.faceit.getMatchStats(match.matchId, { ...call, cache: true });
    } catch (err) {
      if (!(err instanceof FaceitError)) throw err;
      return [];
    }
    const round = stats.rounds[0];
    if (!round) return [];
    const lines: NotificationLine[] = [];
    for (const other of others) {
      const fromMatch = lineFromMatchStats(round, other.faceit_player_id);
      if (!fromMatch) continue;
      lines.push(
        await coPlayerLine(other.faceit_player_id, fromMatch.nickname, match, fromMatch, call, outcome),
      );
    }
    return lines;
  }

  async function coPlayerLine(
    playerId: string,
    nickname: string,
    match: FinishedMatch,
    fallback: NotificationLine,
    call: FaceitCallOptions,
    outcome: CheckOutcome,
  ): Promise<NotificationLine> {
    try {
      outcome.calls++;
      const list = await deps.faceit.getPlayerMatchStats(playerId, { limit: s.statsLimit }, call);
      const theirs = list.items
        .map((item) => toFinishedMatch(item, playerId, nickname))
        .filter((m): m is FinishedMatch => m !== undefined)
        .sort((a, b) => b.finishedAt - a.finishedAt);
      const index = theirs.findIndex((m) => m.matchId === match.matchId);
      if (index < 0) return fallback;
      const snapshots = (await repo.eloSince(playerId, new Date(match.finishedAt - 30 * 86_400_000))).map(
        (r) => ({
          elo: r.elo,
          at: r.observed_at.getTime(),
        }),
      );
      const current = index === 0 ? await currentElo(playerId, theirs[0].matchId, call, outcome) : undefined;
      return { ...theirs[index].line, ...eloChange(theirs, index, snapshots, current) };
    } catch (err) {
      if (!(err instanceof FaceitError)) throw err;
      return fallback;
    }
  }

  type DeliveryResult = 'sent' | 'duplicate' | 'blocked' | 'rejected';

  async function deliver(
    chat: ChatTracking,
    notification: MatchNotification,
    playerId: string,
    signal?: AbortSignal,
  ): Promise<DeliveryResult> {
    const { chat_id: chatId } = chat;
    const { matchId } = notification;
    if (!deps.telegram) throw new Error('BOT_TOKEN is not set: monitoring cannot deliver notifications');
    let sent: SendOnceResult;
    try {
      sent = await sendOnce(
        claims,
        { chatId, key: matchId, playerId },
        async () => {
          const message = await deps.telegram!.sendMessage(
            chatId,
            renderNotification(chat.locale, notification),
            { parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
            requestSignal(deps.config.TELEGRAM_SEND_TIMEOUT_MS, signal),
          );
          await options.hooks?.afterTelegramSend?.({ chatId, matchId });
          return message;
        },
        log,
        { afterClaim: () => options.hooks?.afterClaim?.({ chatId, matchId }) },
      );
    } catch (err) {
      const telegram = classifyTelegramError(err);
      if (telegram?.kind === 'chat-gone') {
        // "This chat will not get messages from us": stop notifying it.
        log.info({ chatId, error: describeTelegramError(err) }, 'chat blocked the bot: notifications stop');
        await repo.markChatBlocked(chatId);
        return 'blocked';
      }
      if (telegram?.kind === 'permanent') {
        // Our message is wrong: retrying cannot help, and the next matches must not wait behind it.
        log.error({ chatId, matchId, error: describeTelegramError(err) }, 'Telegram refused a notification');
        return 'rejected';
      }
      throw err;
    }
    if (sent.status === 'done') return 'duplicate';
    await options.hooks?.afterMarkSent?.({ chatId, matchId });
    log.debug({ chatId, matchId, playerId }, 'match notification sent');
    return 'sent';
  }

  async function failed(outcome: CheckOutcome, err: unknown, failures: number): Promise<CheckOutcome> {
    if (err instanceof FaceitRateLimitedError) {
      // The budget is busy with user requests: yield, the player stays due.
      await repo.releaseWatches([outcome.playerId]);
      return { ...outcome, status: 'saturated', error: err.message };
    }
    if (!(err instanceof FaceitError) && !(err instanceof ClaimHeldError) && !classifyTelegramError(err))
      throw err;
    const error = describeTelegramError(err);
    // A claim held by an earlier, dead attempt is resolved when its lease runs out: come back then.
    const retryAt =
      Date.now() +
      (err instanceof ClaimHeldError
        ? err.retryInMs + 500
        : failureBackoffMs(failures, err instanceof FaceitNotFoundError));
    log.warn({ playerId: outcome.playerId, error }, 'player check failed; backing off');
    await repo.failWatch(outcome.playerId, error, retryAt);
    return { ...outcome, status: 'failed', error };
  }

  return { checkPlayer, repo };
}

export type Checker = ReturnType<typeof createChecker>;
