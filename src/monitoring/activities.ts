import { Context } from '@temporalio/activity';
import { createEloSnapshotsRepository } from '../db/repositories/elo-snapshots';
import { cs2Of, FaceitNotFoundError, toActivityFailure } from '../faceit';
import { heartbeating } from '../temporal/activity';
import { type CheckerOptions, type CheckOutcome, createChecker, type MonitoringActivityDeps } from './check';
import { parsePlayerQuery } from './query';

export type { MonitoringActivityDeps };
import { type CyclePlan, type CyclePlanOverrides, MONITORING_DEFAULTS, planCycle } from './settings';

/** Monitoring's activities (registered on every tier's worker; the workflows call them on the LOW queue). */

export interface CyclePlanResult extends CyclePlan {
  /** Players due at the start of the cycle (tracked by at least one active chat). */
  due: number;
  /** Polling rows created for tracked players that had none, and removed for players nobody tracks. */
  added: number;
  removed: number;
}

export interface CheckPlayersInput {
  playerIds: string[];
  /** Start of the cycle (epoch ms): the base of each player's next check. */
  base?: number;
  /** Webhook: the match that just finished (players whose list lacks it are reported as missing). */
  expectMatchId?: string;
}

export interface CheckPlayersResult {
  checked: number;
  notified: number;
  calls: number;
  /** Of `calls`: history pages read for pre-match briefs. */
  briefCalls: number;
  /** Pre-match briefs sent. */
  briefs: number;
  failed: number;
  /** Players another checker was busy with. */
  busy: string[];
  /** Players whose FACEIT list does not show `expectMatchId` yet. */
  missing: string[];
  /** The FACEIT budget was taken by user requests: the batch stopped early and gave its players back. */
  saturated: boolean;
  released: number;
}

export type ResolvePlayerResult =
  | { found: true; playerId: string; nickname: string; elo?: number; level?: number }
  | { found: false; reason: 'not-found' | 'no-cs2' | 'invalid' };

export interface MonitoringActivityOptions extends CheckerOptions {
  /** Players checked at once inside a batch (default MONITORING_DEFAULTS.playerConcurrency). */
  playerConcurrency?: number;
}

