import { PushNetworkError } from './errors/push-network-error.ts';
import { PushRateLimitError, PushServerError } from './errors/push-server-error.ts';
import { isPlainObject } from './json-value.ts';
import type { PushMessage } from './push-message.ts';
import type { PushReceipt } from './push-receipt.ts';
import type { PushResult } from './push-result.ts';
import type { PushTicket } from './push-ticket.ts';
import type { PushFailure } from './stream-chunks.ts';

/** A ticket as stored with `ticket.toJSON()`: what a sender keeps in its database between the send and the receipts. */
export interface StoredTicket {
  readonly status: 'ok' | 'error';
  readonly id?: string | undefined;
  readonly message?: string | undefined;
  readonly details?: PushResult['details'];
  readonly token: string;
}

/** Where a recipient stands: delivered to Apple or Google, failed, or awaiting its receipt. */
export type DeliveryOutcome = 'ok' | 'error' | 'pending';

/** One recipient's line in a {@link DeliveryReport}. */
export interface DeliveryEntry {
  /** The recipient. */
  readonly token: string;
  /** The message, when known (tickets and failures carry it). */
  readonly message: PushMessage | undefined;
  /** Where it stands. */
  readonly outcome: DeliveryOutcome;
  /**
   * The code to act on: `details.error` of the ticket or receipt (a `ProviderError` wrapping an
   * FCM or APNs code reports the wrapped code, e.g. `MismatchSenderId`), or for a request that
   * failed, the service's error code or the error's name.
   */
  readonly code: string | undefined;
  /** The service's or the error's explanation. */
  readonly reason: string | undefined;
  /** The receipt id, when there is one. */
  readonly receiptId: string | undefined;
}

/** What a batch came to, per recipient, with the lists a sender acts on. */
export interface DeliveryReport {
  /** Recipients covered: one per ticket or failure given. */
  readonly recipients: number;
  /** Recipients per outcome. */
  readonly counts: Readonly<Record<DeliveryOutcome, number>>;
  /** Recipients in error per code. */
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Tokens to delete: `DeviceNotRegistered` from a ticket or receipt (`details.expoPushToken`, or the paired token). */
  readonly tokensToRemove: string[];
  /**
   * Recipients worth sending again later: `MessageRateExceeded`, `ProviderError` (other than a
   * credential problem), rate-limited or unsent requests, and requests whose outcome is unknown
   * (`duplicateRisk: true`: the service may have delivered them already).
   */
  readonly retryable: Array<DeliveryEntry & { readonly duplicateRisk: boolean }>;
  /**
   * Recipients that failed on credentials: `InvalidCredentials`, `MismatchSenderId` (top-level, or
   * nested under a `ProviderError`'s `fcm` or `apns` block), `InvalidProviderToken`, and requests
   * refused with HTTP 401 or 403.
   */
  readonly credentialProblems: DeliveryEntry[];
  /** `ok` tickets whose receipt has not arrived. */
  readonly pending: DeliveryEntry[];
  /** Every recipient, in the order given. */
  readonly entries: DeliveryEntry[];
}

const CREDENTIAL_CODES = new Set(['InvalidCredentials', 'MismatchSenderId', 'InvalidProviderToken']);
const RETRYABLE_CODES = new Set(['MessageRateExceeded', 'ProviderError', 'ExpoError']);

/**
 * Pairs every ticket (or stream failure) with its receipt and its token, and sorts the batch into
 * what a sender acts on: tokens to remove, recipients to retry, credential problems, and receipts
 * still pending. Pure: it sends nothing.
 *
 * @param results the tickets of `publishMultiple` (or a `PushBatchError`'s `tickets`), the items
 *   of `publishStream` (tickets and failures mixed), or tickets stored with `toJSON()`.
 * @param receipts the receipts found for them, from `checkReceipts` or `waitForReceipts`.
 */
