import type { Readable } from 'node:stream';
import { readNumberedLines } from './line-reader.ts';
import { UsageError } from './usage-error.ts';

/** A receipt id to look up, with its token and input line when known. */
export interface ReceiptIdLine {
  readonly id: string;
  readonly token: string | undefined;
  readonly line: number;
}

/**
 * Reads the receipt ids of `receipts --file`: a bare id per line, or a JSON object per line with an
 * `id` (and optionally a `token`), so the `--json` output of `send` can be fed back as it is. Its
 * records other than tickets (`summary`, `failure`, …) and tickets without an id (most error
 * tickets) are skipped. Blank lines are skipped.
 * @throws {UsageError} for a line that is neither, naming its number.
 */
export async function readReceiptIds(input: Readable): Promise<ReceiptIdLine[]> {
  const ids: ReceiptIdLine[] = [];
  for await (const { line, text } of readNumberedLines(input)) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('{')) {
      if (/\s/.test(trimmed)) throw new UsageError(`line ${line}: expected a receipt id or a JSON ticket, got ${JSON.stringify(trimmed)}`);
      ids.push({ id: trimmed, token: undefined, line });
      continue;
    }
    let record: { type?: unknown; id?: unknown; token?: unknown };
    try {
      record = JSON.parse(trimmed) as typeof record;
    } catch (error) {
      throw new UsageError(`line ${line}: is not valid JSON: ${(error as Error).message}`);
    }
    if (record.type !== undefined && record.type !== 'ticket') continue;
    if (record.id === undefined) continue;
    if (typeof record.id !== 'string' || record.id === '') throw new UsageError(`line ${line}: "id" must be a non-empty string`);
    ids.push({ id: record.id, token: typeof record.token === 'string' ? record.token : undefined, line });
  }
  return ids;
}
