import type { MigrationCheckpoint } from './types';

/** Building and advancing the checkpoint that travels with the workflow and is committed with each batch. */

const MAX_WARNING_KINDS = 100;

export function mergeWarnings(into: Record<string, number>, kinds: string[]): Record<string, number> {
  const merged = { ...into };
  for (const kind of kinds) {
    const key = kind in merged || Object.keys(merged).length < MAX_WARNING_KINDS ? kind : 'other';
    merged[key] = (merged[key] ?? 0) + 1;
  }
  return merged;
}

export function freshCheckpoint(fileSize: number, fileSha256: string): MigrationCheckpoint {
  return {
    phase: 'migrating',
    batches: 0,
    offset: 0,
    position: 0,
    fileSize,
    fileSha256,
    counters: { read: 0, migrated: 0, duplicatesMerged: 0, rejected: 0, changed: 0 },
    warnings: {},
    verify: { offset: 0, position: 0, checked: 0, mismatches: 0, sampleIds: [] },
    timing: { resumedAtMs: 0, readAtResume: 0, bytesAtResume: 0, lastCommitMs: 0 },
  };
}

/** Rate and ETA are measured from this (re)start, so downtime before a resume does not distort them. */
export function withResumeTiming(checkpoint: MigrationCheckpoint): MigrationCheckpoint {
  const now = Date.now();
  const bytes = checkpoint.phase === 'verifying' ? checkpoint.verify.offset : checkpoint.offset;
  const read = checkpoint.phase === 'verifying' ? checkpoint.verify.position : checkpoint.counters.read;
  return {
    ...checkpoint,
    timing: { resumedAtMs: now, readAtResume: read, bytesAtResume: bytes, lastCommitMs: now },
  };
}
