import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Standard input copied to a temporary file, and how to get rid of it. */
export interface SpooledInput {
  /** The temporary file. */
  readonly path: string;
  /** Deletes it (and its directory). */
  remove(): Promise<void>;
}

/**
 * Copies standard input to a temporary file, streaming, so `send --file -` can read it twice (once
 * to validate, once to send) like any other file without holding it in memory.
 */
export async function spoolToTempFile(input: Readable): Promise<SpooledInput> {
  const directory = await mkdtemp(join(tmpdir(), 'expo-push-'));
  const path = join(directory, 'stdin');
  const remove = () => rm(directory, { recursive: true, force: true });
  try {
    await pipeline(input, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
