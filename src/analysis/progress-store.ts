/**
 * A running analysis's progress, pushed into Redis by its activities (the rosters once the match is in, each
 * player's line once their stats are), and read by the bot's progress loop once a second. Temporal Cloud bills
 * every query; a Redis read costs nothing there, so the loop queries the workflow only when nothing was pushed
 * (Redis lost, workers older than this file). Writes are best effort: a lost write only leaves the progress
 * message behind; the workflow delivers the outcome into the same message either way.
 */
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { progressLobby } from './model/progress-lines';
import type { MatchInfo } from './model/types';
import type { AnalysisStage, ProgressLine, ProgressLobby } from './workflow-types';

/**
 * Every write renews it; a run that stopped writing (terminated, or waiting minutes for FACEIT slots) loses its
 * snapshot soon, and the loop falls back to the workflow's query.
 */
const TTL_S = 2 * 60;
/** After the run's stats are in, the snapshot only has to tell late loops to step aside. */
const ENDED_TTL_S = 60;

export const progressKey = (matchId: string) => `analysis:progress:${matchId}`;

/** What the bot's loop reads: the stage, the rosters, the lines in, and the messages the run already answered. */
export interface PushedProgress {
  runId: string;
  stage: AnalysisStage;
  done: number;
  total: number;
  lobby?: ProgressLobby;
  lines: Record<string, ProgressLine>;
  /** `<chatId>:<messageId>` of every progress message the run has delivered its outcome into. */
  closed: Set<string>;
}

export interface ProgressWriter {
  /** The match is in: a new snapshot for this run, with the rosters and the number of players. */
  lobby(matchId: string, runId: string, match: MatchInfo, total: number): Promise<void>;
  /** These players' stats are in (or FACEIT had none), by player id. */
  lines(matchId: string, runId: string, lines: Record<string, ProgressLine>): Promise<void>;
  /** Every player is in, or the run ends without a report: the loops step aside. */
  stage(matchId: string, runId: string, stage: AnalysisStage): Promise<void>;
  /** The run delivers its outcome into this progress message: its loop must not edit it again. */
  closed(matchId: string, chatId: number, messageId: number): Promise<void>;
}

export function createProgressWriter(redis: Redis, logger: Logger): ProgressWriter {
  const write = async (what: string, matchId: string, work: (key: string) => Promise<unknown>) => {
    try {
      await work(progressKey(matchId));
    } catch (err) {
      logger.debug({ err, matchId }, `progress ${what} not pushed`);
    }
  };
  return {
    lobby: (matchId, runId, match, total) =>
      write('lobby', matchId, async (key) => {
        // An earlier run's lines go; the marks of messages already answered stay (a Cancel carried out before this
        // run fetched its match must keep its loop from editing over the "cancelled" text).
        const stale = (await redis.hkeys(key)).filter((f) => !f.startsWith('closed:'));
        const tx = redis.multi();
        if (stale.length) tx.hdel(key, ...stale);
        await tx
          .hset(key, {
            run: runId,
            stage: 'fetching-players',
            total: String(total),
            lobby: JSON.stringify(progressLobby(match)),
          })
          .expire(key, TTL_S)
          .exec();
      }),
    lines: (matchId, runId, lines) =>
      write('lines', matchId, async (key) => {
        // A late retry of an earlier run's fetch must not write into this run's snapshot.
        if ((await redis.hget(key, 'run')) !== runId) return;
        const fields = Object.entries(lines).map(([playerId, line]) => [
          `line:${playerId}`,
          JSON.stringify(line),
        ]);
        await redis.multi().hset(key, Object.fromEntries(fields)).expire(key, TTL_S).exec();
      }),
    stage: (matchId, runId, stage) =>
      write('stage', matchId, (key) =>
        redis.multi().hset(key, { run: runId, stage }).expire(key, ENDED_TTL_S).exec(),
      ),
    closed: (matchId, chatId, messageId) =>
      write('closed', matchId, async (key) => {
        await redis.multi().hset(key, `closed:${chatId}:${messageId}`, '1').expire(key, ENDED_TTL_S).exec();
        // A progress edit that began before the mark lands first: the outcome is never edited over.
        const lock = editLockKey(chatId, messageId);
        for (let waited = 0; waited < EDIT_LOCK_MS && (await redis.exists(lock)); waited += 50)
          await new Promise((resolve) => setTimeout(resolve, 50));
      }),
  };
}

/** Longest a progress edit may hold its message (a Telegram call well past this is abandoned by the loop anyway). */
const EDIT_LOCK_MS = 5_000;
const editLockKey = (chatId: number, messageId: number) => `analysis:progress-edit:${chatId}:${messageId}`;
const BEGIN_EDIT_LUA = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1
`;

/**
 * The bot's loop may edit this progress message: false once the run has marked it answered. While it edits, the
 * delivery waits (for at most EDIT_LOCK_MS), so an edit never lands over the outcome. Call `endProgressEdit` after.
 */
export async function beginProgressEdit(
  redis: Redis,
  matchId: string,
  chatId: number,
  messageId: number,
): Promise<boolean> {
  const keys = [progressKey(matchId), editLockKey(chatId, messageId)];
  const ok = await redis.eval(BEGIN_EDIT_LUA, 2, ...keys, `closed:${chatId}:${messageId}`, EDIT_LOCK_MS);
  return ok === 1;
}

export async function endProgressEdit(redis: Redis, chatId: number, messageId: number): Promise<void> {
  await redis.del(editLockKey(chatId, messageId));
}

/** The pushed snapshot of the match's analysis, or null when there is none. */
export async function readPushedProgress(redis: Redis, matchId: string): Promise<PushedProgress | null> {
  const h = await redis.hgetall(progressKey(matchId));
  if (!h.run || !h.stage) return null;
  const lines: Record<string, ProgressLine> = {};
  const closed = new Set<string>();
  for (const [field, value] of Object.entries(h)) {
    if (field.startsWith('line:')) lines[field.slice(5)] = JSON.parse(value) as ProgressLine;
    else if (field.startsWith('closed:')) closed.add(field.slice(7));
  }
  return {
    runId: h.run,
    stage: h.stage as AnalysisStage,
    done: Object.keys(lines).length,
    total: Number(h.total ?? 0),
    lobby: h.lobby ? (JSON.parse(h.lobby) as ProgressLobby) : undefined,
    lines,
    closed,
  };
}
