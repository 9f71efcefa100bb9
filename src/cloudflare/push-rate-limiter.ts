import { describeValue } from './check-options.ts';
import { describeOutcome } from './decide-send-actions.ts';
import type { DurableObjectNamespaceLike } from './queue-types.ts';

/** The answer of the rate limiter: a grant (to release once the request is answered), or how long to wait. */
export type RateLimitGrant = { readonly granted: true; readonly grantId: number } | { readonly granted: false; readonly retryAfterMs: number };

/** The project-wide pacing of the send consumer. */
export interface PushRateLimitOptions {
  /**
   * Most recipients reaching the service in any window of `windowMs`, across every consumer
   * invocation that asks the same limiter. The service allows 600 notifications per second per project.
   * @default 600
   */
  perSecond?: number;
  /**
   * Length of the sliding window, in milliseconds (at most 60000).
   * @default 1000
   */
  windowMs?: number;
  /**
   * How long a grant that is never released (its Worker crashed mid-request) keeps its share of the
   * rate, in milliseconds, on top of `windowMs` (at most 3600000, one hour). At least the client's
   * request timeout. It does not lengthen the wait of a refused batch, which assumes that the grants
   * in flight are released at once (see {@link SlidingWindow}).
   * @default 60000
   */
  leaseMs?: number;
  /**
   * Name of the limiter object: one per Expo project, since the service limits each project on
   * its own. Consumers sending for several projects use one name each.
   * @default 'default'
   */
  name?: string;
}

/**
 * The limiter's arithmetic: a sliding window of grants. A request for `count` recipients is granted
 * when the recipients still occupying the window plus `count` stay within `perSecond`; otherwise
 * the answer is how long until enough of them leave.
 *
 * A grant occupies the window from the moment it is granted until `windowMs` after the request was
 * answered (its release), because the request reaches the service at some unknown moment in
 * between. That makes the bound exact whatever the latency: two requests that reach the service
 * less than `windowMs` apart were counted together. The price is that a slow service lowers the
 * throughput a little (a window plus the latency per grant), which is the honest answer anyway.
 *
 * A grant never released (its Worker crashed mid-request) expires `windowMs + leaseMs` after it was
 * granted. The lease only bounds such a grant: the wait told to a refused request assumes that a
 * grant still in flight is released now, so it ends `windowMs` from now (or from when it was
 * granted, whichever is later), and a refused batch comes back after about a window, not a lease.
 * Should the grant not be released by then, the request is refused again with a new wait.
 *
 * Why not the client's token bucket: a bucket with room for a burst of `b` lets `b` plus a second's
 * refill through in one second, so it either exceeds the rate in some second or, with its refill
 * lowered to compensate, wastes `b` of the rate forever.
 */
export class SlidingWindow {
  readonly #grants = new Map<number, { count: number; grantedAt: number; until: number; released: boolean }>();
  #nextId = 1;

  /**
   * Grants `count` recipients at `now` (ms) or says how long to wait. A request larger than
   * `perSecond` could never fit: it is granted once the window is empty, alone.
   */
  take(count: number, perSecond: number, windowMs: number, now: number, leaseMs = 60_000): RateLimitGrant {
    let inWindow = 0;
    for (const [id, grant] of this.#grants) {
      if (grant.until <= now) this.#grants.delete(id);
      else inWindow += grant.count;
    }
    if (inWindow + count <= perSecond || inWindow === 0) {
      const grantId = this.#nextId++;
      this.#grants.set(grantId, { count, grantedAt: now, until: now + windowMs + leaseMs, released: false });
      return { granted: true, grantId };
    }
    // The wait ends when the grants leaving the window first have made room, or it is empty. A
    // grant in flight is assumed to be released now (its lease is only for a release that never comes).
    const ends = [...this.#grants.values()]
      .map((grant) => ({ count: grant.count, end: grant.released ? grant.until : Math.min(grant.until, Math.max(now, grant.grantedAt) + windowMs) }))
      .sort((a, b) => a.end - b.end);
    let freed = 0;
    for (const grant of ends) {
      freed += grant.count;
      if (inWindow - freed + count <= perSecond || freed === inWindow) return { granted: false, retryAfterMs: Math.max(1, grant.end - now) };
    }
    return { granted: false, retryAfterMs: windowMs };
  }

  /** The request of grant `grantId` was answered at `now`: it leaves the window `windowMs` later. */
  release(grantId: number, windowMs: number, now: number): void {
    const grant = this.#grants.get(grantId);
    if (grant) {
      grant.until = Math.min(grant.until, now + windowMs);
      grant.released = true;
    }
  }
}

/** What the consumer sends to the limiter object. */
interface GrantRequest {
  readonly count: number;
  readonly perSecond: number;
  readonly windowMs: number;
  readonly leaseMs: number;
  /** Set on a release instead of the fields above' count. */
  readonly grantId?: number;
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

