/**
 * A token bucket: holds up to `capacity` tokens, refills continuously at `perSecond` tokens per
 * second, and starts full.
 *
 * Tokens are kept in thousandths, so with an integer millisecond clock and an integer rate every
 * refill is an exact integer and the arithmetic never drifts (1 ms at 600/s is 0.6 tokens, which
 * floating point cannot sum exactly).
 */
export class TokenBucket {
  readonly #perSecond: number;
  readonly #capacityMilli: number;
  #milli: number;
  #last: number | undefined;

  /**
   * @param perSecond - refill rate, which is also the capacity: at most one second's worth.
   */
  constructor(perSecond: number) {
    this.#perSecond = perSecond;
    this.#capacityMilli = perSecond * 1000;
    this.#milli = this.#capacityMilli;
  }

  /**
   * Takes `count` tokens if that many are available at `now`; otherwise takes nothing.
   * @returns whether the tokens were taken.
   */
  take(count: number, now: number): boolean {
    this.#refill(now);
    const wanted = count * 1000;
    if (wanted > this.#milli) return false;
    this.#milli -= wanted;
    return true;
  }

  /** Back to full, as if never used. */
  refillCompletely(): void {
    this.#milli = this.#capacityMilli;
    this.#last = undefined;
  }

  #refill(now: number): void {
    // A clock that runs backwards refills nothing, and the bucket keeps waiting for the latest time
    // it saw, so rewinding an injected clock can never mint tokens.
    const elapsed = this.#last === undefined ? 0 : Math.max(0, now - this.#last);
    this.#last = Math.max(this.#last ?? now, now);
    this.#milli = Math.min(this.#capacityMilli, this.#milli + elapsed * this.#perSecond);
  }
}
