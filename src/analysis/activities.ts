import { ApplicationFailure, Context } from '@temporalio/activity';
import { GrammyError, InputFile, type Api } from 'grammy';
import type Redis from 'ioredis';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DatabasePool } from '../db/pool';
import { createEloSnapshotsRepository } from '../db/repositories/elo-snapshots';
import {
  FaceitBadRequestError,
  FaceitNotFoundError,
  NON_RETRYABLE_FACEIT_ERRORS,
  toActivityFailure,
  type FaceitCallOptions,
  type FaceitClient,
  type FaceitEndpoint,
} from '../faceit';
import { t } from '../i18n';
import { requestSignal } from '../telegram/api';
import { activityCancellation, heartbeating, type HeartbeatLoop } from '../temporal/activity';
import { classifyTelegramError, isMessageGone, isNotModified, toTelegramRetry } from '../telegram/errors';
import { createSendClaims, sendOnce } from '../telegram/send-claims';
import { analyzeLobby, lobbyRejection } from './model/analyze';
import { lifetimeFrom, matchInfoFrom, playerDetailsFrom, recentMatchesFrom } from './model/ingest';
import { renderCardReport, renderFramedReport, renderRejection, renderReport } from './render';
import { renderLobbyCard } from './card';
import { lobbyCardFallbacksTotal, lobbyCardRenderSeconds } from '../ops/metrics';
import { escapeHtml } from '../telegram/html';
import { createAnalysisRepository, type RequestStatus } from './repository';
import { NO_LINE, progressLine } from './model/progress-lines';
import { createProgressWriter } from './progress-store';
import type { LifetimeStats, LobbyAnalysis, LobbyInput, PlayerInput } from './model/types';
import type {
  ComputeInput,
  ComputeResult,
  DeliverInput,
  AnalysisRequester,
  DeliverResult,
  DeliveryOutcome,
  FetchMatchInput,
  FetchMatchResult,
  FetchPlayerInput,
  FetchPlayerResult,
  Locale,
  ProgressLine,
  RecordOutcomeInput,
  Refusal,
} from './workflow-types';
import { PLAYER_FETCH_ATTEMPTS } from './workflow-types';
import type { Config, QueueTier } from '../config';

/**
 * Activities of the lobby analysis. FACEIT calls go through the shared client (one budget, one cache, the caller's
 * priority) with the activity's cancellation signal, so a cancelled analysis stops waiting for rate-limit slots and
 * aborts requests in flight. Fetches that wait for slots heartbeat, so they hear a cancellation within seconds.
 */

/** 'auto' fetches lifetime stats only for a player whose recent window is thinner than this. */
export const LIFETIME_BELOW_MATCHES = 20;
/**
 * The fetches heartbeat while they run (waits for rate-limit slots included), so cancellations and crashes show fast.
 * The first heartbeat waits 2 s: an activity whose FACEIT calls are admitted at once ends before it and sends none
 * (Temporal Cloud bills each heartbeat); one waiting for rate-limit slots heartbeats every 500 ms from there on (the
 * SDK sends at most one per 0.8 × the 5 s heartbeat timeout), well inside that timeout.
 */
const FETCH_HEARTBEAT: HeartbeatLoop = { firstAfterMs: 2_000, everyMs: 500 };
/** Stored player data older than this is swept (a run computes seconds after fetching). */
const PLAYER_INPUTS_KEEP_HOURS = 24;
const FACEIT_SLOT_WAIT_MS = 150_000;
/** The FACEIT client's default cache key prefix (src/faceit/client.ts): used only to tell cache hits from calls. */
const FACEIT_CACHE_PREFIX = 'faceit:cache:';

/** The client requests of one player's three calls, as the FACEIT client names them in its cache. */
function playerCachePaths(playerId: string, matches: number) {
  const id = encodeURIComponent(playerId);
  return {
    player: ['player', `/players/${id}`],
    recent: ['playerMatchStats', `/players/${id}/games/cs2/stats?offset=0&limit=${matches}`],
    lifetime: ['playerStats', `/players/${id}/stats/cs2`],
  } satisfies Record<string, [FaceitEndpoint, string]>;
}

