import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { MigrationFileError } from './reader';
import type { MigrationCheckpoint } from './types';

/** The legacy file as the worker sees it: its size and content hash identify it for the whole run. */

export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    throw new MigrationFileError(`cannot read ${file} on worker: ${(err as Error).message}`);
  }
}

export async function assertUnchanged(file: string, checkpoint: MigrationCheckpoint): Promise<void> {
  if ((await fileSize(file)) !== checkpoint.fileSize) {
    throw new MigrationFileError(`${file} changed size since the run started; start a new run`);
  }
}

/** SHA-256 of the file, streamed, heartbeating so a large file does not look like a stuck activity. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    Context.current().heartbeat(bytes);
  }
  return hash.digest('hex');
}
