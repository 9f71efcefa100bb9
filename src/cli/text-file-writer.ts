import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from './usage-error.ts';

/** Bytes gathered before a write to disk, so a line per recipient does not cost a syscall each. */
const BUFFER_CHARS = 64 * 1024;

/**
 * An output file written piece by piece, with buffering. It is opened up front, so a mistyped
 * `--report` or `--remove-list` path fails before a single notification goes out rather than after
 * a long send.
 */
export class TextFileWriter {
  readonly #file: FileHandle;
  #buffer = '';
  #closed = false;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  /**
   * Creates (or truncates) the file.
   * @param option - the option that named it, e.g. `--report`, for the error message.
   * @throws {UsageError} when the file cannot be created.
   */
  static async open(path: string, option: string): Promise<TextFileWriter> {
    try {
      return new TextFileWriter(await open(path, 'w'));
    } catch (error) {
      throw new UsageError(`${option}: cannot write ${JSON.stringify(path)}: ${(error as Error).message}`);
    }
  }

  /** Appends text; it reaches the disk in large pieces, and for good on {@link close}. */
  async write(text: string): Promise<void> {
    this.#buffer += text;
    if (this.#buffer.length >= BUFFER_CHARS) await this.#flush();
  }

  /** Writes what is left and closes the file. Later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#flush();
    } finally {
      await this.#file.close();
    }
  }

  async #flush(): Promise<void> {
    const text = this.#buffer;
    this.#buffer = '';
    if (text !== '') await this.#file.writeFile(text, 'utf8');
  }
}