/** What the analysis activities need: FACEIT (and its Redis cache, for cache-hit counts), the database, the bot API. */
export interface AnalysisActivityDeps {
  config: Pick<Config, 'TELEGRAM_SEND_TIMEOUT_MS' | 'TELEGRAM_CLAIM_LEASE_MS'> &
    Partial<Pick<Config, 'ANALYSIS_LOBBY_CARD'>>;
  faceit: FaceitClient;
  redis: Redis;
  pool: DatabasePool;
  logger: Logger;
  /** Bot API client for deliveries; absent when no BOT_TOKEN is configured. */
  telegram?: Api;
  /**
   * Starts the outcome watch of a stored analysis (once per match ever; the predictions slice's, wired by the
   * activity registry, src/activities/index.ts, so that this slice does not import the one that reads its model).
   */
  watchOutcome: (client: Client, matchId: string) => Promise<void>;
  /**
   * After a report reached a requester (not a brief): billing's referral check (wired by the activity registry, as
   * above). An error fails the delivery activity, whose retry finds the report delivered and calls this again.
   */
  afterDelivered?: (client: Client, telegramId: number) => Promise<void>;
  /** Draws the lobby card (default: ./card.ts); tests replace it to make rendering fail. */
  renderCard?: typeof renderLobbyCard;
}

