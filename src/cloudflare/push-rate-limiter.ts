import type { DurableObjectNamespaceLike } from './queue-types.ts';

/** The answer of the rate limiter. */
export type RateLimitGrant = { readonly granted: true } | { readonly granted: false; readonly retryAfterMs: number };

/** The project-wide pacing of the send consumer. */
export interface PushRateLimitOptions {
  /**
   * Most recipients sent in any window of `windowMs`, across every consumer invocation that asks
   * the same limiter. The service allows 600 notifications per second per project.
   * @default 600
   */
  perSecond?: number;
  /**
   * Length of the sliding window, in milliseconds. Lengthen it a little to leave room for the
   * variation in latency between the grant and the request reaching the service.
   * @default 1000
   */
  windowMs?: number;
  /**
   * Name of the limiter object: one per Expo project, since the service limits each project on
   * its own. Consumers sending for several projects use one name each.
   * @default 'default'
   */
  name?: string;
}

/**
 * The limiter's arithmetic: a sliding window of grants. A request for `count` recipients is granted
 * when the grants of the last `windowMs` plus `count` stay within `perSecond`; otherwise the answer
 * is how long until enough of the oldest grants leave the window.
 *
 * Why not the client's token bucket: a bucket with room for a burst of `b` lets `b` plus a second's
 * refill through in one second, so it either exceeds the rate in some second or, with its refill
 * lowered to compensate, wastes `b` of the rate forever. The window is exact both ways: no second
 * ever sees more than `perSecond`, and a steady stream gets all of it.
 */
export class SlidingWindow {
  readonly #grants: Array<{ at: number; count: number }> = [];
  #inWindow = 0;

  /**
   * Grants `count` recipients at `now` (ms) or says how long to wait. A request larger than
   * `perSecond` could never fit: it is granted once the window is empty, alone.
   */
  take(count: number, perSecond: number, windowMs: number, now: number): RateLimitGrant {
    while (this.#grants.length > 0 && (this.#grants[0] as { at: number }).at + windowMs <= now) {
      this.#inWindow -= (this.#grants.shift() as { count: number }).count;
    }
    if (this.#inWindow + count <= perSecond || this.#inWindow === 0) {
      this.#grants.push({ at: now, count });
      this.#inWindow += count;
      return { granted: true };
    }
    // The wait ends when the grants leaving the window have made room, or the window is empty.
    let freed = 0;
    for (const grant of this.#grants) {
      freed += grant.count;
      if (this.#inWindow - freed + count <= perSecond || freed === this.#inWindow) {
        return { granted: false, retryAfterMs: Math.max(1, grant.at + windowMs - now) };
      }
    }
    return { granted: false, retryAfterMs: windowMs };
  }
}

/** What the consumer sends to the limiter object. */
interface GrantRequest {
  readonly count: number;
  readonly perSecond: number;
  readonly windowMs: number;
}

/**
 * The Durable Object that paces sends project-wide. Every consumer invocation asks it for the
 * recipients of its batch before sending; since one object handles its requests one at a time, it
 * is the single point where concurrent consumers are serialised, wherever they run.
 *
 * The window lives in memory, not in storage: a write per request would add latency to every
 * batch to protect against a rare event (the object being evicted or restarted), whose worst case
 * is one window granted twice over. The service answers that with 429s, which the consumer retries.
 *
 * Export it from the Worker and bind it (see `examples/cloudflare-queues/wrangler.jsonc`):
 *
 * @example
 * export { PushRateLimiter } from 'expo-push-edge/cloudflare';
 */
export class PushRateLimiter {
  readonly #window = new SlidingWindow();

  /** Constructed by the runtime; neither argument is used. */
  constructor(_state?: unknown, _env?: unknown) {}

  /** `POST { count, perSecond, windowMs }` → `{ granted: true }` or `{ granted: false, retryAfterMs }`. */
  async fetch(request: Request): Promise<Response> {
    let input: GrantRequest;
    try {
      input = (await request.json()) as GrantRequest;
    } catch {
      return Response.json({ error: 'expected a JSON body { count, perSecond, windowMs }' }, { status: 400 });
    }
    const { count, perSecond, windowMs } = input ?? {};
    if (![count, perSecond, windowMs].every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0)) {
      return Response.json({ error: 'count, perSecond and windowMs must be positive numbers' }, { status: 400 });
    }
    return Response.json(this.#window.take(count, perSecond, windowMs, Date.now()));
  }
}

/** {@link PushRateLimitOptions} with the defaults filled in and checked. */
export function resolveRateLimit(options: PushRateLimitOptions = {}): Required<PushRateLimitOptions> {
  const { perSecond = 600, windowMs = 1000, name = 'default' } = options;
  if (!(typeof perSecond === 'number' && Number.isFinite(perSecond) && perSecond > 0)) throw new TypeError('rateLimit.perSecond must be a positive number');
  if (!(typeof windowMs === 'number' && Number.isFinite(windowMs) && windowMs > 0)) throw new TypeError('rateLimit.windowMs must be a positive number of milliseconds');
  if (typeof name !== 'string' || name === '') throw new TypeError('rateLimit.name must be a non-empty string');
  return { perSecond, windowMs, name };
}

/**
 * Asks the limiter object for `count` recipients. A limiter that cannot be reached throws: the
 * consumer then fails before sending anything, and the queue delivers the batch again.
 */
export async function requestGrant(namespace: DurableObjectNamespaceLike, count: number, options: Required<PushRateLimitOptions>): Promise<RateLimitGrant> {
  const stub = namespace.get(namespace.idFromName(options.name));
  const response = await stub.fetch('https://push-rate-limiter/grant', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count, perSecond: options.perSecond, windowMs: options.windowMs }),
  });
  if (!response.ok) throw new Error(`The push rate limiter answered HTTP ${response.status}: ${await response.text()}`);
  const grant = (await response.json()) as RateLimitGrant;
  if (grant.granted === true || (grant.granted === false && typeof grant.retryAfterMs === 'number')) return grant;
  throw new Error('The push rate limiter gave an unreadable answer');
}
