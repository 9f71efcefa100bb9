import type { EmulatorReceiptBody } from './receipt.ts';

interface StoredReceipt {
  readonly body: EmulatorReceiptBody;
  readonly availableAt: number;
  readonly expiresAt: number;
}

/**
 * Receipts keyed by ticket id, each visible during `[availableAt, availableAt + ttl)`.
 *
 * A `Map` keeps ids out of any prototype chain, so hostile ids like `__proto__` are plain keys.
 */
export class ReceiptStore {
  readonly #entries = new Map<string, StoredReceipt>();
  readonly #delayMs: number;
  readonly #ttlMs: number;

  /**
   * @param delayMs - time from send to availability.
   * @param ttlMs - time a receipt stays available once it appeared.
   */
  constructor(delayMs: number, ttlMs: number) {
    this.#delayMs = delayMs;
    this.#ttlMs = ttlMs;
  }

  /** Number of receipts held, expired ones included until the next prune. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Stores the receipt of a notification accepted at `sentAt`.
   * @param id - ticket id.
   * @param body - receipt returned verbatim later.
   * @param sentAt - emulator clock reading of the send.
   */
  put(id: string, body: EmulatorReceiptBody, sentAt: number): void {
    this.prune(sentAt);
    const availableAt = sentAt + this.#delayMs;
    this.#entries.set(id, { body, availableAt, expiresAt: availableAt + this.#ttlMs });
  }

  /** The receipt for `id` if it exists and is visible at `now`. */
  get(id: string, now: number): EmulatorReceiptBody | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined || now < entry.availableAt || now >= entry.expiresAt) return undefined;
    return entry.body;
  }

  /**
   * Drops expired receipts from the oldest end. Delay and TTL are fixed, so with a monotonic clock
   * insertion order is expiry order and this stops at the first live receipt: amortised O(1) per
   * insert. If the injected clock runs backwards some dead entries linger until the ones before
   * them expire; `get` checks the window itself, so that only costs memory, never correctness.
   */
  prune(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#entries.delete(id);
    }
  }

  /** Forgets every receipt. */
  clear(): void {
    this.#entries.clear();
  }
}
