import type { Readable } from 'node:stream';

/**
 * Everything a CLI run touches outside its arguments. `bin.ts` passes the process's own streams;
 * tests pass collectors, so {@link main} runs in-process.
 */
export interface CliIo {
  /** Results: readable text, or newline-delimited JSON with `--json`. */
  readonly stdout: NodeJS.WritableStream;
  /** Progress, warnings and errors, so stdout stays clean for piping. */
  readonly stderr: NodeJS.WritableStream;
  /** Environment variables (`EXPO_ACCESS_TOKEN`, `EXPO_PUSH_BASE_URL`, `TERM`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Read by `--file -`. Looked up only when used, so merely starting the CLI never opens it.
   * @default undefined (`--file -` is refused)
   */
  readonly stdin?: Readable | undefined;
  /**
   * Whether stderr is a terminal: a redrawn progress bar if so, plain periodic lines otherwise.
   * @default false
   */
  readonly isTTY?: boolean | undefined;
  /**
   * Width of that terminal, so the progress bar stays on one line.
   * @default 80
   */
  readonly columns?: number | undefined;
  /**
   * Aborted on SIGINT or SIGTERM: a send stops and reports what it did, a receipt wait stops, and
   * the emulator shuts down.
   * @default undefined (never aborted)
   */
  readonly signal?: AbortSignal | undefined;
}