export function createMonitoringActivities(
  deps: MonitoringActivityDeps,
  options: MonitoringActivityOptions = {},
) {
  const checker = createChecker(deps, options);
  const { repo } = checker;
  const eloRepo = createEloSnapshotsRepository(deps.pool);
  const log = deps.logger.child({ component: 'monitoring' });

  return {
    async monitoringPlanCycle(overrides: CyclePlanOverrides = {}): Promise<CyclePlanResult> {
      const plan = planCycle(deps.config, overrides);
      if (!deps.telegram) {
        log.warn('BOT_TOKEN is not set: monitoring cycles do nothing');
        return { ...plan, maxPlayers: 0, due: 0, added: 0, removed: 0 };
      }
      const sync = await repo.syncWatches();
      return { ...plan, due: await repo.countDue(), ...sync };
    },

    async monitoringClaimDue(input: { limit: number; leaseMs: number }): Promise<string[]> {
      if (input.limit <= 0) return [];
      return [...(await repo.claimDue(input.limit, input.leaseMs))];
    },

    async monitoringReleasePlayers(input: { playerIds: string[] }): Promise<void> {
      await repo.releaseWatches(input.playerIds);
    },

    async monitoringCountDue(): Promise<number> {
      return repo.countDue();
    },

    /**
     * Checks a batch of players, a few at a time, heartbeating which are done: a retry after a crash (heartbeat
     * timeout) skips them, and re-checking the one that was in flight is safe (claims, forward-only cursors).
     */
    async monitoringCheckPlayers(input: CheckPlayersInput): Promise<CheckPlayersResult> {
      const ctx = Context.current();
      const previous = ctx.info.heartbeatDetails as { done?: string[] } | undefined;
      const done = new Set<string>(previous?.done ?? []);
      const token = `${ctx.info.workflowExecution?.workflowId ?? 'standalone'}/${ctx.info.activityId}`;
      const queue = input.playerIds.filter((id) => !done.has(id));
      const results: CheckOutcome[] = [];
      let saturated = false;
      const loop = { firstAfterMs: 1_000, everyMs: 1_000, details: () => ({ done: [...done] }) };
      return heartbeating(loop, async (_ctx, beat) => {
        const lane = async () => {
          while (queue.length && !saturated) {
            ctx.cancellationSignal.throwIfAborted();
            const playerId = queue.shift() as string;
            const outcome = await checker.checkPlayer({
              playerId,
              base: input.base ?? Date.now(),
              expectMatchId: input.expectMatchId,
              lockToken: token,
              signal: ctx.cancellationSignal,
            });
            results.push(outcome);
            done.add(playerId);
            if (outcome.status === 'saturated') saturated = true;
            beat();
          }
        };
        const width = Math.max(1, options.playerConcurrency ?? MONITORING_DEFAULTS.playerConcurrency);
        await Promise.all(Array.from({ length: Math.min(width, queue.length) }, lane));
        const released = queue.splice(0);
        await repo.releaseWatches(released);
        return {
          checked: results.filter((r) => r.status === 'ok').length,
          notified: results.reduce((n, r) => n + r.notified, 0),
          calls: results.reduce((n, r) => n + r.calls, 0),
          briefCalls: results.reduce((n, r) => n + r.briefCalls, 0),
          briefs: results.reduce((n, r) => n + r.briefs, 0),
          failed: results.filter((r) => r.status === 'failed').length,
          busy: results.filter((r) => r.status === 'busy').map((r) => r.playerId),
          missing: results.filter((r) => r.missing).map((r) => r.playerId),
          saturated,
          released: released.length,
        };
      });
    },

    /**
     * `match_status_ready` for tracked players: their ELO right before the match (the exact base of its ELO change)
     * and an early next check, in case the "finished" webhook never comes.
     */
    async monitoringNoteMatchReady(input: {
      matchId: string;
      playerIds: string[];
    }): Promise<{ recorded: number }> {
      const ctx = Context.current();
      let recorded = 0;
      for (const playerId of input.playerIds) {
        try {
          const player = await deps.faceit.getPlayer(playerId, {
            priority: 'low',
            cache: false,
            signal: ctx.cancellationSignal,
            maxWaitMs: MONITORING_DEFAULTS.faceitMaxWaitMs,
          });
          const cs2 = cs2Of(player);
          if (cs2?.faceit_elo === undefined) continue;
          recorded += await eloRepo.record([
            {
              playerId,
              elo: cs2.faceit_elo,
              level: cs2.skill_level ?? null,
              source: 'webhook',
              matchId: input.matchId,
            },
          ]);
        } catch (err) {
          throw toActivityFailure(err);
        }
      }
      // A CS2 match takes 30–50 minutes: look again around its end.
      await repo.checkSoon(input.playerIds, new Date(Date.now() + 25 * 60_000));
      return { recorded };
    },

    /** /track <nickname | profile link>: the FACEIT player behind it, with a first ELO snapshot. */
    async monitoringResolvePlayer(input: { query: string }): Promise<ResolvePlayerResult> {
      const nickname = parsePlayerQuery(input.query);
      if (!nickname) return { found: false, reason: 'invalid' };
      try {
        const player = await deps.faceit.getPlayerByNickname(nickname, {
          priority: 'default',
          signal: Context.current().cancellationSignal,
        });
        const cs2 = cs2Of(player);
        if (!cs2) return { found: false, reason: 'no-cs2' };
        if (cs2.faceit_elo !== undefined) {
          await eloRepo.record([
            {
              playerId: player.player_id,
              elo: cs2.faceit_elo,
              level: cs2.skill_level ?? null,
              source: 'monitoring',
            },
          ]);
        }
        return {
          found: true,
          playerId: player.player_id,
          nickname: player.nickname,
          elo: cs2.faceit_elo,
          level: cs2.skill_level,
        };
      } catch (err) {
        if (err instanceof FaceitNotFoundError) return { found: false, reason: 'not-found' };
        throw toActivityFailure(err);
      }
    },
  };
}
export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;
