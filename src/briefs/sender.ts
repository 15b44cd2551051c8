import type { Client } from '@temporalio/client';
import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { DatabasePool } from 'slonik';
import type { AnalysisRequester, LobbyAnalysis } from '../analysis';
import { createAnalysisRepository, matchInfoFrom, requestAnalysis, withPickedMap } from '../analysis/worker';
import { FaceitNotFoundError, normaliseMap, type FaceitClient } from '../faceit';
import type { Config } from '../config';
import { createSubscriptionsRepository } from '../db/repositories/subscriptions';
import { usageDay } from '../db/repositories/usage';
import { requestSignal } from '../telegram/api';
import { withDeadline } from '../temporal/deadline';
import { ClaimHeldError, describeTelegramError, refusedForGood } from '../telegram/errors';
import { createSendClaims, sendOnce, type SendOnceResult } from '../telegram/send-claims';
import { briefFooter, briefHeader, briefPlaceholder, renderBrief } from './render';
import { type BriefChat, createBriefsRepository } from './repository';

/**
 * Pre-match briefs: when a tracked player's match starts (a FACEIT webhook, or monitoring's history check), every
 * chat with auto-brief on that tracks a player of the match gets one message, which the shared lobby analysis
 * (`analysis-<matchId>`, one per match whoever asks) turns into the report. A brief runs at the plan of the chat's
 * owner (PRO: the high tier) and takes no quota unit. When the match is over, the brief is edited with the result
 * and whether the favourite won.
 *
 * Once per (chat, match), through the shared send claims (docs/delivery.md, kind 'brief'): claim → send
 * → mark sent → request the analysis → mark requested. A send Telegram refused, or a claim whose attempt died before
 * its request left (past the lease), is sent by the retry; a lost answer is resent and counted as a possible
 * duplicate; an attempt that died mid-request is closed as uncertain (counted, not resent). A retry re-requests a
 * sent brief whose request may not have gone out (joining the analysis is idempotent per message).
 */

export interface BriefDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  /** Bot API; without it (no BOT_TOKEN) nothing is sent. */
  telegram?: Api;
  /** Temporal, to start or join the match's analysis. */
  temporal?: Client;
  /**
   * FACEIT, for the match room a brief started at the match's creation watches (rosters, then the map), and to
   * confirm a webhook's match before any brief about it (without it, webhook briefs are not sent).
   */
  faceit?: FaceitClient;
}

/** FACEIT statuses of a match that is starting or under way: the ones a brief is sent for. */
const BRIEFABLE = new Set(['CONFIGURING', 'VOTING', 'READY', 'ONGOING']);

/** The match room as a brief watching it sees it. */
export interface BriefRoom {
  /** FACEIT's status (upper case); `GONE` when the match is not found. */
  status: string;
  /** Players of both rosters (empty while FACEIT has not filled them in). */
  rosterIds: string[];
  /** Roster players some chat wants briefs about. */
  tracked: string[];
  /** Normalised; null while the map vote goes on. */
  pickedMap: string | null;
}

/** A brief's edit once the map is picked: edited now, or waiting for the report to be in the message first. */
export interface MapPickedOutcome {
  edited: number;
  /** Briefs whose report is not delivered yet (the activity retries). */
  waiting: number;
}

/** Thrown while a brief's report is not in its message yet: the map edit would be overwritten. */
export class BriefReportPendingError extends Error {}

export type BriefSource = 'webhook' | 'schedule';

export interface Sighting {
  matchId: string;
  /** Tracked players seen in the match. */
  playerIds: string[];
  source: BriefSource;
  /** FACEIT's status when seen (CONFIGURING, READY, ONGOING, …), shown in the brief. */
  status?: string;
}

