import { setHandler } from '@temporalio/workflow';
import {
  broadcastProgressQuery,
  cancelBroadcastUpdate,
  pauseBroadcastUpdate,
  resumeBroadcastUpdate,
} from '../workflow-types';
import type { BroadcastRun } from './state';

/**
 * The progress query and the Pause / Resume / Cancel updates (each answers with the new progress; refused once the
 * broadcast is finishing). They take effect between batches.
 */
export function installHandlers(run: BroadcastRun): void {
  const validator = () => run.assertOpen();
  setHandler(broadcastProgressQuery, () => run.progress());
  setHandler(pauseBroadcastUpdate, () => run.pause(), { validator });
  setHandler(resumeBroadcastUpdate, () => run.resume(), { validator });
  setHandler(cancelBroadcastUpdate, () => run.cancel(), { validator });
}
