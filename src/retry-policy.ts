/** How the client retries requests the service answered with HTTP 429. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 2
   */
  retries?: number;
  /**
   * Upper bound of the first backoff delay; it doubles with each retry (full jitter draws the
   * actual delay uniformly below it).
   * @default 1000
   */
  baseDelayMs?: number;
  /**
   * Cap on any backoff delay.
   * @default 30000
   */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the client waits out; a longer one fails the call at once with
   * `PushRateLimitError`, which carries the requested delay.
   * @default 60000
   */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}, matching the official SDK's 429 handling (1 s, then 2 s). */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  retries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
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
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
