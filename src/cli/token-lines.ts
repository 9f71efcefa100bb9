import type { PushMessage } from '../index.ts';
import type { FileEntry } from './file-entry.ts';
import type { NumberedLine } from './line-reader.ts';

/**
 * Turns a file of tokens, one per line, into one message per token built from `message` (the
 * message flags). Surrounding whitespace is trimmed, as exports from databases and spreadsheets
 * tend to carry it, and blank lines are skipped.
 */
export async function* tokenEntries(lines: AsyncIterable<NumberedLine>, message: Partial<PushMessage>): AsyncGenerator<FileEntry> {
  for await (const { line, text } of lines) {
    const token = text.trim();
    if (token === '') continue;
    yield { line, message: { ...message, to: token } };
  }
}
