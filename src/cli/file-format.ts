import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from './usage-error.ts';

/** What an input file of `send --file` holds. */
export type FileFormat = 'tokens' | 'ndjson' | 'csv';

/** The formats, for `--format` and its error message. */
export const FILE_FORMATS: readonly FileFormat[] = ['tokens', 'ndjson', 'csv'];

const BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'ndjson',
  '.txt': 'tokens',
};

/** How much of the file is read to guess its format: enough for any header or first message. */
const SNIFF_BYTES = 64 * 1024;

/**
 * The format of an input file: `--format` if given, else from the extension (`.csv`, `.ndjson`,
 * `.jsonl`, `.json`, `.txt`), else guessed from the first non-blank line: `{` starts NDJSON, a comma
 * means a CSV header (tokens never contain one), anything else is a token.
 * @param requested - the `--format` value. @default undefined (detect)
 * @throws {UsageError} for an unknown `--format`.
 */
export async function detectFileFormat(path: string, requested?: string): Promise<FileFormat> {
  if (requested !== undefined) {
    if ((FILE_FORMATS as readonly string[]).includes(requested)) return requested as FileFormat;
    throw new UsageError(`--format must be one of ${FILE_FORMATS.join(', ')} (got ${JSON.stringify(requested)})`);
  }
  const byExtension = BY_EXTENSION[extname(path).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    const firstLine = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? '';
    if (firstLine.trimStart().startsWith('{')) return 'ndjson';
    return firstLine.includes(',') ? 'csv' : 'tokens';
  } finally {
    await file.close();
  }
}
