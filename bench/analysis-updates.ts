/**
 * `npm run bench:analysis-updates [-- --samples 40 --latency-ms 1500]`
 *
 * What joining and cancelling by Workflow Update cost, on a throw-away stack (bench/stack.ts: Temporal dev server,
 * PostgreSQL, Redis, workers of every tier, the FACEIT and Telegram emulators). Per sample, on a fresh match id (the
 * match fetch takes --latency-ms, so the run is still fetching while it is joined and cancelled):
 *
 *  - start: `requestAnalysis` (update-with-start), call → the workflow's answer `started`;
 *  - join: a second requester, → `joined`;
 *  - forged cancel: the first requester's message, another Telegram id → refused `not-yours` by the validator, and
 *    the history events it added (a refused update runs on a speculative workflow task: none);
 *  - cancel: the joiner withdraws → `cancelled`;
 *  - legacy: the old signal-with-start on another fresh id (the server's acknowledgement only: no worker answers).
 *
 * Prints p50 / p95 / max per step (ms); the last stdout line is the result as JSON.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Api } from 'grammy';
import {
  analysisSearchAttributes,
  analysisWorkflowId,
  analysisWorkflowInput,
  cancelAnalysis,
  requestAnalysis,
  type AnalysisRequester,
} from '../src/analysis/client';
import { renderProgress } from '../src/analysis/render';
import { joinAnalysisSignal } from '../src/analysis/workflow-types';
import type { lobbyAnalysisWorkflow } from '../src/analysis/workflows';
import { BENCH_BOT_TOKEN, startBenchStack, type BenchStack } from './stack';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '40' },
    'latency-ms': { type: 'string', default: '1500' },
  },
});
const SAMPLES = Number(values.samples);
const LATENCY_MS = Number(values['latency-ms']);

type Step = 'start' | 'join' | 'forgedCancel' | 'cancel' | 'legacySignalWithStart';

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return {
    n: s.length,
    p50: Math.round(at(0.5)),
    p95: Math.round(at(0.95)),
    max: Math.round(s[s.length - 1]),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function main(): Promise<void> {
  const stack: BenchStack = await startBenchStack({ name: 'updates', rate: 10, latencyMs: LATENCY_MS });
  try {
    const api = new Api(BENCH_BOT_TOKEN, { apiRoot: stack.tg.apiRoot });
    let nextId = 7_000_000_000;
    async function requester(): Promise<AnalysisRequester> {
      const id = nextId++;
      const m = await api.sendMessage(id, renderProgress(0, 10, 'en'));
      return {
        telegramId: id,
        chatId: id,
        progressMessageId: m.message_id,
        locale: 'en',
        tier: 'free',
        usageDay: new Date().toISOString().slice(0, 10),
      };
    }
    const times: Record<Step, number[]> = {
      start: [],
      join: [],
      forgedCancel: [],
      cancel: [],
      legacySignalWithStart: [],
    };
    let refusedEvents = 0;
    const unexpected: string[] = [];

    for (let i = 0; i < SAMPLES; i++) {
      const matchId = `1-${randomUUID()}`;
      const [a, b, stranger] = [await requester(), await requester(), await requester()];
      const [started, tStart] = await timed(() => requestAnalysis(stack.client, stack.config, matchId, a));
      const [joined, tJoin] = await timed(() => requestAnalysis(stack.client, stack.config, matchId, b));
      const handle = stack.client.workflow.getHandle(analysisWorkflowId(matchId));
      const before = (await handle.fetchHistory()).events?.length ?? 0;
      const [forged, tForged] = await timed(() =>
        cancelAnalysis(stack.client, matchId, { ...a, telegramId: stranger.telegramId }),
      );
      refusedEvents += ((await handle.fetchHistory()).events?.length ?? 0) - before;
      const [cancelled, tCancel] = await timed(() => cancelAnalysis(stack.client, matchId, b));
      if (started.outcome !== 'started') unexpected.push(`start: ${started.outcome}`);
      if (joined.outcome !== 'joined') unexpected.push(`join: ${joined.outcome}`);
      if (forged.status !== 'refused' || forged.reason !== 'not-yours')
        unexpected.push(`forged: ${JSON.stringify(forged)}`);
      if (cancelled.status !== 'cancelled') unexpected.push(`cancel: ${JSON.stringify(cancelled)}`);
      times.start.push(tStart);
      times.join.push(tJoin);
      times.forgedCancel.push(tForged);
      times.cancel.push(tCancel);

      // The old request path, for comparison: the server's acknowledgement of a signal-with-start.
      const legacyId = `1-${randomUUID()}`;
      const c = await requester();
      const [legacy, tLegacy] = await timed(() =>
        stack.client.workflow.signalWithStart<typeof lobbyAnalysisWorkflow, [AnalysisRequester]>(
          'lobbyAnalysisWorkflow',
          {
            workflowId: analysisWorkflowId(legacyId),
            taskQueue: stack.config.TASK_QUEUE_DEFAULT,
            args: [analysisWorkflowInput(stack.config, legacyId, 'default')],
            signal: joinAnalysisSignal,
            signalArgs: [c],
            typedSearchAttributes: analysisSearchAttributes(legacyId, c.tier, c.telegramId),
          },
        ),
      );
      times.legacySignalWithStart.push(tLegacy);
      await legacy.terminate('bench: comparison only');
      await handle.terminate('bench: sample measured').catch(() => undefined);
    }

    const result = {
      samples: SAMPLES,
      faceitLatencyMs: LATENCY_MS,
      ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)])),
      historyEventsAddedByRefusedCancels: refusedEvents,
      unexpected,
    };
    const rows = Object.entries(result.ms).map(
      ([k, s]) =>
        `${k.padEnd(24)} p50 ${String(s.p50).padStart(5)} ms  p95 ${String(s.p95).padStart(5)} ms  max ${String(s.max).padStart(5)} ms`,
    );
    console.log(
      [
        `join / cancel by Workflow Update: ${SAMPLES} samples, FACEIT match fetch ${LATENCY_MS} ms`,
        ...rows,
        `history events added by ${SAMPLES} refused (forged) cancels: ${refusedEvents}`,
        `unexpected answers: ${unexpected.length ? unexpected.join('; ') : 'none'}`,
      ].join('\n'),
    );
    console.log(JSON.stringify(result));
    if (unexpected.length) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
