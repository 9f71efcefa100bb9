import type { PushMessage } from '../index.ts';
import type { FileEntry } from './file-entry.ts';
import type { NumberedLine } from './line-reader.ts';

/**
 * Turns NDJSON lines into messages: one JSON message object per line, blank lines skipped. Any
 * field is passed through (the service adds fields over time); validation judges the rest.
 * @param defaults - fields every message starts from (the message flags); the line's fields win.
 */
export async function* ndjsonEntries(lines: AsyncIterable<NumberedLine>, defaults: Partial<PushMessage>): AsyncGenerator<FileEntry> {
  const hasDefaults = Object.keys(defaults).length > 0;
  for await (const { line, text } of lines) {
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { line, problems: [{ line, path: '', message: `is not valid JSON: ${(error as Error).message}` }] };
      continue;
    }
    // Anything but an object is left as it is, for validation to say what a message must be.
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    yield { line, message: (hasDefaults && isObject ? { ...defaults, ...(parsed as object) } : parsed) as PushMessage };
  }
}
