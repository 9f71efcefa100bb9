import type { EmulatorNotification } from './notification.ts';
import type { EmulatorReceiptBody } from './receipt.ts';

/**
 * The service's rate limit as the emulator enforces it: a token bucket of `perSecond` recipients
 * that refills continuously at `perSecond` per second on the emulator's `now()` clock.
 */
export interface EmulatorRateLimit {
  /**
   * Recipients per second, and the most the bucket holds (a burst of at most one second's worth).
   * The service allows 600 per project. At least 1.
   */
  perSecond: number;
  /**
   * Seconds to put in a `Retry-After` header on the 429; a non-negative integer.
   * @default undefined (no header: the service is not known to send one)
   */
  retryAfterSeconds?: number;
}

/** Where the emulator reports a message whose payload exceeds `payloadLimitBytes`. */
export type MessageTooBigMode = 'receipt' | 'ticket';

/** Configuration of {@link createPushEmulator}; every field is optional. */
export interface PushEmulatorOptions {
  /**
   * Access token of the emulated project. When set, a request carrying any other bearer token is
   * refused with 401 `invalid_token`, and (see `requireAccessToken`) a request without one with
   * 401 `UNAUTHORIZED`. When unset, any or no token is accepted.
   * @default undefined
   */
  accessToken?: string;
  /**
   * Whether a request must carry the access token ("enhanced push security" on). When `false`, a
   * missing token is accepted but a wrong one is still refused, as the real service does.
   * @default true when `accessToken` is set, otherwise false
   */
  requireAccessToken?: boolean;
  /**
   * Well-formed tokens answered with a `DeviceNotRegistered` ticket. More can be added later with
   * `markUnregistered`.
   * @default []
   */
  unregisteredTokens?: Iterable<string>;
  /**
   * Assigns each well-formed token to an Expo project (`"@owner/slug"`). A request whose tokens
   * span several projects fails with `PUSH_TOO_MANY_EXPERIENCE_IDS`.
   * @default () => '@emulator/app'
   */
  projectOf?: (token: string) => string;
  /**
   * Milliseconds between a send and the moment its receipts become available.
   * @default 0
   */
  receiptDelayMs?: number;
  /**
   * Milliseconds a receipt stays available once it appeared (the service clears them after ~24 h).
   * @default 86_400_000
   */
  receiptTtlMs?: number;
  /**
   * Custom receipt for an accepted notification: return an object to use it verbatim (extra fields
   * included), `null` for a receipt that never arrives, or `undefined` for the default behaviour.
   * @default undefined (every receipt is `{"status":"ok"}`, or `MessageTooBig` per `messageTooBig`)
   */
  receiptFor?: (notification: EmulatorNotification) => EmulatorReceiptBody | null | undefined;
  /**
   * Where an oversize message is reported. The docs only document `MessageTooBig` as a receipt
   * error; whether the service also rejects it at send time is unknown, so both can be tested.
   * @default 'receipt'
   */
  messageTooBig?: MessageTooBigMode;
  /**
   * Largest accepted payload in UTF-8 bytes; a payload of exactly this size is fine.
   * @default 4096
   */
  payloadLimitBytes?: number;
  /**
   * Refuse send requests over a rate of recipients per second with 429 `TOO_MANY_REQUESTS`.
   * Only the send endpoint is limited; receipts never are. Every recipient a request addresses
   * counts, malformed and unregistered ones included. A request is checked after it passed
   * validation (so a 400 wins over a 429) and is refused whole, consuming nothing, when it holds
   * more recipients than the bucket has tokens; one with more recipients than `perSecond` can
   * therefore never pass. A token bucket admits a burst of `perSecond` plus the refill, so any
   * 1-second window can see up to twice `perSecond` recipients (a full bucket, then its refill).
   * @default false (no limit)
   */
  rateLimit?: EmulatorRateLimit | false;
  /**
   * Clock in milliseconds, injectable so tests can move time for receipt delay and TTL and for
   * the rate limit.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Keep the `requests` and `notifications` logs. Turn off for long or huge runs; receipts are
   * stored either way.
   * @default true
   */
  record?: boolean;
}

