import type { PushReceipt } from '../push-receipt.ts';
import { classify, retryAfterOf } from './classify-result.ts';
import { checkDelaySeconds, checkOptionKeys, checkPositiveInteger } from './check-options.ts';
import { checkItems, checkResults, describeOutcome, type QueueAction, type QueueItem } from './decide-send-actions.ts';
import { isReceiptBody } from './queue-bodies.ts';
import { type QueueBackoffOptions, type ResolvedBackoff, resolveBackoff, retryDelaySeconds } from './retry-delay.ts';

/** How looking the batch's receipts up went: the receipts found (absent ids are not ready), or the error. */
export type ReceiptLookupOutcome = { readonly receipts: readonly PushReceipt[] } | { readonly error: unknown };

/** Fields every receipt effect has. */
interface ReceiptEffectBase {
  /** The queue message's id. */
  readonly messageId: string;
  /** The receipt id. */
  readonly id: string;
  /** The token the notification went to. */
  readonly token: string;
}

/** Something to do besides the ack or retry, for one receipts queue message. */
export type ReceiptEffect =
  /** An `ok` receipt: Apple or Google accepted the notification. */
  | (ReceiptEffectBase & { readonly type: 'delivered'; readonly receipt: PushReceipt })
  /** `DeviceNotRegistered`: stop sending to `token` (the receipt's `details.expoPushToken` when it names one). */
  | (ReceiptEffectBase & { readonly type: 'invalidToken'; readonly receipt: PushReceipt })
  /**
   * Fix the project's push credentials: a receipt said `InvalidCredentials`, `MismatchSenderId` or
   * `InvalidProviderToken` (acked), or the lookup itself was refused with HTTP 401/403 (`receipt`
   * undefined, `code` the service's error code or `HTTP 401`; retried with backoff, so it reaches
   * the dead-letter queue if the credentials stay broken).
   */
  | (ReceiptEffectBase & {
      readonly type: 'credentialProblem';
      readonly receipt: PushReceipt | undefined;
      readonly code: string | undefined;
      readonly reason: string | undefined;
    })
  /** Any other error receipt; `retryable` when sending the notification again later may work (`MessageRateExceeded`, `ProviderError`). */
  | (ReceiptEffectBase & { readonly type: 'deliveryError'; readonly receipt: PushReceipt; readonly code: string | undefined; readonly retryable: boolean })
  /** No receipt after `maxReceiptAttempts` looks. */
  | (ReceiptEffectBase & { readonly type: 'missingReceipt'; readonly attempts: number })
  /** The body is not `{ id, token }`; acked, since retrying cannot fix it. */
  | { readonly type: 'invalidMessage'; readonly messageId: string; readonly body: unknown; readonly reason: string };

/** What {@link decideReceiptActions} decided. */
export interface ReceiptDecision {
  /** One action per input message, aligned with it. */
  readonly actions: readonly QueueAction[];
  /** The effects, in input order. */
  readonly effects: readonly ReceiptEffect[];
}

/** The policy of the receipts consumer. */
export interface ReceiptPolicyOptions {
  /**
   * Looks per receipt id, the first included; a receipt still absent after this many is reported
   * missing. The queue's `max_retries` must be at least this minus one, or the queue gives up first.
   * @default 4
   */
  maxReceiptAttempts?: number;
  /**
   * Seconds before looking again for a receipt that is not available yet (0 to 43200).
   * @default 300
   */
  receiptRetryDelaySeconds?: number;
  /**
   * Backoff when the lookup itself failed (network, 5xx, 429).
   * @default { baseDelaySeconds: 2, maxDelaySeconds: 300 }
   */
  backoff?: QueueBackoffOptions;
}

/** The option names of {@link ReceiptPolicyOptions}, for checking a caller's options for typos. */
export const RECEIPT_POLICY_OPTIONS = ['maxReceiptAttempts', 'receiptRetryDelaySeconds', 'backoff'] as const satisfies ReadonlyArray<keyof ReceiptPolicyOptions>;

/** {@link ReceiptPolicyOptions} checked, with the defaults filled in. */
export interface ResolvedReceiptPolicy {
  readonly maxReceiptAttempts: number;
  readonly receiptRetryDelaySeconds: number;
  readonly backoff: ResolvedBackoff;
}

/** Checks {@link ReceiptPolicyOptions} (unknown keys, types, ranges) and fills in the defaults; `what` names them in errors. */
export function resolveReceiptPolicy(options: ReceiptPolicyOptions | undefined, what: string): ResolvedReceiptPolicy {
  checkOptionKeys(options, RECEIPT_POLICY_OPTIONS, what);
  const { maxReceiptAttempts = 4, receiptRetryDelaySeconds = 300, backoff } = options ?? {};
  return {
    maxReceiptAttempts: checkPositiveInteger('maxReceiptAttempts', maxReceiptAttempts),
    receiptRetryDelaySeconds: checkDelaySeconds('receiptRetryDelaySeconds', receiptRetryDelaySeconds),
    backoff: resolveBackoff(backoff),
  };
}