export function createAnalysisActivities(deps: AnalysisActivityDeps) {
  const { faceit, redis } = deps;
  const log = deps.logger.child({ component: 'analysis' });
  const repo = createAnalysisRepository(deps.pool);
  const progress = createProgressWriter(redis, log);
  const runIdOf = (ctx: Context) => ctx.info.workflowExecution?.runId ?? 'outside-a-workflow';
  const eloSnapshots = createEloSnapshotsRepository(deps.pool);
  const claims = createSendClaims(deps.pool, 'analysis_report', {
    leaseMs: deps.config.TELEGRAM_CLAIM_LEASE_MS,
  });

  /** The after-delivery hook, for a requester's own analysis (a brief is sent unasked). */
  async function delivered(r: AnalysisRequester): Promise<void> {
    if (r.brief || !deps.afterDelivered) return;
    await deps.afterDelivered(Context.current().client, r.telegramId);
  }

  /**
   * How many of each group of client requests the Redis cache already holds (they cost no FACEIT call): one round
   * trip for all groups, and none counted when Redis is slow or gone.
   */
  async function cachedCounts(groups: Array<Array<[FaceitEndpoint, string]>>): Promise<number[]> {
    try {
      const pipeline = redis.pipeline();
      for (const keys of groups)
        pipeline.exists(...keys.map(([endpoint, path]) => `${FACEIT_CACHE_PREFIX}${endpoint}:${path}`));
      const results = await Promise.race([
        pipeline.exec(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 200).unref()),
      ]);
      return groups.map((keys, i) => {
        const [err, found] = results?.[i] ?? [null, 0];
        return err ? 0 : Math.min(Number(found), keys.length);
      });
    } catch {
      return groups.map(() => 0);
    }
  }
  const cachedCount = async (keys: Array<[FaceitEndpoint, string]>) => (await cachedCounts([keys]))[0] ?? 0;

  function callOptions(priority: QueueTier): FaceitCallOptions {
    // Wait for a slot in line (FIFO within the tier) rather than give up and requeue at the back: under overload a
    // FREE request waits its turn. Below the activities' 3-minute start-to-close timeout.
    return { priority, signal: Context.current().cancellationSignal, maxWaitMs: FACEIT_SLOT_WAIT_MS };
  }

  async function fetchMatch(input: FetchMatchInput, ctx: Context): Promise<FetchMatchResult> {
    const path = `/matches/${encodeURIComponent(input.matchId)}`;
    const hits = await cachedCount([['match', path]]);
    const spent = { calls: 1 - hits, hits };
    let match;
    try {
      match = await faceit.getMatch(input.matchId, callOptions(input.priority));
    } catch (err) {
      if (err instanceof FaceitNotFoundError || err instanceof FaceitBadRequestError) {
        await progress.stage(input.matchId, runIdOf(ctx), 'refused');
        return { kind: 'refused', reason: 'not-found', ...spent };
      }
      throw toActivityFailure(err);
    }
    const info = matchInfoFrom(match);
    const rejection = lobbyRejection(info);
    if (rejection) {
      await progress.stage(input.matchId, runIdOf(ctx), 'refused');
      return { kind: 'refused', reason: rejection, ...spent };
    }
    const players = [...info.factions.faction1.roster, ...info.factions.faction2.roster].map((r) => ({
      playerId: r.playerId,
      nickname: r.nickname,
    }));
    await progress.lobby(input.matchId, runIdOf(ctx), info, new Set(players.map((p) => p.playerId)).size);
    const served = input.players ? await serveCachedPlayers(input, input.players, players, ctx) : undefined;
    return { kind: 'ok', match: info, players, ...spent, ...(served ? { served } : {}) };
  }

  /**
   * The players whose three calls are all in the cache, served here (stored in one insert, progress lines shown)
   * instead of one activity each: no FACEIT call is waited for, so the match's activity does not get slower. A player
   * who fails here is left to the fan-out, which retries it as usual.
   */
  async function serveCachedPlayers(
    input: FetchMatchInput,
    policy: NonNullable<FetchMatchInput['players']>,
    players: Array<{ playerId: string }>,
    ctx: Context,
  ): Promise<Record<string, FetchPlayerResult>> {
    const ids = [...new Set(players.map((p) => p.playerId))];
    const counts = await cachedCounts(ids.map((id) => Object.values(playerCachePaths(id, policy.matches))));
    const gathered = await Promise.all(
      ids
        .filter((_, i) => counts[i] === 3)
        .map(async (playerId) => {
          try {
            const request = { ...policy, matchId: input.matchId, playerId, priority: input.priority };
            return { playerId, ...(await gatherPlayer(request, ctx, 'all-cached')) };
          } catch (err) {
            if (ctx.cancellationSignal.aborted) throw err;
            log.warn(
              { matchId: input.matchId, playerId, err },
              'a cached player could not be served: left to the fan-out',
            );
            return null;
          }
        }),
    );
    const ready = gathered.filter((g) => g !== null);
    if (ready.length === 0) return {};
    try {
      await repo.savePlayerInputs(
        runIdOf(ctx),
        ready.map((g) => [g.playerId, g.out]),
      );
    } catch (err) {
      log.warn({ matchId: input.matchId, err }, 'cached players could not be stored: left to the fan-out');
      return {};
    }
    const served: Record<string, FetchPlayerResult> = {};
    const lines: Record<string, ProgressLine> = {};
    for (const { playerId, out, calls, hits } of ready) {
      lines[playerId] = progressLine(out);
      served[playerId] = { stored: true, line: lines[playerId], calls, hits };
    }
    await progress.lines(input.matchId, runIdOf(ctx), lines);
    return served;
  }

  /** One player fetched, stored for the compute activity, its progress line pushed. */
  async function fetchPlayer(input: FetchPlayerInput, ctx: Context): Promise<FetchPlayerResult> {
    const { out, calls, hits } = await gatherPlayer(input, ctx);
    // The data goes to PostgreSQL for the compute activity; the history keeps only the progress line.
    const line = progressLine(out);
    await repo.savePlayerInputs(runIdOf(ctx), [[input.playerId, out]]);
    await progress.lines(input.matchId, runIdOf(ctx), { [input.playerId]: line });
    return { stored: true, line, calls, hits };
  }

  /**
   * One player's FACEIT data, with how many calls it cost and how many the cache answered ('all-cached': the caller
   * has just seen all three in the cache, so they are not counted again).
   */
  async function gatherPlayer(
    input: FetchPlayerInput,
    ctx: Context,
    known?: 'all-cached',
  ): Promise<{ out: PlayerInput; calls: number; hits: number }> {
    const paths = playerCachePaths(input.playerId, input.matches);
    const options = callOptions(input.priority);
    let hits = known ? 2 : await cachedCount([paths.player, paths.recent]);
    let calls = 2 - hits;
    // With the 'always' policy the lifetime call goes out beside the other two: each player then finishes as soon as
    // its three calls are admitted, so the progress bar advances window by window instead of all at the end.
    const lifetimeEarly = input.lifetime === 'always' ? await startLifetime() : undefined;
    const [player, recent] = await Promise.allSettled([
      faceit.getPlayer(input.playerId, options),
      faceit.getPlayerMatchStats(input.playerId, { offset: 0, limit: input.matches }, options),
    ]);
    for (const r of [player, recent]) {
      if (r.status === 'rejected' && !(r.reason instanceof FaceitNotFoundError))
        throw toActivityFailure(r.reason);
    }
    const out: PlayerInput = {
      details: player.status === 'fulfilled' ? playerDetailsFrom(player.value) : null,
      // Known player without CS2 matches: an empty window; unknown player: nothing at all.
      recent:
        recent.status === 'fulfilled'
          ? recentMatchesFrom(recent.value)
          : player.status === 'fulfilled'
            ? []
            : null,
      lifetime: null,
      recentLimit: input.matches,
    };
    const window = out.recent?.length ?? 0;
    const hasCs2 = out.details !== null && (out.details.elo !== null || window > 0);
    const thin = window < Math.min(LIFETIME_BELOW_MATCHES, input.matches);
    let lifetime: Awaited<ReturnType<typeof startLifetime>> | undefined;
    if (lifetimeEarly) {
      if (hasCs2) lifetime = lifetimeEarly;
      else await lifetimeEarly.result;
    } else if (hasCs2 && thin) {
      ctx.heartbeat();
      lifetime = await startLifetime();
    }
    if (lifetime) {
      out.lifetime = await lifetime.result;
      // Lifetime stats may come from the cache up to the TTL plus the stale window old: the report says how old.
      if (out.lifetime && lifetime.fetchedAt !== undefined) out.lifetimeFetchedAt = lifetime.fetchedAt;
    }
    return { out, calls, hits };

    /** Counts the lifetime call (or its cache hit) and starts it; a 404 is no lifetime, other errors fail the activity. */
    async function startLifetime() {
      const cached = known ? 1 : await cachedCount([paths.lifetime]);
      hits += cached;
      calls += 1 - cached;
      const started: { result: Promise<LifetimeStats | null>; fetchedAt?: number } = {
        result: Promise.resolve(null),
      };
      const result = faceit
        .getPlayerStats(input.playerId, {
          ...options,
          onFetchedAt: (at) => (started.fetchedAt = at),
        })
        .then(
          (stats) => lifetimeFrom(stats),
          (err: unknown) => {
            if (err instanceof FaceitNotFoundError) return null;
            throw toActivityFailure(err);
          },
        );
      // Awaited after the other two calls; until then a rejection must not count as unhandled.
      result.catch(() => undefined);
      started.result = result;
      return started;
    }
  }

  return {
    /** GET /matches/{id} → the room, or why it cannot be analysed. */
    async analysisFetchMatch(input: FetchMatchInput): Promise<FetchMatchResult> {
      return heartbeating(FETCH_HEARTBEAT, (ctx) => fetchMatch(input, ctx));
    },

    /**
     * One player: details and the last N matches in parallel, then lifetime stats when the player's recent window is
     * thin (or the policy is 'always'). A player FACEIT does not know (404) is "no data", not a failure.
     */
    async analysisFetchPlayer(input: FetchPlayerInput): Promise<FetchPlayerResult> {
      return heartbeating(FETCH_HEARTBEAT, async (ctx) => {
        try {
          return await fetchPlayer(input, ctx);
        } catch (err) {
          // The workflow will show this player as "no data": so does the pushed progress, which then counts every
          // player like the workflow does (all in: the loop stops editing before the report replaces the message).
          const final =
            ctx.info.attempt >= PLAYER_FETCH_ATTEMPTS ||
            (err instanceof ApplicationFailure &&
              (err.nonRetryable ||
                (NON_RETRYABLE_FACEIT_ERRORS as readonly string[]).includes(err.type ?? '')));
          if (final && !ctx.cancellationSignal.aborted)
            await progress.lines(input.matchId, runIdOf(ctx), {
              [input.playerId]: { ...NO_LINE, noData: true },
            });
          throw err;
        }
      });
    },

    /** The pure analysis, then the analysis with its prediction and the players' ELO are stored. */
    async analysisCompute(input: ComputeInput): Promise<ComputeResult> {
      const ctx = Context.current();
      await progress.stage(input.matchId, runIdOf(ctx), 'analysing');
      const storedInputs = Object.values(input.players).includes('stored')
        ? await repo.loadPlayerInputs(runIdOf(ctx))
        : {};
      const players: Record<string, PlayerInput | undefined> = {};
      for (const [id, p] of Object.entries(input.players)) {
        if (p !== 'stored') players[id] = p ?? undefined;
        else if (storedInputs[id]) players[id] = storedInputs[id];
        // Stored data that is gone (swept, lost with the database) would make the report silently thinner.
        else throw ApplicationFailure.nonRetryable(`no stored data for player ${id}`, 'AnalysisInputMissing');
      }
      // Account ages are counted up to the workflow's start: the same input always gives the same analysis.
      const lobby: LobbyInput = { match: input.match, players, asOf: input.startedAt };
      const analysis = analyzeLobby(lobby);
      await repo.saveCompleted({
        matchId: input.matchId,
        workflowId: input.workflowId,
        startedAt: input.startedAt,
        analysis,
        faceitCalls: input.faceitCalls,
        matchStartedAt: input.match.startedAt ?? null,
        ownResultSeen: Object.values(players).some((p) =>
          (p?.recent ?? []).some((m) => m.matchId === input.matchId),
        ),
      });
      const snapshots = Object.entries(players).flatMap(([playerId, p]) => {
        const elo = p?.details?.elo;
        if (elo === null || elo === undefined || elo < 0 || elo > 10_000) return [];
        const level = p?.details?.level;
        return [
          {
            playerId,
            elo: Math.round(elo),
            level: level && level >= 1 && level <= 10 ? Math.round(level) : null,
            source: 'analysis' as const,
            matchId: input.matchId,
          },
        ];
      });
      await eloSnapshots.record(snapshots);
      // Every stored prediction gets its outcome recorded: one small watch per match on the low queue (once ever).
      await deps.watchOutcome(ctx.client, input.matchId);
      await repo.sweepPlayerInputs(PLAYER_INPUTS_KEEP_HOURS);
      const teams = [analysis.teams.faction1, analysis.teams.faction2];
      return {
        pickedMap: analysis.pickedMap,
        winProbability: analysis.winProbability?.faction1 ?? null,
        playersWithData: teams.reduce((n, team) => n + team.playersWithData, 0),
      };
    },

    /** Records a refused/cancelled/failed run in match_analyses (never over a completed analysis). */
    async analysisRecordOutcome(input: RecordOutcomeInput): Promise<void> {
      await repo.saveOutcome(input);
    },

    /**
     * Delivers one requester's outcome: the progress message becomes the first report message (or the refusal,
     * cancellation or failure notice), further report messages are sent once each, the request is recorded, and a
     * cancelled or failed request gets its quota unit back. Safe to retry at any point.
     */
    async analysisDeliver(input: DeliverInput): Promise<DeliverResult> {
      const { requester: r } = input;
      const status = STATUS_OF[input.outcome];
      const current = await repo.requestStatus(r.chatId, r.progressMessageId);
      // Settled before: a report is never sent twice, and a settled request is never given another outcome.
      if (current !== null && current !== 'pending' && (status === 'delivered' || current !== status)) {
        // A retry after the hook failed: the report is delivered, the hook is called again.
        if (current === 'delivered' && status === 'delivered') await delivered(r);
        return { status: 'already', messages: 0 };
      }
      // Notices settle first (the refund shares a transaction with the request's row, so it happens once even if
      // this attempt dies before Telegram answers); the edit that follows is idempotent.
      if (status !== 'delivered') await repo.settleRequest(input.matchId, r, status);
      // The bot's progress loop for this message steps aside before the outcome replaces it.
      await progress.closed(input.matchId, r.chatId, r.progressMessageId);

      const report = await outcomeReport(input);
      const texts = report.texts;
      const api = deps.telegram;
      if (!api) {
        log.warn(
          { matchId: input.matchId, chatId: r.chatId },
          'no BOT_TOKEN: the analysis outcome cannot be delivered',
        );
        if (status === 'delivered') await repo.settleRequest(input.matchId, r, 'failed');
        return { status: 'undeliverable', messages: 0 };
      }
      let messages = 0;
      try {
        messages = report.card
          ? await sendWithCard(api, input, report.card, texts)
          : await sendTexts(api, input, texts);
      } catch (err) {
        if (err instanceof UndeliverableError) {
          log.warn(
            { matchId: input.matchId, chatId: r.chatId, reason: err.message },
            'analysis outcome undeliverable',
          );
          if (status === 'delivered') await repo.settleRequest(input.matchId, r, 'failed');
          return { status: 'undeliverable', messages };
        }
        throw toTelegramRetry(err);
      }
      if (status === 'delivered') {
        await repo.settleRequest(input.matchId, r, 'delivered');
        await delivered(r);
      }
      return { status: 'sent', messages };
    },

    /** The stored report as plain text, for the operator's console. */
    async analysisRenderText(input: { matchId: string; locale: Locale }): Promise<string | null> {
      const analysis = await repo.loadAnalysis(input.matchId);
      if (!analysis) return null;
      return htmlToText(renderReport(analysis, { locale: input.locale, limit: 1_000_000 }).join('\n\n'));
    },
  };

  /** The outcome's texts and, for a requester's own report with the card on, the card and the texts that follow it. */
  async function outcomeReport(input: DeliverInput): Promise<{ texts: string[]; card?: CardPlan }> {
    if (input.outcome !== 'report' || input.requester.brief || deps.config.ANALYSIS_LOBBY_CARD === false)
      return { texts: await outcomeTexts(input) };
    const analysis = await loadReport(input.matchId);
    const options = { locale: input.requester.locale, perspective: input.requester.faceitPlayerId ?? null };
    const { caption, texts } = renderCardReport(analysis, options);
    return { texts: renderReport(analysis, options), card: { analysis, options, caption, texts } };
  }

  async function loadReport(matchId: string): Promise<LobbyAnalysis> {
    const analysis = await repo.loadAnalysis(matchId);
    if (!analysis)
      throw ApplicationFailure.nonRetryable(`no stored analysis for ${matchId}`, 'AnalysisMissingError');
    return analysis;
  }

  async function outcomeTexts(input: DeliverInput): Promise<string[]> {
    const locale = input.requester.locale;
    switch (input.outcome) {
      case 'report': {
        const analysis = await loadReport(input.matchId);
        const perspective = input.requester.faceitPlayerId ?? null;
        const brief = input.requester.brief;
        if (brief) {
          // A brief nobody asked for says why it is here and that it cost nothing.
          const header = t(locale, 'brief-header', { nick: escapeHtml(brief.nickname) });
          return renderFramedReport(analysis, { locale, perspective, header });
        }
        return renderReport(analysis, { locale, perspective });
      }
      case 'refused':
        return [refusalText(input.refusal ?? 'not-found', locale)];
      case 'cancelled':
        return [t(locale, 'analysis-cancelled')];
      case 'failed':
        return [t(locale, 'analysis-failed')];
      case 'undelivered':
        return [t(locale, 'reliability-report-undelivered')];
    }
  }

  /**
   * Edits the progress message into texts[0] (idempotent: a repeat answers "message is not modified") and sends the
   * rest, each extra message through a send claim (docs/delivery.md).
   */
  async function sendTexts(api: Api, input: DeliverInput, texts: string[]): Promise<number> {
    const { requester: r } = input;
    const cancelled = activityCancellation();
    const signal = () => requestSignal(deps.config.TELEGRAM_SEND_TIMEOUT_MS, cancelled);
    const key = (i: number) => `${input.matchId}#${r.progressMessageId}#${i}`;
    const options = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
    let sent = 0;
    const sendClaimed = async (i: number) => {
      // telegramCall outside: the claim sees Telegram's own error (an answer, so not in doubt) before it is mapped.
      const result = await telegramCall(() =>
        sendOnce(
          claims,
          { chatId: r.chatId, key: key(i) },
          () => api.sendMessage(r.chatId, texts[i], options, signal()),
          log,
        ),
      );
      if (result === true) return;
      if (result.status === 'sent') sent++;
    };
    try {
      await telegramCall(() =>
        api.editMessageText(r.chatId, r.progressMessageId, texts[0], options, signal()),
      );
      sent++;
    } catch (err) {
      if (err instanceof MessageGoneError) await sendClaimed(0);
      else throw err;
    }
    for (let i = 1; i < texts.length; i++) await sendClaimed(i);
    return sent;
  }

  /**
   * The report as the lobby card, then its text details. The photo is a claimed send (key `…#card`, sent once
   * whatever attempt repeats); the progress message then goes (deleted, or, where Telegram refuses to delete it,
   * edited into a pointer to the report below), and the details follow as claimed sends (`…#card#<i>`). A card that
   * fails to render, or that Telegram refuses (400), falls back to the text report (`fallback`: the progress message
   * edited into its first part, as without the card) and is counted in `analysis_card_fallbacks_total`.
   */
  async function sendWithCard(
    api: Api,
    input: DeliverInput,
    card: CardPlan,
    fallback: string[],
  ): Promise<number> {
    const { requester: r } = input;
    const cancelled = activityCancellation();
    const signal = () => requestSignal(deps.config.TELEGRAM_SEND_TIMEOUT_MS, cancelled);
    const cardKey = `${input.matchId}#${r.progressMessageId}#card`;
    const where = { matchId: input.matchId, chatId: r.chatId };
    let sent = 0;
    // A retry after the photo went out neither draws nor sends it again.
    if (!(await claims.isDone(r.chatId, cardKey))) {
      let png: Buffer;
      try {
        const stop = lobbyCardRenderSeconds().startTimer();
        png = (deps.renderCard ?? renderLobbyCard)(card.analysis, card.options).png;
        const seconds = stop();
        log.debug({ ...where, ms: Math.round(seconds * 1000), bytes: png.length }, 'lobby card rendered');
      } catch (err) {
        lobbyCardFallbacksTotal().inc({ reason: 'render' });
        log.warn({ ...where, err }, 'the lobby card could not be rendered: sending the text report alone');
        return sendTexts(api, input, fallback);
      }
      try {
        const result = await telegramCall(() =>
          sendOnce(
            claims,
            { chatId: r.chatId, key: cardKey },
            () =>
              api.sendPhoto(
                r.chatId,
                new InputFile(png, 'lobby.png'),
                { caption: card.caption, parse_mode: 'HTML' },
                signal(),
              ),
            log,
          ),
        );
        if (result !== true && result.status === 'sent') sent++;
      } catch (err) {
        if (!(err instanceof ApplicationFailure && err.type === 'TelegramBadRequest')) throw err;
        lobbyCardFallbacksTotal().inc({ reason: 'send' });
        log.warn({ ...where, err }, 'Telegram refused the lobby card: sending the text report alone');
        return sendTexts(api, input, fallback);
      }
    }
    const options = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
    const sendDetails = async () => {
      for (let i = 0; i < card.texts.length; i++) {
        const result = await telegramCall(() =>
          sendOnce(
            claims,
            { chatId: r.chatId, key: `${cardKey}#${i}` },
            () => api.sendMessage(r.chatId, card.texts[i], options, signal()),
            log,
          ),
        );
        if (result !== true && result.status === 'sent') sent++;
      }
    };
    // The progress message goes while the details are sent (one Telegram round trip less before the last part);
    // both settle before a failure is reported, so a retry never overlaps a send still in flight.
    const settled = await Promise.allSettled([resolveProgress(api, input, signal), sendDetails()]);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    return sent;
  }

  /**
   * The progress message is not the report when a card opens it: it is deleted (a repeat finds it gone, which is
   * the same), or, where Telegram will not delete it, edited into a pointer to the report below (its Cancel goes).
   */
  async function resolveProgress(
    api: Api,
    input: DeliverInput,
    signal: () => ReturnType<typeof requestSignal>,
  ) {
    const { requester: r } = input;
    try {
      await api.deleteMessage(r.chatId, r.progressMessageId, signal());
    } catch (err) {
      if (!(err instanceof GrammyError)) throw err;
      if (err.description.toLowerCase().includes('message to delete not found')) return;
      // Anything but a refusal (429, 5xx, a blocked bot) is classified as every other call's answer.
      if (err.error_code !== 400) {
        await telegramCall(() => Promise.reject(err));
        return;
      }
      try {
        await telegramCall(() =>
          api.editMessageText(
            r.chatId,
            r.progressMessageId,
            t(r.locale, 'analysis-card-below'),
            { parse_mode: 'HTML' },
            signal(),
          ),
        );
      } catch (editErr) {
        if (!(editErr instanceof MessageGoneError)) throw editErr;
      }
    }
  }
}

