import { sleep } from './abort.ts';

/** Client-side pacing of recipients per second. */
export interface RateLimitOptions {
  /**
   * Recipients per second, across all calls of one client. The service refuses more than 600
   * notifications per second per project with HTTP 429.
   * @default 600
   */
  perSecond?: number;
  /**
   * Recipients that may go out at once after an idle spell: one full request.
   * @default 100
   */
  burst?: number;
}

/**
 * A token bucket of recipients. Reservations are taken in call order and may run the bucket into
 * debt (a request larger than the burst waits for its share), so the long-run rate never exceeds
 * `perSecond` and callers are served first come, first served.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(perSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#perMs = perSecond / 1000;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  /** How long a reservation of `count` made now would wait, in milliseconds; reserves it. */
  reserve(count: number): number {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#perMs);
    this.#updatedAt = now;
    this.#tokens -= count;
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#perMs);
  }

  /** Gives back a reservation that was not used (its wait was aborted). */
  refund(count: number): void {
    this.#tokens += count;
  }

  /** Waits until `count` recipients may be sent; an abort rejects and gives the reservation back. */
  async take(count: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(count);
    if (wait === 0) return;
    try {
      await sleep(wait, signal);
    } catch (error) {
      this.refund(count);
      throw error;
    }
  }
}
