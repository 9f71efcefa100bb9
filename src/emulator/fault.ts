/**
 * Answer with exactly this status, headers and body instead of the service, without processing
 * the request: nothing is accepted, no ticket or receipt is stored. Models a gateway or the
 * service refusing a request it never acted on.
 */
export interface EmulatorRespondFault {
  readonly kind: 'respond';
  /** HTTP status, 200–599 (the range a `Response` can carry). */
  readonly status: number;
  /**
   * Response headers, sent as given. No `content-type` is added when absent.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Response body text, sent as UTF-8.
   * @default ''
   */
  readonly body?: string;
}

/**
 * Wait, then handle the request normally. The wait honours the request's `signal`: if the client
 * aborts (or its `AbortSignal.timeout` fires), the wait stops and the fetch rejects with the
 * signal's reason, as a real fetch does, and the request is not processed.
 */
export interface EmulatorDelayFault {
  readonly kind: 'delay';
  /**
   * Milliseconds to wait: 0 to 2_147_483_647 (the largest timer delay runtimes honour), or
   * `Infinity` to stall until the client gives up.
   */
  readonly ms: number;
}

/**
 * The connection is reset after the request body was read: the fetch rejects like undici does for
 * a reset socket, a `TypeError('fetch failed')` whose `cause` has `code: 'ECONNRESET'`. Over HTTP,
 * `serveEmulator` resets the TCP connection instead of answering.
 */
export interface EmulatorResetFault {
  readonly kind: 'reset';
  /**
   * Whether the request is processed before the reset. `true` is the dangerous case: the service
   * accepted the notifications and stored their receipts, but the client never hears, so a retry
   * sends duplicates. `false` resets before anything is accepted.
   * @default true
   */
  readonly afterProcessing?: boolean;
}

/** A failure to inject into the emulator with `injectFault`; `kind` tells which. */
export type EmulatorFault = EmulatorRespondFault | EmulatorDelayFault | EmulatorResetFault;

/** Which requests an injected fault applies to. */
export interface InjectFaultOptions {
  /**
   * How many matching requests the fault applies to; `Infinity` keeps it until `clearFaults`.
   * @default 1
   */
  times?: number;
  /**
   * Only requests to this endpoint match; other requests pass the fault by.
   * @default undefined (every request matches, whatever its path)
   */
  endpoint?: 'send' | 'receipts';
}
