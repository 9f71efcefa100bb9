/**
 * Caps how many requests are in flight at once. Slots are taken per attempt, not per call, so a
 * request waiting out a retry delay leaves its slot to others.
 */
export class ConcurrencyLimiter {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Runs `task` once a slot is free, and frees the slot when it settles. An abort while waiting
   * for a slot leaves the queue and rejects with the signal's reason.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#active >= this.#limit) await this.#wait(signal);
    else this.#active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a new caller cannot jump the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }

  #wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(grant), 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