  /**
   * `POST /grant { count, perSecond, windowMs, leaseMs }` → `{ granted: true, grantId }` or
   * `{ granted: false, retryAfterMs }`; `POST /release { grantId, windowMs }` → 204. Any other path
   * is a 404 and any other method a 405; a body out of range (`count` and `grantId` must be positive
   * integers, `windowMs` and `leaseMs` within the limits of {@link PushRateLimitOptions}) a 400.
   * Errors are JSON `{ error }`.
   */
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== '/grant' && pathname !== '/release') return Response.json({ error: 'not found: the push rate limiter answers POST /grant and POST /release' }, { status: 404 });
    if (request.method !== 'POST') return Response.json({ error: `${request.method} is not allowed: use POST ${pathname}` }, { status: 405, headers: { allow: 'POST' } });
    let input: GrantRequest;
    try {
      input = (await request.json()) as GrantRequest;
    } catch {
      return Response.json({ error: 'expected a JSON body' }, { status: 400 });
    }
    const { count, perSecond, windowMs, leaseMs, grantId } = input ?? {};
    const integer = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
    const windowOk = inRange(windowMs, MAX_WINDOW_MS);
    if (pathname === '/release') {
      if (!integer(grantId) || !windowOk) return Response.json({ error: `grantId must be a positive integer and windowMs a positive number up to ${MAX_WINDOW_MS}` }, { status: 400 });
      this.#window.release(grantId as number, windowMs, Date.now());
      return new Response(null, { status: 204 });
    }
    if (!integer(count) || !inRange(perSecond) || !windowOk || !inRange(leaseMs, MAX_LEASE_MS)) {
      return Response.json(
        { error: `count must be a positive integer, perSecond a positive number, windowMs one up to ${MAX_WINDOW_MS} and leaseMs one up to ${MAX_LEASE_MS}` },
        { status: 400 },
      );
    }
    return Response.json(this.#window.take(count, perSecond, windowMs, Date.now(), leaseMs));
  }
}

/** The longest `windowMs`: one minute. */
const MAX_WINDOW_MS = 60_000;
/** The longest `leaseMs`: one hour. */
const MAX_LEASE_MS = 3_600_000;

/** Whether `value` is a number above 0 and at most `max`. */
function inRange(value: unknown, max = Number.MAX_VALUE): value is number {
  return typeof value === 'number' && value > 0 && value <= max;
}

/** The option names of {@link PushRateLimitOptions}. */
export const PUSH_RATE_LIMIT_OPTIONS = ['perSecond', 'windowMs', 'leaseMs', 'name'] as const satisfies ReadonlyArray<keyof PushRateLimitOptions>;

/** {@link PushRateLimitOptions} with the defaults filled in and checked (the caller checks the keys). */
export function resolveRateLimit(options: PushRateLimitOptions = {}): Required<PushRateLimitOptions> {
  const { perSecond = 600, windowMs = 1000, leaseMs = 60_000, name = 'default' } = options;
  if (!inRange(perSecond)) throw new TypeError(`rateLimit.perSecond must be a positive number (got ${describeValue(perSecond)})`);
  if (!inRange(windowMs)) throw new TypeError(`rateLimit.windowMs must be a positive number of milliseconds (got ${describeValue(windowMs)})`);
  if (windowMs > MAX_WINDOW_MS) throw new TypeError(`rateLimit.windowMs must be at most ${MAX_WINDOW_MS} milliseconds (one minute) (got ${windowMs})`);
  if (!inRange(leaseMs)) throw new TypeError(`rateLimit.leaseMs must be a positive number of milliseconds (got ${describeValue(leaseMs)})`);
  if (leaseMs > MAX_LEASE_MS) throw new TypeError(`rateLimit.leaseMs must be at most ${MAX_LEASE_MS} milliseconds (one hour) (got ${leaseMs})`);
  if (typeof name !== 'string' || name === '') throw new TypeError(`rateLimit.name must be a non-empty string (got ${describeValue(name)})`);
  return { perSecond, windowMs, leaseMs, name };
}

/**
 * Asks the limiter object for `count` recipients. A limiter that cannot be reached, answers with an
 * HTTP error, or gives an answer that is not a grant with a positive integer `grantId` or a refusal
 * with a finite `retryAfterMs` of 0 or more, throws: the consumer then fails before sending
 * anything, and the queue delivers the batch again.
 */
export async function requestGrant(namespace: DurableObjectNamespaceLike, count: number, options: Required<PushRateLimitOptions>): Promise<RateLimitGrant> {
  const stub = namespace.get(namespace.idFromName(options.name));
  const response = await stub.fetch('https://push-rate-limiter/grant', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count, perSecond: options.perSecond, windowMs: options.windowMs, leaseMs: options.leaseMs }),
  });
  if (!response.ok) throw new Error(`The push rate limiter answered HTTP ${response.status}: ${await response.text()}`);
  const text = await response.text();
  let grant: unknown;
  try {
    grant = JSON.parse(text);
  } catch {
    throw new Error('The push rate limiter gave an unreadable answer: not JSON');
  }
  const { granted, grantId, retryAfterMs } = (typeof grant === 'object' && grant !== null ? grant : {}) as Record<string, unknown>;
  if (granted === true && typeof grantId === 'number' && Number.isInteger(grantId) && grantId > 0) return { granted, grantId };
  if (granted === false && typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return { granted, retryAfterMs };
  const problem =
    granted === true
      ? `grantId must be a positive integer (got ${describeValue(grantId)})`
      : granted === false
        ? `retryAfterMs must be a finite number of milliseconds, 0 or more (got ${describeValue(retryAfterMs)})`
        : `expected { granted: true, grantId } or { granted: false, retryAfterMs } (got ${describeOutcome(grant)})`;
  throw new Error(`The push rate limiter gave an unreadable answer: ${problem}`);
}

/**
 * Tells the limiter object that the request of a grant was answered. A failure is ignored: the
 * grant then keeps its share until its lease runs out, which only slows sending for a while.
 */
export async function releaseGrant(namespace: DurableObjectNamespaceLike, grantId: number, options: Required<PushRateLimitOptions>): Promise<void> {
  try {
    const stub = namespace.get(namespace.idFromName(options.name));
    const response = await stub.fetch('https://push-rate-limiter/release', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grantId, windowMs: options.windowMs }),
    });
    await response.body?.cancel();
  } catch {
    // See above: the lease bounds the cost.
  }
}
