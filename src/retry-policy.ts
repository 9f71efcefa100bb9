import type { PushEndpoint } from './errors/push-server-error.ts';

/** What {@link RetryOptions.shouldRetry} is told about a failed attempt. */
export interface RetryContext {
  /** The attempt that just failed: 1 for the first. */
  readonly attempt: number;
  /** The endpoint it went to. */
  readonly endpoint: PushEndpoint;
  /** HTTP status of the response; `undefined` when there was none (network error, timeout). */
  readonly status: number | undefined;
  /** The failure: a `PushServerError`, `PushNetworkError` or `PushTimeoutError`. */
  readonly error: Error;
  /** `Retry-After` in milliseconds, when the response carried one. */
  readonly retryAfterMs: number | undefined;
  /**
   * Whether the service may have accepted the notifications anyway (a 5xx, a timeout, a reset
   * after the body was sent): retrying such a send may deliver them twice.
   */
  readonly outcomeUnknown: boolean;
}

/** How the client retries failed requests. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 2
   */
  retries?: number;
  /**
   * Upper bound of the first backoff delay; it doubles with each retry, and full jitter draws the
   * actual delay uniformly below it.
   * @default 1000
   */
  baseDelayMs?: number;
  /**
   * Cap on any backoff delay.
   * @default 30000
   */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the client waits out; a longer one fails the call at once with the
   * error, which carries the requested delay as `retryAfterMs`.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /**
   * Decides whether a failed attempt is retried (within `retries`).
   * @default defaultShouldRetry: sends retry HTTP 429 and failures that provably never reached the
   *   service; receipt lookups, being read-only, also retry 5xx, timeouts and network errors.
   */
  shouldRetry?: (context: RetryContext) => boolean | Promise<boolean>;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * The default retry decision, which follows the duplicate risk. Every endpoint retries HTTP 429
 * (the service refused the whole request) and failures where the request provably never reached
 * the service. A send that may have been accepted (5xx, timeout, reset after the body was sent) is
 * not retried, since Expo has no idempotency key and would deliver twice; the error says so with
 * `outcomeUnknown: true`. Receipt lookups are read-only, so they also retry 5xx, timeouts and
 * network errors.
 */
export function defaultShouldRetry(context: RetryContext): boolean {
  const { status, endpoint, outcomeUnknown } = context;
  if (status === 429) return true;
  if (status === undefined) return endpoint === 'receipts' || !outcomeUnknown;
  return endpoint === 'receipts' && status >= 500;
}

/** The defaults of {@link RetryOptions}: the official SDK's 1 s then 2 s for 429, made safe for more. */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  retries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  shouldRetry: defaultShouldRetry,
};

/** Exponential backoff with full jitter for retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds or an HTTP date; `undefined` when absent
 * or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // HTTP dates name a month; without one, engines parse bare numbers such as "-5" as years.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
