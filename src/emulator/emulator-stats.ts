/**
 * Counters an emulator keeps whatever `record` says, so long or huge runs can still be checked.
 * All count from creation or the last `reset()`.
 */
export interface EmulatorStats {
  /** Requests to the send path, whatever they were answered with (faults and refusals included). */
  readonly sendRequests: number;
  /** Requests to the receipts path, whatever they were answered with. */
  readonly receiptRequests: number;
  /** Send requests refused with 429 by the `rateLimit` option (injected 429s are not counted). */
  readonly rateLimited: number;
  /** Recipients answered with an `ok` ticket; equals `notifications.length` while recording. */
  readonly recipientsAccepted: number;
  /** Requests that an injected fault applied to. */
  readonly faultsApplied: number;
}

/** Mutable counters behind {@link EmulatorStats}. */
export type MutableEmulatorStats = { -readonly [K in keyof EmulatorStats]: EmulatorStats[K] };

/** All counters at zero. */
export function zeroStats(): MutableEmulatorStats {
  return { sendRequests: 0, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 0, faultsApplied: 0 };
}