interface CardPlan {
  analysis: LobbyAnalysis;
  options: { locale: Locale; perspective: string | null };
  caption: string;
  texts: string[];
}
export type AnalysisActivities = ReturnType<typeof createAnalysisActivities>;

const STATUS_OF: Record<DeliveryOutcome, RequestStatus> = {
  report: 'delivered',
  refused: 'refused',
  cancelled: 'cancelled',
  failed: 'failed',
  undelivered: 'failed',
};

function refusalText(reason: Refusal, locale: Locale): string {
  return reason === 'not-found' ? t(locale, 'analysis-rejected-not-found') : renderRejection(reason, locale);
}

class UndeliverableError extends Error {}
class MessageGoneError extends Error {}

/**
 * Telegram's answers that settle a delivery: "message is not modified" means an earlier attempt already edited it
 * (success); a deleted progress message is replaced by a new one; a blocked bot or a vanished chat cannot be
 * helped by retrying. Anything else (network, 5xx; 429s are waited out by auto-retry) is thrown for Temporal.
 */
async function telegramCall<T>(call: () => Promise<T>): Promise<T | true> {
  try {
    return await call();
  } catch (err) {
    if (isNotModified(err)) return true;
    if (!(err instanceof GrammyError)) throw err;
    if (isMessageGone(err)) throw new MessageGoneError(err.description.toLowerCase());
    const telegram = classifyTelegramError(err);
    if (telegram?.kind === 'chat-gone') throw new UndeliverableError(err.description);
    if (telegram?.kind === 'permanent') {
      throw ApplicationFailure.nonRetryable(
        `Telegram refused ${err.method}: ${err.description}`,
        'TelegramBadRequest',
      );
    }
    // A 429: Telegram says when, and the activity's next attempt waits exactly that (no auto-retry below the claim).
    throw toTelegramRetry(err);
  }
}

/** Telegram HTML → plain text (tags dropped, entities decoded). */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