/**
 * The receipts consumer's policy as a pure function: from a batch of `{ id, token }` queue
 * messages and the receipts found for them, what to do with each message and which effects to run.
 * A receipt that arrived is acked and reported by its status; one not available yet is retried
 * after `receiptRetryDelaySeconds` until `maxReceiptAttempts`, then reported missing; a failed
 * lookup retries the whole batch with backoff (lookups are read-only, so this is always safe), and
 * one refused with HTTP 401/403 also reports a `credentialProblem` per message.
 *
 * @throws {TypeError} when `messages` is not an array of `{ id, attempts, body }` with `attempts` a
 *   positive integer, when `outcome` is neither `{ receipts: [...] }` nor `{ error }` (or a receipt is
 *   not an object with a string `id` and a `status` of `'ok'` or `'error'`), or when an option is
 *   unknown or invalid.
 */
export function decideReceiptActions(messages: readonly QueueItem[], outcome: ReceiptLookupOutcome, options: ReceiptPolicyOptions = {}): ReceiptDecision {
  return decideReceiptsWithPolicy(messages, outcome, resolveReceiptPolicy(options, 'decideReceiptActions() options'));
}

/** {@link decideReceiptActions} with options already checked (the consumer checks them once, when it is created). */
export function decideReceiptsWithPolicy(messages: readonly QueueItem[], outcome: ReceiptLookupOutcome, policy: ResolvedReceiptPolicy): ReceiptDecision {
  checkItems(messages, 'decideReceiptActions()');
  checkReceiptOutcome(outcome);
  const { maxReceiptAttempts, receiptRetryDelaySeconds, backoff } = policy;
  const byId = new Map<string, PushReceipt>();
  if ('receipts' in outcome) for (const receipt of outcome.receipts) byId.set(receipt.id, receipt);
  const actions: QueueAction[] = [];
  const effects: ReceiptEffect[] = [];

  for (const item of messages) {
    const { body } = item;
    if (!isReceiptBody(body)) {
      effects.push({ type: 'invalidMessage', messageId: item.id, body, reason: 'a receipts queue message must be { id, token } with two non-empty strings' });
      actions.push({ action: 'ack' });
      continue;
    }
    const base = { messageId: item.id, id: body.id, token: body.token };
    if ('error' in outcome) {
      // A lookup refused for the credentials is retried like any failed lookup, but not silently.
      const refused = classify({ token: body.token, message: { to: body.token }, error: outcome.error });
      if (refused.kind === 'credentialProblem') effects.push({ ...base, type: 'credentialProblem', receipt: undefined, code: refused.code, reason: refused.reason });
      actions.push({ action: 'retry', delaySeconds: retryDelaySeconds(item.attempts, backoff, retryAfterOf(outcome.error)) });
      continue;
    }
    const receipt = byId.get(body.id);
    if (receipt === undefined) {
      if (item.attempts >= maxReceiptAttempts) {
        effects.push({ ...base, type: 'missingReceipt', attempts: item.attempts });
        actions.push({ action: 'ack' });
      } else actions.push({ action: 'retry', delaySeconds: Math.ceil(receiptRetryDelaySeconds) });
      continue;
    }
    const verdict = classify({ status: 'ok', id: body.id, token: body.token }, receipt);
    switch (verdict.kind) {
      case 'ok':
        effects.push({ ...base, type: 'delivered', receipt });
        break;
      case 'invalidToken':
        effects.push({ ...base, token: verdict.token, type: 'invalidToken', receipt });
        break;
      case 'credentialProblem':
        effects.push({ ...base, type: 'credentialProblem', receipt, code: verdict.code, reason: verdict.reason });
        break;
      case 'retryable':
      case 'failed':
        effects.push({ ...base, type: 'deliveryError', receipt, code: verdict.code, retryable: verdict.kind === 'retryable' });
        break;
    }
    actions.push({ action: 'ack' });
  }
  return { actions, effects };
}

/** Throws unless `outcome` is `{ receipts: [...] }` or `{ error }`, exactly one of them. */
function checkReceiptOutcome(outcome: unknown): void {
  if (typeof outcome === 'object' && outcome !== null) {
    const shape = outcome as Record<string, unknown>;
    if ('receipts' in shape !== 'error' in shape) {
      if ('error' in shape) return;
      if (Array.isArray(shape.receipts)) return checkResults(shape.receipts, 'decideReceiptActions() outcome.receipts', 'a receipt', true);
    }
  }
  throw new TypeError(`decideReceiptActions() expects an outcome of { receipts: [...] } or { error } (got ${describeOutcome(outcome)})`);
}
