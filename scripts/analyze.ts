/**
 * Operator entry: `npm run analyze -- <room URL | match id> [--locale en|ru] [--tier critical|high|default|low]
 * [--lifetime auto|always]` runs the lobby-analysis workflow through Temporal (the workers of `npm run dev` or
 * production), shows its progress, then prints the report as plain text, the time per stage and the FACEIT calls.
 * Operator work runs on the critical tier by default. TEMPORAL_ADDRESS defaults to 127.0.0.1:7233 (the dev run).
 */
import { parseArgs } from 'node:util';
import { QUEUE_TIERS, loadConfigOrExit, taskQueueFor, type QueueTier } from '../src/config';
import {
  analysisSearchAttributes,
  analysisWorkflowInput,
  parseMatchReference,
  queryAnalysisState,
  type AnalysisStage,
  type AnalysisState,
  type LifetimePolicy,
  type lobbyAnalysisWorkflow,
} from '../src/analysis';
import { createTemporalClient } from '../src/temporal/client';

const STAGES: AnalysisStage[] = [
  'queued',
  'fetching-match',
  'fetching-players',
  'analysing',
  'delivering',
  'done',
];

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      locale: { type: 'string', default: 'en' },
      tier: { type: 'string', default: 'critical' },
      lifetime: { type: 'string', default: 'always' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const matchId = parseMatchReference(positionals.join(' '));
  if (values.help || !matchId) {
    console.error(
      'usage: npm run analyze -- <room URL | match id> [--locale en|ru] [--tier critical] [--lifetime auto|always]',
    );
    process.exit(values.help ? 0 : 64);
  }
  const locale = values.locale === 'ru' ? 'ru' : 'en';
  const tier = (QUEUE_TIERS as readonly string[]).includes(values.tier ?? '')
    ? (values.tier as QueueTier)
    : 'critical';
  const lifetime: LifetimePolicy = values.lifetime === 'always' ? 'always' : 'auto';

  const config = loadConfigOrExit();
  const address = config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const client = await createTemporalClient({ address, namespace: config.TEMPORAL_NAMESPACE });
  // Its own workflow id: an operator run never joins (or is joined by) users' analyses, only shares the cache.
  const workflowId = `analysis-${matchId}-operator-${Date.now()}`;
  const taskQueue = taskQueueFor(config, tier);
  const started = Date.now();
  const handle = await client.workflow.start<typeof lobbyAnalysisWorkflow>('lobbyAnalysisWorkflow', {
    workflowId,
    taskQueue,
    args: [analysisWorkflowInput(config, matchId, tier, { operator: { locale }, lifetime })],
    workflowExecutionTimeout: '15 minutes',
    typedSearchAttributes: analysisSearchAttributes(matchId, 'operator'),
  });
  console.error(`workflow ${workflowId} on ${taskQueue} (Temporal ${address})`);

  let last = '';
  let warned = false;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const s = await queryAnalysisState(client, workflowId).catch(() => {
        if (!warned && Date.now() - started > 5_000) {
          warned = true;
          console.error(
            `  no answer yet: is a worker polling ${taskQueue}? (npm run dev, or npm run worker)`,
          );
        }
        return null;
      });
      const line = s ? `${s.stage}${s.total ? ` ${s.done}/${s.total}` : ''}` : last;
      if (line !== last) console.error(`  ${((Date.now() - started) / 1000).toFixed(2)} s  ${line}`);
      last = line;
      if (polling) await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const result = await handle.result().finally(() => (polling = false));
  await poll;
  const state = (await queryAnalysisState(client, workflowId).catch(() => null)) ?? undefined;
  await client.connection.close();

  console.log();
  if (result.reportText) console.log(result.reportText);
  else console.log(`No report: ${result.stage}${result.refusal ? ` (${result.refusal})` : ''}`);
  console.log();
  console.log('Stage              ms');
  for (const [stage, ms] of stageDurations(result.stageAt, result.finishedAt ?? Date.now())) {
    console.log(`${stage.padEnd(18)} ${String(ms).padStart(6)}`);
  }
  console.log(
    `${'total'.padEnd(18)} ${String((result.finishedAt ?? Date.now()) - result.startedAt).padStart(6)}`,
  );
  console.log(`end to end (this script): ${Date.now() - started} ms`);
  console.log(
    `FACEIT calls spent: ${result.faceitCalls} (served from the cache: ${result.cacheHits}` +
      `${state?.noDataPlayers ? `; players without data: ${state.noDataPlayers}` : ''})`,
  );
}

function stageDurations(stageAt: AnalysisState['stageAt'], end: number): Array<[string, number]> {
  const seen = [...STAGES, 'refused', 'cancelled', 'failed']
    .map((s) => [s, stageAt[s as AnalysisStage]] as const)
    .filter((e): e is readonly [string, number] => e[1] !== undefined)
    .sort((a, b) => a[1] - b[1]);
  return seen.map(([stage, at], i) => [stage, (seen[i + 1]?.[1] ?? end) - at]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
