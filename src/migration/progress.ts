import type { MigrationCheckpoint, MigrationProgress } from './types';

/** What the progress query answers, from the last committed checkpoint (pure: runs inside the workflow). */
export function progressOf(
  runId: string,
  checkpoint: MigrationCheckpoint | undefined,
  state: { paused: boolean; dryRun: boolean },
): MigrationProgress {
  const { paused } = state;
  if (!checkpoint) {
    return {
      runId,
      phase: 'preparing',
      paused,
      ...{ read: 0, migrated: 0, duplicatesMerged: 0, rejected: 0, changed: 0 },
      ...{ bytes: 0, fileSize: 0, verified: 0, ratePerSecond: 0, etaSeconds: null },
    };
  }
  const { counters, timing, verify, fileSize } = checkpoint;
  const verifying = checkpoint.phase === 'verifying';
  const bytes = verifying ? verify.offset : checkpoint.offset;
  const done = verifying ? verify.position : counters.read;
  const seconds = (timing.lastCommitMs - timing.resumedAtMs) / 1000;
  const rate = seconds > 0 ? (done - timing.readAtResume) / seconds : 0;
  const bytesPerSecond = seconds > 0 ? (bytes - timing.bytesAtResume) / seconds : 0;
  // While migrating, the verification pass (another read of the file) is still ahead.
  const remaining = fileSize - bytes + (checkpoint.phase === 'migrating' && !state.dryRun ? fileSize : 0);
  const finished = checkpoint.phase === 'finishing' || checkpoint.phase === 'completed';
  return {
    runId,
    phase: checkpoint.phase,
    paused,
    ...counters,
    bytes,
    fileSize,
    verified: verify.checked,
    ratePerSecond: Math.round(rate),
    etaSeconds: finished ? 0 : bytesPerSecond > 0 ? Math.round(remaining / bytesPerSecond) : null,
  };
}
