/** One CSV record. */
export interface CsvRecord {
  /** 1-based line the record starts on (a quoted field may span several lines). */
  readonly line: number;
  /** The fields, unquoted, with doubled quotes collapsed. */
  readonly fields: readonly string[];
  /** Why the record is malformed, when it is; its fields are then a best effort. */
  readonly problem?: string | undefined;
}

/**
 * A quoted field longer than this stops growing: no message field comes near it (a whole push
 * payload is 4 KiB), so it is almost certainly a quote that is never closed, and letting it grow
 * would read the rest of a huge file into memory.
 */
const MAX_FIELD_LENGTH = 1_000_000;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

/**
 * An incremental RFC 4180 parser: text goes in chunk by chunk, in any sizes, and whole records
 * come out with the line each starts on. Fields are separated by commas; a field in double quotes
 * may hold commas, line breaks and doubled quotes (`""` for `"`). Records end at `\r\n`, `\n` or a
 * lone `\r`. Blank lines are skipped, and a UTF-8 byte order mark at the start is dropped.
 *
 * A malformed record (a quote inside an unquoted field, text after a closing quote, a quote never
 * closed) comes out with a `problem` rather than stopping the parse, so every bad line of a file
 * can be reported in one go.
 */
export class CsvParser {
  #state: State = 'fieldStart';
  #field = '';
  #fields: string[] = [];
  #problem: string | undefined;
  #started = false;
  #line = 1;
  #recordLine = 1;
  #afterCR = false;
  #atStart = true;

  /** Feeds the next chunk of text; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    let text = chunk;
    if (this.#atStart && text.length > 0) {
      this.#atStart = false;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    for (const char of text) {
      // A CR LF pair is one line break: the LF after a CR neither ends a record nor counts a line.
      const lfAfterCR = this.#afterCR && char === '\n';
      this.#afterCR = char === '\r';
      if (lfAfterCR && this.#state !== 'quoted') continue;
      if (lfAfterCR) {
        this.#append(char);
        continue;
      }
      const lineBreak = char === '\r' || char === '\n';
      switch (this.#state) {
        case 'fieldStart':
        case 'unquoted':
          if (char === ',') this.#endField();
          else if (lineBreak) this.#endRecord(records);
          else if (char === '"' && this.#state === 'fieldStart') {
            this.#state = 'quoted';
            this.#started = true;
          } else {
            if (char === '"') this.#problem ??= 'has a quote (") inside an unquoted field: quote the whole field and double the quote ("")';
            this.#state = 'unquoted';
            this.#started = true;
            this.#append(char);
          }
          break;
        case 'quoted':
          if (char === '"') this.#state = 'quoteInQuoted';
          else {
            if (lineBreak) this.#line++;
            this.#append(char);
          }
          break;
        case 'quoteInQuoted':
          if (char === '"') {
            this.#append('"');
            this.#state = 'quoted';
          } else if (char === ',') this.#endField();
          else if (lineBreak) this.#endRecord(records);
          else {
            this.#problem ??= 'has text after the closing quote of a field: quote the whole field and double any quote inside it ("")';
            this.#state = 'unquoted';
            this.#append(char);
          }
          break;
      }
    }
    return records;
  }

  /** Ends the input; returns the last record when the text did not end with a line break. */
  end(): CsvRecord[] {
    const records: CsvRecord[] = [];
    if (this.#state === 'quoted') this.#problem ??= 'has a quote (") that is never closed';
    if (this.#started || this.#fields.length > 0) this.#endRecord(records);
    return records;
  }

  #append(char: string): void {
    if (this.#field.length < MAX_FIELD_LENGTH) this.#field += char;
    else this.#problem ??= `has a field longer than ${MAX_FIELD_LENGTH} characters (is a quote never closed?)`;
  }

  #endField(): void {
    this.#fields.push(this.#field);
    this.#field = '';
    this.#state = 'fieldStart';
    this.#started = true;
  }

  #endRecord(records: CsvRecord[]): void {
    const blank = this.#fields.length === 0 && this.#field === '' && this.#problem === undefined;
    if (!blank) {
      this.#fields.push(this.#field);
      records.push({ line: this.#recordLine, fields: this.#fields, problem: this.#problem });
    }
    this.#fields = [];
    this.#field = '';
    this.#problem = undefined;
    this.#started = false;
    this.#state = 'fieldStart';
    this.#line++;
    this.#recordLine = this.#line;
  }
}

/** Parses CSV text arriving in chunks (such as a file read stream) into records, one at a time. */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
