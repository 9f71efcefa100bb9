import { PushError } from './push-error.ts';
import type { PushEndpoint } from './push-server-error.ts';

/** The request never produced a response: DNS, TLS, connection refused or reset, or a fetch that threw. */
export class PushNetworkError extends PushError {
  /** The endpoint the failed request went to. */
  readonly endpoint: PushEndpoint;
  /**
   * `true` when the service may have received and accepted the request before the failure (a
   * reset after the body was sent, a timeout): resending may deliver it twice. `false` when the
   * request provably never reached the service (refused connection, DNS or TLS failure), and for
   * receipt lookups.
   */
  readonly outcomeUnknown: boolean;

  constructor(message: string, endpoint: PushEndpoint, outcomeUnknown: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PushNetworkError';
    this.endpoint = endpoint;
    this.outcomeUnknown = outcomeUnknown;
  }
}

/** A request attempt took longer than the client's `timeoutMs` and was aborted. */
export class PushTimeoutError extends PushNetworkError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(endpoint: PushEndpoint, timeoutMs: number) {
    // The body may already have been sent and accepted: a timed-out send has an unknown outcome.
    super(`The Expo push service did not answer within ${timeoutMs} ms`, endpoint, endpoint === 'send');
    this.name = 'PushTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}