export function createDeliveryReport(
  results: Iterable<PushTicket | StoredTicket | PushFailure>,
  receipts: Iterable<PushReceipt> = [],
): DeliveryReport {
  const receiptById = new Map<string, PushReceipt>();
  for (const receipt of receipts) receiptById.set(receipt.id, receipt);
  const entries: DeliveryEntry[] = [];
  const retryable: Array<DeliveryEntry & { duplicateRisk: boolean }> = [];
  const credentialProblems: DeliveryEntry[] = [];
  const tokensToRemove = new Set<string>();

  for (const result of results) {
    if ('error' in result) {
      const entry = failureEntry(result);
      entries.push(entry);
      const { error } = result;
      if (error instanceof PushServerError && (error.status === 401 || error.status === 403)) credentialProblems.push(entry);
      else if (isRetryableFailure(error)) retryable.push({ ...entry, duplicateRisk: outcomeUnknown(error) });
      continue;
    }
    const receipt = result.status === 'ok' && result.id !== undefined ? receiptById.get(result.id) : undefined;
    const judged: Judged = result.status === 'error' ? result : (receipt ?? result);
    const code = judged.status === 'error' ? errorCode(judged) : undefined;
    const outcome: DeliveryOutcome = judged.status === 'error' ? 'error' : receipt ? 'ok' : 'pending';
    const message = 'pushMessage' in result ? result.pushMessage : undefined;
    const entry: DeliveryEntry = { token: result.token, message, outcome, code, reason: judged.message, receiptId: result.id };
    entries.push(entry);
    if (code === 'DeviceNotRegistered') {
      const named = judged.details?.expoPushToken;
      tokensToRemove.add(typeof named === 'string' && named !== '' ? named : result.token);
    } else if (code !== undefined && CREDENTIAL_CODES.has(code)) credentialProblems.push(entry);
    else if (code !== undefined && RETRYABLE_CODES.has(code)) retryable.push({ ...entry, duplicateRisk: false });
  }

  const counts = { ok: 0, error: 0, pending: 0 };
  // Counted in a Map: codes come from the service, and one named "__proto__" or "constructor"
  // must not land on Object.prototype's slots.
  const byCode = new Map<string, number>();
  for (const entry of entries) {
    counts[entry.outcome]++;
    if (entry.outcome === 'error') byCode.set(entry.code ?? 'unknown', (byCode.get(entry.code ?? 'unknown') ?? 0) + 1);
  }
  const errorsByCode = Object.fromEntries(byCode);
  return {
    recipients: entries.length,
    counts,
    errorsByCode,
    tokensToRemove: [...tokensToRemove],
    retryable,
    credentialProblems,
    pending: entries.filter((entry) => entry.outcome === 'pending'),
    entries,
  };
}

/** The part of a ticket or receipt that says how it went. */
type Judged = { readonly status: 'ok' | 'error'; readonly message?: string | undefined; readonly details?: PushResult['details'] };

/** The code of a failed ticket or receipt; a `ProviderError` reports the provider code it wraps. */
function errorCode(result: Judged): string {
  const details = result.details ?? {};
  if (details.error === 'ProviderError' || details.error === undefined) {
    for (const provider of ['fcm', 'apns']) {
      const block = details[provider];
      if (isPlainObject(block) && typeof block.error === 'string' && CREDENTIAL_CODES.has(block.error)) return block.error;
    }
  }
  return details.error ?? 'unknown';
}

function failureEntry(failure: PushFailure): DeliveryEntry {
  const { error } = failure;
  const code = error instanceof PushServerError ? (error.code ?? `HTTP ${error.status}`) : error instanceof Error ? error.name : 'unknown';
  return { token: failure.token, message: failure.message, outcome: 'error', code, reason: error instanceof Error ? error.message : String(error), receiptId: undefined };
}

/** A request that failed on rate, on the service's side, or on the network can be tried again. */
function isRetryableFailure(error: unknown): boolean {
  return error instanceof PushRateLimitError || error instanceof PushNetworkError || (error instanceof PushServerError && (error.status >= 500 || error.outcomeUnknown));
}

function outcomeUnknown(error: unknown): boolean {
  return (error instanceof PushServerError || error instanceof PushNetworkError) && error.outcomeUnknown;
}
