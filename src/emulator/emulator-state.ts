import { zeroStats, type MutableEmulatorStats } from './emulator-stats.ts';
import { FaultQueue } from './fault-queue.ts';
import type { EmulatorNotification } from './notification.ts';
import type { ResolvedPushEmulatorOptions } from './options.ts';
import { ReceiptStore } from './receipt-store.ts';
import type { EmulatorRequestRecord } from './request-record.ts';
import { TokenBucket } from './token-bucket.ts';

/** Mutable state one emulator instance shares between its handlers. */
export interface EmulatorState {
  /** Options with defaults applied. */
  readonly options: ResolvedPushEmulatorOptions;
  /** Tokens answered with `DeviceNotRegistered`; grows through `markUnregistered`. */
  readonly unregistered: Set<string>;
  /** Receipts of accepted notifications. */
  readonly receipts: ReceiptStore;
  /** Accepted recipients, in order; stays empty when `record` is off. */
  readonly notifications: EmulatorNotification[];
  /** Every request handled, in order; stays empty when `record` is off. */
  readonly requests: EmulatorRequestRecord[];
  /** Counters kept even when `record` is off. */
  readonly stats: MutableEmulatorStats;
  /** Faults waiting for the requests they target. */
  readonly faults: FaultQueue;
  /** Recipient budget of the send endpoint; `undefined` when `rateLimit` is off. */
  readonly rateBucket: TokenBucket | undefined;
}

/** Fresh state for the given options. */
export function createEmulatorState(options: ResolvedPushEmulatorOptions): EmulatorState {
  return {
    options,
    unregistered: new Set(options.unregisteredTokens),
    receipts: new ReceiptStore(options.receiptDelayMs, options.receiptTtlMs),
    notifications: [],
    requests: [],
    stats: zeroStats(),
    faults: new FaultQueue(),
    rateBucket: options.rateLimit === false ? undefined : new TokenBucket(options.rateLimit.perSecond),
  };
}
