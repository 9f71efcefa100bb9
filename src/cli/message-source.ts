import { createReadStream } from 'node:fs';
import type { PushMessage } from '../index.ts';
import { csvEntries } from './csv-messages.ts';
import { parseCsv } from './csv-parser.ts';
import type { FileEntry } from './file-entry.ts';
import type { FileFormat } from './file-format.ts';
import { readNumberedLines } from './line-reader.ts';
import { ndjsonEntries } from './ndjson-messages.ts';
import { tokenEntries } from './token-lines.ts';

/**
 * Streams the messages of an input file, one at a time, with their line numbers. The file is read
 * afresh on every call, which is what lets `send` validate it in one pass and send it in a second
 * without ever holding it whole. A read error (say, the file vanished between the passes) rejects
 * the loop.
 * @param defaults - the message flags: the whole message for a token file, defaults otherwise.
 */
export async function* readFileEntries(path: string, format: FileFormat, defaults: Partial<PushMessage>): AsyncGenerator<FileEntry> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    if (format === 'csv') yield* csvEntries(parseCsv(stream as AsyncIterable<string>), defaults);
    else if (format === 'ndjson') yield* ndjsonEntries(readNumberedLines(stream), defaults);
    else yield* tokenEntries(readNumberedLines(stream), defaults);
  } finally {
    // Reached early when the consumer stops (a break, an abort): release the file descriptor.
    stream.destroy();
  }
}