export interface BriefOutcome {
  /** Briefs sent now. */
  sent: number;
  /** Set when FACEIT did not confirm the match (unknown, over, or none of the players in it): nothing was sent. */
  unconfirmed?: 'not-found' | 'not-starting' | 'not-in-roster' | 'no-faceit';
  /** Chats that had their brief already. */
  already: number;
  /** Analysis requests made (new briefs, and sent ones whose request may have been lost). */
  requested: number;
  /** Chats that could not get one (blocked, no owner, Telegram refused). */
  skipped: number;
}

export interface FinishedSighting {
  matchId: string;
  /** From the checked player's side. */
  win?: boolean;
  ownScore?: number;
  oppScore?: number;
}

const HTML = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

export function createBriefSender(deps: BriefDeps) {
  const repo = createBriefsRepository(deps.pool);
  const analyses = createAnalysisRepository(deps.pool);
  const subscriptions = createSubscriptionsRepository(deps.pool);
  const log = deps.logger.child({ component: 'briefs' });
  const claims = createSendClaims(deps.pool, 'brief', { leaseMs: deps.config.TELEGRAM_CLAIM_LEASE_MS });

  async function requester(chat: BriefChat, matchId: string, messageId: number): Promise<AnalysisRequester> {
    const ownerId = chat.owner_id as number;
    const { tier } = await subscriptions.effective(ownerId);
    return {
      telegramId: ownerId,
      chatId: chat.chat_id,
      progressMessageId: messageId,
      locale: chat.locale,
      tier,
      faceitPlayerId: chat.faceit_player_id,
      usageDay: usageDay('UTC'),
      brief: { nickname: chat.nickname },
    };
  }

  async function request(chat: BriefChat, matchId: string, messageId: number): Promise<void> {
    const temporal = deps.temporal as Client;
    const r = await requester(chat, matchId, messageId);
    // One update-with-start, which a worker must answer. Past the deadline the request is unconfirmed (if the start
    // happened it holds the request): it stays unmarked, and the activity's next attempt asks again (idempotent).
    await withDeadline(temporal, deps.config.TEMPORAL_RPC_TIMEOUT_MS, () =>
      requestAnalysis(temporal, deps.config, matchId, r),
    );
    await repo.markRequested(chat.chat_id, matchId);
  }

  /**
   * A webhook's payload is only a claim (its roster is whatever was posted with the secret): the match must exist on
   * FACEIT, be starting or under way, and have the tracked players in its roster. Only those players count. A
   * sighting from monitoring's history check comes from FACEIT already. FACEIT unreachable: the activity retries.
   */
  async function confirmed(
    s: Sighting,
    signal?: AbortSignal,
  ): Promise<{ playerIds: string[] } | { unconfirmed: NonNullable<BriefOutcome['unconfirmed']> }> {
    if (s.source !== 'webhook') return { playerIds: s.playerIds };
    if (!deps.faceit) return { unconfirmed: 'no-faceit' };
    let match;
    try {
      match = await deps.faceit.getMatch(s.matchId, { priority: 'default', signal });
    } catch (err) {
      if (err instanceof FaceitNotFoundError) return { unconfirmed: 'not-found' };
      throw err;
    }
    if (!BRIEFABLE.has(String(match.status ?? '').toUpperCase())) return { unconfirmed: 'not-starting' };
    const roster = new Set(
      Object.values(match.teams ?? {}).flatMap((team) => (team.roster ?? []).map((p) => p.player_id)),
    );
    const playerIds = s.playerIds.filter((id) => roster.has(id));
    return playerIds.length ? { playerIds } : { unconfirmed: 'not-in-roster' };
  }

  /** `signal`: the activity's cancellation; no send leaves after the activity gave up. */
  async function brief(s: Sighting, signal?: AbortSignal): Promise<BriefOutcome> {
    const out: BriefOutcome = { sent: 0, already: 0, requested: 0, skipped: 0 };
    const api = deps.telegram;
    if (!api || !deps.temporal) {
      log.warn({ matchId: s.matchId }, 'briefs need BOT_TOKEN and a Temporal client: none sent');
      return out;
    }
    const check = await confirmed(s, signal);
    if ('unconfirmed' in check) {
      log.warn(
        { matchId: s.matchId, reason: check.unconfirmed },
        'webhook match not confirmed by FACEIT: no brief',
      );
      return { ...out, unconfirmed: check.unconfirmed };
    }
    const chats = await repo.chatsFor(check.playerIds);
    if (!chats.length) return out;
    const lost = new Map((await repo.unrequested(s.matchId)).map((r) => [r.chat_id, r]));
    let held: ClaimHeldError | undefined;
    for (const chat of chats) {
      if (chat.owner_id === null) {
        out.skipped++;
        continue;
      }
      let sent: SendOnceResult;
      try {
        const text = briefPlaceholder(chat.locale, chat.nickname, s.status);
        sent = await sendOnce(
          claims,
          { chatId: chat.chat_id, key: s.matchId, playerId: chat.faceit_player_id },
          () =>
            api.sendMessage(
              chat.chat_id,
              text,
              HTML,
              requestSignal(deps.config.TELEGRAM_SEND_TIMEOUT_MS, signal),
            ),
          log,
        );
      } catch (err) {
        if (err instanceof ClaimHeldError) {
          // An earlier attempt holds this chat's claim: the other chats go on, this one is retried after the lease.
          held = held && held.retryInMs >= err.retryInMs ? held : err;
          continue;
        }
        if (refusedForGood(err)) {
          log.info({ chatId: chat.chat_id, error: describeTelegramError(err) }, 'brief not deliverable');
          out.skipped++;
          continue;
        }
        throw err;
      }
      if (sent.status === 'done') {
        // Delivered by an earlier attempt (or closed as uncertain): re-request it if that request may be lost.
        const row = lost.get(chat.chat_id);
        if (row?.telegram_message_id) {
          await request(chat, s.matchId, row.telegram_message_id);
          out.requested++;
        }
        out.already++;
        continue;
      }
      out.sent++;
      await request(chat, s.matchId, sent.messageId);
      out.requested++;
    }
    if (held) throw held;
    log.info({ matchId: s.matchId, source: s.source, ...out }, 'pre-match briefs');
    return out;
  }

  /**
   * Matches of `playerId` that FACEIT lists as finished: the briefs about them get the result line (once their
   * report is in), and the real winner is stored next to the prediction.
   */
  async function settle(playerId: string, finished: readonly FinishedSighting[]): Promise<number> {
    const api = deps.telegram;
    if (!api || !finished.length) return 0;
    const rows = await repo.awaitingResult(finished.map((f) => f.matchId));
    if (!rows.length) return 0;
    let edited = 0;
    const loaded = new Map<string, LobbyAnalysis | null>();
    for (const row of rows) {
      const f = finished.find((x) => x.matchId === row.match_id);
      if (!f || f.win === undefined || row.telegram_message_id === null) continue;
      // The report must be in the message first, or the shared analysis would overwrite the result.
      if ((await analyses.requestStatus(row.chat_id, row.telegram_message_id)) !== 'delivered') continue;
      if (!loaded.has(row.match_id)) loaded.set(row.match_id, await analyses.loadAnalysis(row.match_id));
      const analysis = loaded.get(row.match_id);
      if (!analysis) continue;
      const side = analysis.teams.faction1.players.some((p) => p.playerId === playerId)
        ? 'faction1'
        : analysis.teams.faction2.players.some((p) => p.playerId === playerId)
          ? 'faction2'
          : null;
      if (!side) continue;
      // (The outcome itself is stored for /accuracy by the predictions slice from the same sighting.)
      const winner = f.win ? side : side === 'faction1' ? 'faction2' : 'faction1';
      const named = [...analysis.teams.faction1.players, ...analysis.teams.faction2.players].find(
        (p) => p.playerId === row.faceit_player_id,
      );
      const scores = [f.ownScore, f.oppScore].filter((x): x is number => x !== undefined);
      const texts = renderBrief(analysis, {
        locale: row.locale,
        perspective: row.faceit_player_id,
        header: briefHeader(row.locale, named?.nickname ?? row.faceit_player_id ?? ''),
        footer: briefFooter(row.locale, analysis, winner, scores.length === 2 ? scores : undefined),
      });
      try {
        await api.editMessageText(row.chat_id, row.telegram_message_id, texts[0], HTML);
        edited++;
      } catch (err) {
        if (!refusedForGood(err)) throw err;
        // Not modified (an earlier attempt did it), deleted, or the chat is gone: nothing more to do.
        log.info({ chatId: row.chat_id, error: describeTelegramError(err) }, 'brief result not edited');
      }
      await repo.markResultEdited(row.chat_id, row.match_id);
    }
    return edited;
  }

  /** The room now (no cache: the poll is for what changed), and which of its players some chat wants briefs about. */
  async function room(matchId: string, signal?: AbortSignal): Promise<BriefRoom> {
    if (!deps.faceit) throw new Error('briefs need the FACEIT client to watch a match room');
    let info;
    try {
      info = matchInfoFrom(
        await deps.faceit.getMatch(matchId, { cache: false, priority: 'default', signal }),
      );
    } catch (err) {
      if (err instanceof FaceitNotFoundError)
        return { status: 'GONE', rosterIds: [], tracked: [], pickedMap: null };
      throw err;
    }
    const rosterIds = [...info.factions.faction1.roster, ...info.factions.faction2.roster].map(
      (r) => r.playerId,
    );
    const chats = await repo.chatsFor(rosterIds);
    return {
      status: info.status,
      rosterIds,
      tracked: [...new Set(chats.map((c) => c.faceit_player_id))],
      pickedMap: info.pickedMap ? normaliseMap(info.pickedMap) || info.pickedMap : null,
    };
  }

  /**
   * The map is picked: every delivered brief of the match is edited to that map's outlook (withPickedMap: the map's
   * terms in the model, the map first in the table), and the stored view follows so the result line keeps it. A
   * brief whose report is not in its message yet is left for the retry (BriefReportPendingError).
   */
  async function mapPicked(matchId: string, map: string, status?: string): Promise<MapPickedOutcome> {
    const api = deps.telegram;
    const out: MapPickedOutcome = { edited: 0, waiting: 0 };
    if (!api) return out;
    const rows = (await repo.briefsOf(matchId)).filter(
      (r) => r.status === 'sent' && r.telegram_message_id !== null,
    );
    if (!rows.length) return out;
    const stored = await analyses.loadAnalysis(matchId);
    if (!stored) throw new BriefReportPendingError(`no stored analysis of ${matchId} yet`);
    const view = withPickedMap(stored, map, status);
    await analyses.saveView(matchId, view);
    for (const row of rows) {
      const messageId = row.telegram_message_id as number;
      if ((await analyses.requestStatus(row.chat_id, messageId)) !== 'delivered') {
        out.waiting++;
        continue;
      }
      const named = [...view.teams.faction1.players, ...view.teams.faction2.players].find(
        (p) => p.playerId === row.faceit_player_id,
      );
      const texts = renderBrief(view, {
        locale: row.locale,
        perspective: row.faceit_player_id,
        header: briefHeader(row.locale, named?.nickname ?? row.faceit_player_id ?? ''),
      });
      try {
        await api.editMessageText(row.chat_id, messageId, texts[0], HTML);
        out.edited++;
      } catch (err) {
        if (!refusedForGood(err)) throw err;
        // Not modified (an earlier attempt did it), deleted, or the chat is gone.
        log.info({ chatId: row.chat_id, error: describeTelegramError(err) }, 'brief map edit not applied');
      }
    }
    log.info({ matchId, map, ...out }, 'briefs edited to the picked map');
    if (out.waiting > 0)
      throw new BriefReportPendingError(`${out.waiting} brief(s) of ${matchId} wait for their report`);
    return out;
  }

  return { brief, settle, room, mapPicked, repo };
}
export type BriefSender = ReturnType<typeof createBriefSender>;
