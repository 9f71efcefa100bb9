import { PushError } from './push-error.ts';

/** One element of the service's `errors` array, kept verbatim (unknown fields included). */
export interface PushServiceErrorDetail {
  /** Machine-readable code such as `PUSH_TOO_MANY_NOTIFICATIONS`. */
  readonly code?: string;
  /** Human-readable text from the service. */
  readonly message?: string;
  /** Extra data, such as the project → tokens map of `PUSH_TOO_MANY_EXPERIENCE_IDS`. */
  readonly details?: unknown;
  /** Server stack trace, when the service leaks one. */
  readonly stack?: string;
  readonly [field: string]: unknown;
}

/** Which endpoint a request went to. */
export type PushEndpoint = 'send' | 'receipts';

/** What {@link PushServerError} is built from. */
export interface PushServerErrorInit {
  /** The endpoint the failed request went to. */
  readonly endpoint: PushEndpoint;
  /** HTTP status of the response. */
  readonly status: number;
  /** The first `errors[].code`, or the OAuth-style `error` field of a 401. */
  readonly code?: string | undefined;
  /** Every element of `errors`, verbatim; empty when the body had none. */
  readonly errors?: readonly PushServiceErrorDetail[];
  /** The parsed body, when it was JSON. */
  readonly responseData?: unknown;
  /** The raw body text (will be truncated). */
  readonly responseText?: string;
  /** Parsed `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number | undefined;
  /** Whether the service may have accepted the request anyway; see {@link PushServerError.outcomeUnknown}. */
  readonly outcomeUnknown?: boolean;
}

/** Longest raw body kept on an error, so a huge HTML page cannot bloat logs or memory. */
export const MAX_RESPONSE_TEXT_LENGTH = 4096;

/**
 * The push service refused or garbled a whole request: an `errors` envelope (on any HTTP status,
 * 200 included), the OAuth-style 401 body, a non-JSON gateway page, an empty body, JSON with neither
 * `data` nor `errors`, or a ticket count that differs from the recipients sent.
 */
export class PushServerError extends PushError {
  /** The endpoint the failed request went to. */
  readonly endpoint: PushEndpoint;
  /** HTTP status of the response. */
  readonly status: number;
  /** The first `errors[].code` (or the OAuth `error` field); `undefined` when the body named none. */
  readonly code: string | undefined;
  /** Every element of the service's `errors` array, verbatim. */
  readonly errors: readonly PushServiceErrorDetail[];
  /** The parsed response body, when it was JSON. */
  readonly responseData: unknown;
  /** The raw response body, cut at {@link MAX_RESPONSE_TEXT_LENGTH} characters. */
  readonly responseText: string;
  /** The delay the service asked for with `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;
  /**
   * `true` when the service may have accepted the notifications despite the failure: a send
   * answered with a 5xx, or with a 2xx whose body was garbled. Resending such recipients may
   * deliver them twice. `false` when the service certainly did not accept the request (4xx, 429,
   * an `errors` envelope) and for receipt lookups.
   */
  readonly outcomeUnknown: boolean;

  constructor(message: string, init: PushServerErrorInit) {
    super(message);
    this.name = 'PushServerError';
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.responseData = init.responseData;
    this.responseText = truncate(init.responseText ?? '');
    this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

/**
 * The service answered HTTP 429 (`TOO_MANY_REQUESTS`, over 600 notifications per second) and the
 * client gave up retrying, or the delay it asked for was longer than the client will wait.
 */
export class PushRateLimitError extends PushServerError {
  constructor(message: string, init: PushServerErrorInit) {
    super(message, init);
    this.name = 'PushRateLimitError';
  }
}

function truncate(text: string): string {
  return text.length > MAX_RESPONSE_TEXT_LENGTH ? `${text.slice(0, MAX_RESPONSE_TEXT_LENGTH)}…` : text;
}
