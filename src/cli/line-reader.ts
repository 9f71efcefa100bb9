import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One line of a text file, without its line break. */
export interface NumberedLine {
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
}

/**
 * Reads a stream line by line, holding one line at a time, and numbers the lines so problems can
 * be reported where an editor would show them. `\n`, `\r\n` and a lone `\r` all end a line, and a
 * UTF-8 byte order mark at the start is dropped (spreadsheet exports often begin with one).
 */
export async function* readNumberedLines(input: Readable): AsyncGenerator<NumberedLine> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      yield { line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text };
    }
  } finally {
    lines.close();
  }
}