/** {@link PushEmulatorOptions} with every default applied. */
export interface ResolvedPushEmulatorOptions {
  /** See {@link PushEmulatorOptions.accessToken}. @default undefined */
  readonly accessToken: string | undefined;
  /** See {@link PushEmulatorOptions.requireAccessToken}. @default accessToken !== undefined */
  readonly requireAccessToken: boolean;
  /** See {@link PushEmulatorOptions.unregisteredTokens}. @default [] */
  readonly unregisteredTokens: readonly string[];
  /** See {@link PushEmulatorOptions.projectOf}. @default () => '@emulator/app' */
  readonly projectOf: (token: string) => string;
  /** See {@link PushEmulatorOptions.receiptDelayMs}. @default 0 */
  readonly receiptDelayMs: number;
  /** See {@link PushEmulatorOptions.receiptTtlMs}. @default 86_400_000 */
  readonly receiptTtlMs: number;
  /** See {@link PushEmulatorOptions.receiptFor}. @default undefined */
  readonly receiptFor: PushEmulatorOptions['receiptFor'];
  /** See {@link PushEmulatorOptions.messageTooBig}. @default 'receipt' */
  readonly messageTooBig: MessageTooBigMode;
  /** See {@link PushEmulatorOptions.payloadLimitBytes}. @default 4096 */
  readonly payloadLimitBytes: number;
  /** See {@link PushEmulatorOptions.rateLimit}; copied, so later edits to the option have no effect. @default false */
  readonly rateLimit: Readonly<EmulatorRateLimit> | false;
  /** See {@link PushEmulatorOptions.now}. @default Date.now */
  readonly now: () => number;
  /** See {@link PushEmulatorOptions.record}. @default true */
  readonly record: boolean;
}

/** Project every token belongs to unless `projectOf` says otherwise. */
export const DEFAULT_PROJECT = '@emulator/app';

/** How long the service keeps receipts: about a day (contract §7). */
export const DEFAULT_RECEIPT_TTL_MS = 86_400_000;

/** Provider payload limit shared by APNs and FCM (contract §3). */
export const DEFAULT_PAYLOAD_LIMIT_BYTES = 4096;

/**
 * Applies defaults and rejects nonsensical numbers early, so a typo in a test fails at setup
 * rather than as a confusing receipt that never shows up.
 * @param options - user options. @default {}
 * @throws RangeError when a duration or limit is negative or NaN, `messageTooBig` is unknown, or
 *   `rateLimit` has a rate below 1 or a `retryAfterSeconds` that is not a non-negative integer.
 */
export function resolvePushEmulatorOptions(options: PushEmulatorOptions = {}): ResolvedPushEmulatorOptions {
  const accessToken = options.accessToken;
  if (accessToken !== undefined && (typeof accessToken !== 'string' || accessToken === '')) {
    throw new RangeError(`accessToken must be a non-empty string, got ${typeof accessToken === 'string' ? '""' : typeof accessToken}`);
  }
  const messageTooBig = options.messageTooBig ?? 'receipt';
  if (messageTooBig !== 'receipt' && messageTooBig !== 'ticket') {
    throw new RangeError(`messageTooBig must be 'receipt' or 'ticket', got ${String(messageTooBig)}`);
  }
  return {
    accessToken,
    requireAccessToken: options.requireAccessToken ?? accessToken !== undefined,
    unregisteredTokens: [...(options.unregisteredTokens ?? [])],
    projectOf: options.projectOf ?? (() => DEFAULT_PROJECT),
    receiptDelayMs: nonNegative('receiptDelayMs', options.receiptDelayMs ?? 0),
    // Infinity is allowed: receipts that never expire are handy in interactive sessions.
    receiptTtlMs: nonNegative('receiptTtlMs', options.receiptTtlMs ?? DEFAULT_RECEIPT_TTL_MS),
    receiptFor: options.receiptFor,
    messageTooBig,
    payloadLimitBytes: nonNegative('payloadLimitBytes', options.payloadLimitBytes ?? DEFAULT_PAYLOAD_LIMIT_BYTES),
    rateLimit: resolveRateLimit(options.rateLimit ?? false),
    now: options.now ?? Date.now,
    record: options.record ?? true,
  };
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

function resolveRateLimit(rateLimit: EmulatorRateLimit | false): Readonly<EmulatorRateLimit> | false {
  if (rateLimit === false) return false;
  const { perSecond, retryAfterSeconds } = rateLimit;
  // Below 1 the bucket could never hold a single recipient and every send would be refused.
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond < 1) {
    throw new RangeError(`rateLimit.perSecond must be a finite number of at least 1, got ${String(perSecond)}`);
  }
  if (retryAfterSeconds === undefined) return { perSecond };
  // Retry-After carries whole seconds (RFC 9110 §10.2.3); anything else would be a malformed header.
  if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
    throw new RangeError(`rateLimit.retryAfterSeconds must be a non-negative integer, got ${String(retryAfterSeconds)}`);
  }
  return { perSecond, retryAfterSeconds };
}
