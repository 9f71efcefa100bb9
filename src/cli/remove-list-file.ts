import type { TextFileWriter } from './text-file-writer.ts';

/**
 * Writes the tokens of `--remove-list`, one per line and each once, ready to feed a `DELETE … IN`
 * or a script. The file is written (empty) even when there is nothing to remove, so a pipeline can
 * always read it. A malformed token holding a line break cannot be written one per line and is
 * left out rather than split in two.
 */
export async function writeRemoveList(file: TextFileWriter, tokens: Iterable<string>): Promise<void> {
  for (const token of new Set(tokens)) {
    if (!/[\r\n]/.test(token)) await file.write(`${token}\n`);
  }
}
