import { checkDelaySeconds, checkOptionKeys, checkPositiveInteger, MAX_QUEUE_DELAY_SECONDS } from './check-options.ts';

export { MAX_QUEUE_DELAY_SECONDS };

/** How queue retries back off. */
export interface QueueBackoffOptions {
  /**
   * Delay before the second attempt, in seconds (0 to 43200, at most `maxDelaySeconds`); it doubles
   * with every further attempt.
   * @default 2
   */
  baseDelaySeconds?: number;
  /**
   * Cap on the backoff delay, in seconds (0 to 43200; a `Retry-After` from the service may ask for
   * more, up to {@link MAX_QUEUE_DELAY_SECONDS}).
   * @default 300
   */
  maxDelaySeconds?: number;
}

/** {@link QueueBackoffOptions} with the defaults filled in. */
export type ResolvedBackoff = Required<QueueBackoffOptions>;

/**
 * Fills in and checks {@link QueueBackoffOptions}: unknown keys, types and ranges throw a
 * `TypeError`, and so does a `baseDelaySeconds` above `maxDelaySeconds` (the default cap included),
 * which would otherwise be cut to the cap without a word.
 */
export function resolveBackoff(options: QueueBackoffOptions | undefined = {}): ResolvedBackoff {
  checkOptionKeys(options, ['baseDelaySeconds', 'maxDelaySeconds'], 'backoff options');
  const { baseDelaySeconds = 2, maxDelaySeconds = 300 } = options;
  checkDelaySeconds('backoff.baseDelaySeconds', baseDelaySeconds);
  checkDelaySeconds('backoff.maxDelaySeconds', maxDelaySeconds);
  if (baseDelaySeconds > maxDelaySeconds) {
    const max = options.maxDelaySeconds === undefined ? `the default backoff.maxDelaySeconds (${maxDelaySeconds})` : `backoff.maxDelaySeconds (${maxDelaySeconds})`;
    throw new TypeError(`backoff.baseDelaySeconds (${baseDelaySeconds}) must not exceed ${max}`);
  }
  return { baseDelaySeconds, maxDelaySeconds };
}

/**
 * The `delaySeconds` for retrying a message that has been delivered `attempts` times: exponential
 * in the attempts, capped, and never shorter than a delay the service or the rate limiter asked
 * for. Whole seconds, because that is what queues take; rounded up, so a wait asked for is never
 * cut short. No jitter: a batch is retried as one and the rate limiter spreads the load anyway.
 *
 * @throws {TypeError} when `attempts` is not a positive integer: a `NaN` would otherwise come out
 *   as a delay of 0, a redelivery loop with no pause.
 */
export function retryDelaySeconds(attempts: number, backoff: ResolvedBackoff, requestedMs?: number): number {
  checkPositiveInteger('attempts', attempts);
  const { baseDelaySeconds, maxDelaySeconds } = resolveBackoff(backoff);
  const exponent = Math.min(attempts, 64) - 1;
  const backedOff = Math.min(maxDelaySeconds, baseDelaySeconds * 2 ** exponent);
  const requested = requestedMs === undefined || !Number.isFinite(requestedMs) ? 0 : requestedMs / 1000;
  return clampDelay(Math.max(backedOff, requested));
}

/**
 * Whole seconds within what Cloudflare Queues accept. Only for delays that come from outside
 * (a `Retry-After`, the rate limiter's wait): the caller's own settings are checked instead.
 */
export function clampDelay(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(seconds));
}
