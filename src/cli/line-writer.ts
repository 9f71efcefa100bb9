/**
 * Writes whole lines to a stream and lets a producer wait for the stream to drain, so printing one
 * line per recipient of a huge send never piles the output up in memory when stdout is a slow pipe.
 */
export class LineWriter {
  readonly #stream: NodeJS.WritableStream;
  #draining: Promise<void> | undefined;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
  }

  /** Writes `text` and a line break. */
  line(text = ''): void {
    const flushed = this.#stream.write(`${text}\n`);
    if (!flushed && this.#draining === undefined) {
      this.#draining = new Promise((resolve) => {
        this.#stream.once('drain', () => {
          this.#draining = undefined;
          resolve();
        });
      });
    }
  }

  /** Writes one JSON record as a line of NDJSON. */
  json(record: unknown): void {
    this.line(JSON.stringify(record));
  }

  /** Resolves once the stream has taken everything written so far (at once when it already has). */
  async drained(): Promise<void> {
    await this.#draining;
  }
}
