import { PushError } from './push-error.ts';
import type { PushEndpoint } from './push-server-error.ts';

/** The request never produced a response: DNS, TLS, connection refused or reset, or a fetch that threw. */
export class PushNetworkError extends PushError {
  /** The endpoint the failed request went to. */
  readonly endpoint: PushEndpoint;

  constructor(message: string, endpoint: PushEndpoint, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PushNetworkError';
    this.endpoint = endpoint;
  }
}

/** A request attempt took longer than the client's `timeoutMs` and was aborted. */
export class PushTimeoutError extends PushNetworkError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(endpoint: PushEndpoint, timeoutMs: number) {
    super(`The Expo push service did not answer within ${timeoutMs} ms`, endpoint);
    this.name = 'PushTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}
