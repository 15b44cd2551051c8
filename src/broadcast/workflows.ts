import type { BroadcastReport } from './model/progress';
import type { BroadcastWorkflowInput } from './workflow-types';
import { installHandlers } from './workflow/handlers';
import { followPauses, ProgressMessage } from './workflow/progress';
import { continueInNewRun, finish, prepare, sendInStreams, sweep } from './workflow/stages';
import { BroadcastRun } from './workflow/state';

/**
 * One broadcast: freeze the audience, then send in batches of about two seconds each until nobody is pending.
 * The delivery rows in PostgreSQL are the state (who got it, exactly once); the workflow only carries the counts,
 * so it continues as new every `batchesPerRun` batches and 100,000 recipients never make one long history.
 * Pause / Resume / Cancel take effect between batches (within about four seconds).
 *
 * The steps live in `workflow/`: the run's state (state.ts), the query and update handlers (handlers.ts), the
 * progress message and the presenter that follows pause and resume (progress.ts), the stages (stages.ts) and the
 * activity options (options.ts).
 */
export async function broadcastWorkflow(input: BroadcastWorkflowInput): Promise<BroadcastReport> {
  const run = new BroadcastRun(input);
  installHandlers(run);
  const message = new ProgressMessage(run);
  await prepare(run, message);

  const presenting = followPauses(run, message);
  // A run continued from the final sweep has nothing left to hand out: it sweeps again at once.
  if (!run.carry.sweeping) await sendInStreams(run, message);
  if (run.stopForNewRun && !run.ended()) await continueInNewRun(run, presenting, message);

  await sweep(run, presenting, message);
  return finish(run, presenting, message);
}
