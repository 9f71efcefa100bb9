import type { EmulatorEndpoint } from './routes.ts';

/** What the emulator logged about one request it answered. */
export interface EmulatorRequestRecord {
  /** Endpoint addressed by the path; `'unknown'` for any other path. */
  readonly endpoint: EmulatorEndpoint;
  /** HTTP method as received, e.g. `'POST'`. */
  readonly method: string;
  /** Full request URL, query string included. */
  readonly url: string;
  /** Request headers with lower-cased names (duplicates joined by `, ` as `Headers` does). */
  readonly headers: Record<string, string>;
  /** Whether the body was sent with `Content-Encoding: gzip`. */
  readonly gzip: boolean;
  /** Body as text after decompression; `''` when it could not be decoded. */
  readonly bodyText: string;
  /**
   * HTTP status the client saw, injected faults included; `0` when it saw no response at all: an
   * injected connection reset, or the client aborting while an injected delay was pending.
   */
  readonly status: number;
}
