import type { PushMessage } from '../index.ts';
import type { CsvRecord } from './csv-parser.ts';
import type { FileEntry, LineProblem } from './file-entry.ts';
import { fieldForName, MESSAGE_FIELD_NAMES, readFieldValue } from './message-fields.ts';
import { UsageError } from './usage-error.ts';

/**
 * Turns CSV records into messages. The first record is the header: each column names a message
 * field (`to`, `title`, `channelId` or `channel-id`, …), and `to` is required. An unknown column is
 * an error rather than a field sent as-is, because a misspelt `tilte` would otherwise silently send
 * notifications without a title. Empty cells leave their field out.
 * @param defaults - fields every message starts from (the message flags); the file's cells win.
 * @throws {UsageError} when the header is missing or malformed, names an unknown or repeated
 *   column, or has no `to` column.
 */
export async function* csvEntries(records: AsyncIterable<CsvRecord>, defaults: Partial<PushMessage>): AsyncGenerator<FileEntry> {
  let columns: string[] | undefined;
  for await (const record of records) {
    if (columns === undefined) {
      columns = readHeader(record);
      continue;
    }
    yield entryOf(record, columns, defaults);
  }
  if (columns === undefined) throw new UsageError('the CSV file is empty: it needs a header line naming message fields, such as to,title,body');
}

function readHeader(record: CsvRecord): string[] {
  if (record.problem !== undefined) throw new UsageError(`line ${record.line}: the CSV header ${record.problem}`);
  const columns: string[] = [];
  for (const name of record.fields) {
    const field = fieldForName(name);
    if (field === undefined) {
      throw new UsageError(`line ${record.line}: unknown CSV column ${JSON.stringify(name)}; columns name message fields: ${MESSAGE_FIELD_NAMES.join(', ')}`);
    }
    if (columns.includes(field)) throw new UsageError(`line ${record.line}: CSV column ${JSON.stringify(name)} repeats the ${field} column`);
    columns.push(field);
  }
  if (!columns.includes('to')) throw new UsageError(`line ${record.line}: the CSV header has no "to" column for the recipients`);
  return columns;
}

function entryOf(record: CsvRecord, columns: readonly string[], defaults: Partial<PushMessage>): FileEntry {
  const { line } = record;
  if (record.problem !== undefined) return { line, problems: [{ line, path: '', message: record.problem }] };
  if (record.fields.length !== columns.length) {
    return { line, problems: [{ line, path: '', message: `has ${record.fields.length} fields, but the header has ${columns.length}` }] };
  }
  const message: Record<string, unknown> = { ...defaults };
  const problems: LineProblem[] = [];
  columns.forEach((field, position) => {
    const read = readFieldValue(field, record.fields[position] as string);
    if (read.problem !== undefined) problems.push({ line, path: field, message: read.problem });
    else if (read.value !== undefined) message[field] = read.value;
  });
  return problems.length > 0 ? { line, problems } : { line, message: message as PushMessage };
}
