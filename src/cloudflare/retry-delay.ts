/** How queue retries back off. */
export interface QueueBackoffOptions {
  /**
   * Delay before the second attempt, in seconds; it doubles with every further attempt.
   * @default 2
   */
  baseDelaySeconds?: number;
  /**
   * Cap on the backoff delay, in seconds (a `Retry-After` from the service may ask for more, up to
   * {@link MAX_QUEUE_DELAY_SECONDS}).
   * @default 300
   */
  maxDelaySeconds?: number;
}

/** The longest `delaySeconds` Cloudflare Queues accept: 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/** {@link QueueBackoffOptions} with the defaults filled in. */
export type ResolvedBackoff = Required<QueueBackoffOptions>;

/** Fills in and checks {@link QueueBackoffOptions}. */
export function resolveBackoff(options: QueueBackoffOptions = {}): ResolvedBackoff {
  const { baseDelaySeconds = 2, maxDelaySeconds = 300 } = options;
  for (const [name, value] of [['baseDelaySeconds', baseDelaySeconds], ['maxDelaySeconds', maxDelaySeconds]] as const) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new TypeError(`${name} must be a non-negative number of seconds`);
  }
  return { baseDelaySeconds, maxDelaySeconds };
}

/**
 * The `delaySeconds` for retrying a message that has been delivered `attempts` times: exponential
 * in the attempts, capped, and never shorter than a delay the service or the rate limiter asked
 * for. Whole seconds, because that is what queues take; rounded up, so a wait asked for is never
 * cut short. No jitter: a batch is retried as one and the rate limiter spreads the load anyway.
 */
export function retryDelaySeconds(attempts: number, backoff: ResolvedBackoff, requestedMs?: number): number {
  const exponent = Math.max(0, Math.min(attempts, 64) - 1);
  const backedOff = Math.min(backoff.maxDelaySeconds, backoff.baseDelaySeconds * 2 ** exponent);
  const requested = requestedMs === undefined || !Number.isFinite(requestedMs) ? 0 : requestedMs / 1000;
  return clampDelay(Math.max(backedOff, requested));
}

/** Whole seconds within what Cloudflare Queues accept. */
export function clampDelay(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(seconds));
}
