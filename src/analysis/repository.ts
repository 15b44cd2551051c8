import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { predictedWinner } from './model/prediction';
import type { LobbyAnalysis, PlayerInput } from './model/types';
import type { AnalysisRequester, Refusal } from './workflow-types';

/**
 * Persistence of the lobby analysis: the analysis and its prediction (match_analyses), each request's final status
 * (analysis_requests, with the quota refund of a cancelled, refused or failed request in the same transaction, so a retried
 * activity can never refund twice). The extra report messages' send claims are src/telegram/send-claims.ts.
 */

export type RequestStatus = 'delivered' | 'cancelled' | 'refused' | 'failed';

// A refused match (finished, not found, not two teams) is bad input: it must not cost the user anything.
const REFUNDED: ReadonlySet<RequestStatus> = new Set(['cancelled', 'refused', 'failed']);

const pendingRow = z.object({
  id: z.number(),
  match_id: z.string(),
  telegram_id: z.number(),
  chat_id: z.number(),
  progress_message_id: z.number().nullable(),
  created_at: z.date(),
  language: z.enum(['ru', 'en']),
});
export type PendingRequest = z.infer<typeof pendingRow>;

const playerInputRow = z.object({ player_id: z.string(), input: z.record(z.string(), z.unknown()) });

export function createAnalysisRepository(pool: DatabasePool) {
  return {
    /**
     * Stores a completed analysis and its prediction; a later analysis of the same match replaces the stored view.
     * The first analysis of a match is also its prediction snapshot (match_predictions, insert-once: what
     * /accuracy scores, and only when the database finds it was made before the match started).
     */
    async saveCompleted(input: {
      matchId: string;
      workflowId: string;
      startedAt: number;
      analysis: LobbyAnalysis;
      faceitCalls: number;
      /** FACEIT's started_at of the room the analysis read (epoch ms), null when it had not started. */
      matchStartedAt?: number | null;
      /** A player's fetched history already listed this match: the analysis saw post-match data. */
      ownResultSeen?: boolean;
    }): Promise<void> {
      const a = input.analysis;
      const round4 = (p: number | undefined | null) =>
        p === null || p === undefined ? null : Math.round(p * 10_000) / 10_000;
      // The ELO baseline keeps its column; the model's probability (what the report shows) picks the favourite.
      const p1 = round4(a.winProbability?.faction1);
      const model1 = round4(a.modelWinProbability?.faction1) ?? p1;
      const predicted = predictedWinner(model1);
      const faceit1 = round4(a.faceitWinProbability?.faction1);
      const elo = (x: number | null) => (x === null ? null : Math.round(x));
      await pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`
        INSERT INTO match_analyses (match_id, workflow_id, status, map, faction1_name, faction2_name,
          faction1_avg_elo, faction2_avg_elo, faction1_win_probability, faction1_model_win_probability,
          faction1_faceit_win_probability, predicted_winner, faceit_calls,
          refusal_reason, result, started_at, completed_at)
        VALUES (${input.matchId}, ${input.workflowId}, 'completed', ${a.pickedMap}, ${a.teams.faction1.name},
          ${a.teams.faction2.name}, ${elo(a.teams.faction1.avgElo)}, ${elo(a.teams.faction2.avgElo)}, ${p1},
          ${model1}, ${faceit1}, ${predicted}, ${input.faceitCalls}, NULL, ${sql.jsonb(JSON.parse(JSON.stringify(a)))},
          ${sql.timestamp(new Date(input.startedAt))}, now())
        ON CONFLICT (match_id) DO UPDATE SET
          workflow_id = EXCLUDED.workflow_id, status = 'completed', map = EXCLUDED.map,
          faction1_name = EXCLUDED.faction1_name, faction2_name = EXCLUDED.faction2_name,
          faction1_avg_elo = EXCLUDED.faction1_avg_elo, faction2_avg_elo = EXCLUDED.faction2_avg_elo,
          faction1_win_probability = EXCLUDED.faction1_win_probability,
          faction1_model_win_probability = EXCLUDED.faction1_model_win_probability,
          faction1_faceit_win_probability = EXCLUDED.faction1_faceit_win_probability,
          predicted_winner = EXCLUDED.predicted_winner,
          faceit_calls = EXCLUDED.faceit_calls, refusal_reason = NULL, result = EXCLUDED.result,
          started_at = EXCLUDED.started_at, completed_at = now()`);
        const matchStarted = input.matchStartedAt ? sql.timestamp(new Date(input.matchStartedAt)) : null;
        await tx.query(sql.unsafe`
        INSERT INTO match_predictions (match_id, workflow_id, room_status, own_result_seen, match_started_at,
          faction1_elo_win_probability, faction1_model_win_probability, faction1_faceit_win_probability,
          predicted_winner)
        VALUES (${input.matchId}, ${input.workflowId}, ${(a.status ?? '').toUpperCase() || 'UNKNOWN'},
          ${input.ownResultSeen ?? false}, ${matchStarted}, ${p1}, ${model1}, ${faceit1}, ${predicted})
        ON CONFLICT (match_id) DO NOTHING`);
      });
    },

    /** Records a refused/cancelled/failed run, never over an earlier completed analysis of the match. */
    async saveOutcome(input: {
      matchId: string;
      workflowId: string;
      startedAt: number;
      status: 'refused' | 'cancelled' | 'failed';
      refusal?: Refusal;
      faceitCalls: number;
    }): Promise<void> {
      await pool.query(sql.unsafe`
        INSERT INTO match_analyses (match_id, workflow_id, status, faceit_calls, refusal_reason, started_at, completed_at)
        VALUES (${input.matchId}, ${input.workflowId}, ${input.status}, ${input.faceitCalls},
          ${input.refusal ?? null}, ${sql.timestamp(new Date(input.startedAt))}, now())
        ON CONFLICT (match_id) DO UPDATE SET
          workflow_id = EXCLUDED.workflow_id, status = EXCLUDED.status, faceit_calls = EXCLUDED.faceit_calls,
          refusal_reason = EXCLUDED.refusal_reason, started_at = EXCLUDED.started_at, completed_at = now()
        WHERE match_analyses.status <> 'completed'`);
    },

    /**
     * Replaces the stored view of a completed analysis (the map picked after a brief sent during the vote), so later
     * edits of the brief (its result line) show it. The probability columns, what /accuracy scores, keep the first
     * prediction.
     */
    async saveView(matchId: string, analysis: LobbyAnalysis): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE match_analyses SET result = ${sql.jsonb(JSON.parse(JSON.stringify(analysis)))}, map = ${analysis.pickedMap}
        WHERE match_id = ${matchId} AND status = 'completed'`);
    },

    /** Players' fetched data for a run, in one statement (a retried fetch overwrites its player's row). */
    async savePlayerInputs(
      runId: string,
      inputs: Array<[playerId: string, input: PlayerInput]>,
    ): Promise<void> {
      await pool.query(sql.unsafe`
        INSERT INTO analysis_player_inputs (run_id, player_id, input)
        SELECT ${runId}, player_id, input
        FROM ${sql.unnest(
          inputs.map(([playerId, input]) => [playerId, JSON.stringify(input)]),
          ['text', 'jsonb'],
        )} AS i(player_id, input)
        ON CONFLICT (run_id, player_id) DO UPDATE SET input = EXCLUDED.input, created_at = now()`);
    },

    /** Every player's stored data of a run, by player id. */
    async loadPlayerInputs(runId: string): Promise<Record<string, PlayerInput>> {
      const rows = await pool.any(sql.type(playerInputRow)`
        SELECT player_id, input FROM analysis_player_inputs WHERE run_id = ${runId}`);
      return Object.fromEntries(rows.map((r) => [r.player_id, r.input as unknown as PlayerInput]));
    },

    /** Drops stored player data older than `hours` (runs long over, or cancelled before computing). */
    async sweepPlayerInputs(hours: number): Promise<number> {
      const result = await pool.query(sql.unsafe`
        DELETE FROM analysis_player_inputs WHERE created_at < now() - make_interval(hours => ${hours})`);
      return result.rowCount;
    },

    async loadAnalysis(matchId: string): Promise<LobbyAnalysis | null> {
      const row = await pool.maybeOne(sql.type(z.object({ result: z.unknown() }))`
        SELECT result FROM match_analyses WHERE match_id = ${matchId} AND status = 'completed'`);
      return row?.result ? (row.result as LobbyAnalysis) : null;
    },

    async requestStatus(chatId: number, progressMessageId: number): Promise<string | null> {
      return pool.maybeOneFirst(sql.type(z.object({ status: z.string() }))`
        SELECT status FROM analysis_requests WHERE chat_id = ${chatId} AND progress_message_id = ${progressMessageId}`);
    },

    /**
     * Records the request's final status (a 'pending' row, e.g. written by the bot, is completed; a final row is left
     * as it is) and, for cancelled and failed requests, gives the quota unit back — both in one transaction, and only
     * when this call is the one that settled it. Users unknown to the database (operator runs, benchmarks) have no
     * row and no quota: nothing to record. Returns whether this call settled it, and whether it refunded.
     */
    async settleRequest(
      matchId: string,
      r: AnalysisRequester,
      status: RequestStatus,
    ): Promise<{ settled: boolean; refunded: boolean }> {
      return pool.transaction(async (tx) => {
        const id = await tx.maybeOneFirst(sql.type(z.object({ id: z.number() }))`
          INSERT INTO analysis_requests (match_id, telegram_id, chat_id, progress_message_id, tier, usage_day,
            status, finished_at)
          SELECT ${matchId}, ${r.telegramId}, ${r.chatId}, ${r.progressMessageId}, ${r.tier}, ${r.usageDay}::date,
            ${status}, now()
          WHERE EXISTS (SELECT 1 FROM users WHERE telegram_id = ${r.telegramId})
          ON CONFLICT (chat_id, progress_message_id) DO UPDATE SET status = EXCLUDED.status, finished_at = now()
            WHERE analysis_requests.status = 'pending'
          RETURNING id`);
        if (id === null) return { settled: false, refunded: false };
        // A brief took no quota unit: there is nothing to give back.
        if (!REFUNDED.has(status) || r.brief) return { settled: true, refunded: false };
        // The same statement as usage.refund(telegramId, usageDay), inside this transaction.
        const refunded = await tx.query(sql.unsafe`
          UPDATE daily_usage SET analyses = analyses - 1
          WHERE telegram_id = ${r.telegramId} AND day = ${r.usageDay}::date AND analyses > 0`);
        return { settled: true, refunded: refunded.rowCount > 0 };
      });
    },

    /**
     * Accepts a request durably before anything else happens: the quota unit is consumed and a `pending` row is
     * written in one transaction, so a bot that dies at any later point leaves a row to reconcile (never a lost unit
     * with nothing to show for it). Refused (quota exhausted): nothing is written.
     */
    async acceptRequest(input: {
      matchId: string;
      telegramId: number;
      chatId: number;
      tier: string;
      usageDay: string;
      limit: number;
    }): Promise<{ allowed: true; used: number; requestId: number } | { allowed: false; used: number }> {
      return pool.transaction(async (tx) => {
        const used = await tx.maybeOneFirst(sql.type(z.object({ analyses: z.number() }))`
          INSERT INTO daily_usage (telegram_id, day, analyses)
          SELECT ${input.telegramId}, ${input.usageDay}::date, 1 WHERE ${input.limit} > 0
          ON CONFLICT (telegram_id, day) DO UPDATE SET analyses = daily_usage.analyses + 1
            WHERE daily_usage.analyses < ${input.limit}
          RETURNING analyses`);
        if (used === null) {
          const now = await tx.maybeOneFirst(sql.type(z.object({ analyses: z.number() }))`
            SELECT analyses FROM daily_usage WHERE telegram_id = ${input.telegramId} AND day = ${input.usageDay}::date`);
          return { allowed: false as const, used: now ?? 0 };
        }
        const requestId = await tx.oneFirst(sql.type(z.object({ id: z.number() }))`
          INSERT INTO analysis_requests (match_id, telegram_id, chat_id, tier, usage_day, status)
          VALUES (${input.matchId}, ${input.telegramId}, ${input.chatId}, ${input.tier}, ${input.usageDay}::date, 'pending')
          RETURNING id`);
        return { allowed: true as const, used, requestId };
      });
    },

    /** The pending request's progress message, once Telegram has it (the workflow settles rows by it). */
    async attachProgressMessage(requestId: number, progressMessageId: number): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE analysis_requests SET progress_message_id = ${progressMessageId} WHERE id = ${requestId}`);
    },

    /**
     * Settles a still-pending request by id as failed and gives its unit back, in one transaction; false when it was
     * settled already (by the workflow, or another reconciler).
     */
    async failPending(requestId: number): Promise<boolean> {
      return pool.transaction(async (tx) => {
        const row = await tx.maybeOne(sql.type(z.object({ telegram_id: z.number(), usage_day: z.string() }))`
          UPDATE analysis_requests SET status = 'failed', finished_at = now()
          WHERE id = ${requestId} AND status = 'pending'
          RETURNING telegram_id, to_char(usage_day, 'YYYY-MM-DD') AS usage_day`);
        if (!row) return false;
        await tx.query(sql.unsafe`
          UPDATE daily_usage SET analyses = analyses - 1
          WHERE telegram_id = ${row.telegram_id} AND day = ${row.usage_day}::date AND analyses > 0`);
        return true;
      });
    },

    /**
     * Whether a message with this user's Cancel button is a copy of a progress message whose answer Telegram lost
     * (./first-reply.ts): no request is attached to it, while this user's request for the match in this chat is
     * attached to another message or already settled. A request still pending without a message (the bot is between
     * the send and the attach) does not count, so a live progress message is never taken for a copy.
     */
    async isLostCopy(input: {
      chatId: number;
      telegramId: number;
      matchId: string;
      messageId: number;
    }): Promise<boolean> {
      const row = await pool.one(sql.type(z.object({ known: z.boolean(), elsewhere: z.boolean() }))`
        SELECT
          EXISTS (SELECT 1 FROM analysis_requests
            WHERE chat_id = ${input.chatId} AND progress_message_id = ${input.messageId}) AS known,
          EXISTS (SELECT 1 FROM analysis_requests
            WHERE chat_id = ${input.chatId} AND telegram_id = ${input.telegramId} AND match_id = ${input.matchId}
              AND (progress_message_id IS NOT NULL OR status <> 'pending')) AS elsewhere`);
      return !row.known && row.elsewhere;
    },

    /** Requests still pending after `olderThanMs`: the reconciler's work list, oldest first. */
    stalePending(olderThanMs: number, limit = 100) {
      return pool.any(sql.type(pendingRow)`
        SELECT r.id, r.match_id, r.telegram_id, r.chat_id, r.progress_message_id, r.created_at, u.language
        FROM analysis_requests r JOIN users u USING (telegram_id)
        WHERE r.status = 'pending' AND r.created_at < now() - make_interval(secs => ${olderThanMs / 1000})
        ORDER BY r.created_at LIMIT ${limit}`);
    },
  };
}
export type AnalysisRepository = ReturnType<typeof createAnalysisRepository>;
