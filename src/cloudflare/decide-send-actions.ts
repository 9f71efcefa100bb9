import type { StoredTicket } from '../delivery-report.ts';
import type { PushBatchFailure } from '../errors/push-batch-error.ts';
import { PushError } from '../errors/push-error.ts';
import { PushNetworkError } from '../errors/push-network-error.ts';
import { PushServerError } from '../errors/push-server-error.ts';
import type { PushValidationIssue } from '../errors/push-validation-error.ts';
import type { PushMessage } from '../push-message.ts';
import type { PushTicket } from '../push-ticket.ts';
import { adoptError, type Classification, classify, retryAfterOf } from './classify-result.ts';
import { checkOneOf, checkOptionKeys, checkPositiveInteger, describeValue } from './check-options.ts';
import { type ParsedPushBody, type PushQueueBody, parsePushBody, type ReceiptQueueBody } from './queue-bodies.ts';
import { clampDelay, type QueueBackoffOptions, type ResolvedBackoff, resolveBackoff, retryDelaySeconds } from './retry-delay.ts';

/** What the policies need of a queue message: any queue's message can be described this way. */
export interface QueueItem<Body = unknown> {
  /** The message's id on its queue. */
  readonly id: string;
  /** Deliveries so far, this one included (1 on the first). */
  readonly attempts: number;
  /** The body as delivered. */
  readonly body: Body;
}

/** What to do with one queue message. */
export type QueueAction = { readonly action: 'ack' } | { readonly action: 'retry'; readonly delaySeconds: number };

/**
 * How sending the batch's valid messages went: the tickets, what the send threw, or the rate
 * limiter's refusal (nothing was sent).
 */
export type SendOutcome =
  /** One ticket per valid message, in order (what `publishMultiple` returned). */
  | { readonly tickets: readonly (PushTicket | StoredTicket)[] }
  /** What `publishMultiple` threw: a `PushBatchError` with the partial results, or any other error. */
  | { readonly error: unknown }
  /** The rate limiter refused the batch: nothing was sent; try again after `retryAfterMs`. */
  | { readonly rateLimited: { readonly retryAfterMs: number } };

/** What a credential problem or a delivery error says about one queue message's recipient. */
export interface RecipientProblem {
  /** The queue message's id. */
  readonly messageId: string;
  /** The recipient's token. */
  readonly token: string;
  /** The message as it was sent. */
  readonly message: PushMessage;
  /** The service's error code, such as `InvalidCredentials` or `MessageTooBig`. */
  readonly code: string | undefined;
  /** The service's explanation. */
  readonly reason: string | undefined;
}

/** Something to do besides the ack or retry, for one queue message. */
export type SendEffect =
  /** An `ok` ticket: enqueue `{ id, token }` on the receipts queue. */
  | { readonly type: 'scheduleReceipt'; readonly messageId: string; readonly receipt: ReceiptQueueBody }
  /** `DeviceNotRegistered`: stop sending to `token`. */
  | { readonly type: 'invalidToken'; readonly messageId: string; readonly token: string; readonly message: PushMessage; readonly code: string }
  /**
   * The push credentials were refused: for one recipient (an `InvalidCredentials` ticket; the
   * message is acked) or for the whole request (HTTP 401/403; the message is retried, and reaches
   * the dead-letter queue if the credentials stay broken).
   */
  | (RecipientProblem & { readonly type: 'credentialProblem' })
  /** An error ticket that retrying will not fix, such as `MessageTooBig`. */
  | (RecipientProblem & { readonly type: 'deliveryError' })
  /**
   * The body is not a message this consumer can send (it failed the SDK's schema), or the service
   * refused the request as invalid (HTTP 4xx). Acked by default: retrying cannot fix it.
   */
  | {
      readonly type: 'invalidMessage';
      readonly messageId: string;
      readonly body: unknown;
      readonly reason: string;
      readonly issues: readonly PushValidationIssue[];
    }
  /**
   * The service may or may not have accepted the notification (a timeout, a reset after the body
   * was sent, a 5xx). `resent` says whether the message was retried (at-least-once) or acked
   * (at-most-once).
   */
  | {
      readonly type: 'unknownOutcome';
      readonly messageId: string;
      readonly token: string;
      readonly message: PushMessage;
      readonly error: unknown;
      readonly resent: boolean;
    };

/** What {@link decideSendActions} decided. */
export interface SendDecision {
  /** One action per input message, aligned with it. */
  readonly actions: readonly QueueAction[];
  /** The effects, in input order. */
  readonly effects: readonly SendEffect[];
}

/** The policy of the send consumer. */
export interface SendPolicyOptions {
  /**
   * What to do with a message whose send has an unknown outcome: `'ack'` (at-most-once: it may not
   * have been delivered, but is never delivered twice by this consumer) or `'retry'`
   * (at-least-once: it is sent again, and may arrive twice).
   * @default 'ack'
   */
  unknownOutcome?: 'ack' | 'retry';
  /**
   * What to do with a body that is not a valid push message: `'ack'` it (and report it), or
   * `'dead-letter'`: retry it at once so that after `max_retries` the queue moves it to its
   * dead-letter queue, where it can be inspected.
   * @default 'ack'
   */
  poisonMessages?: 'ack' | 'dead-letter';
  /**
   * Backoff of retried messages.
   * @default { baseDelaySeconds: 2, maxDelaySeconds: 300 }
   */
  backoff?: QueueBackoffOptions;
}

/** The option names of {@link SendPolicyOptions}, for checking a caller's options for typos. */
export const SEND_POLICY_OPTIONS = ['unknownOutcome', 'poisonMessages', 'backoff'] as const satisfies ReadonlyArray<keyof SendPolicyOptions>;

/** {@link SendPolicyOptions} checked, with the defaults filled in. */
export interface ResolvedSendPolicy {
  readonly unknownOutcome: 'ack' | 'retry';
  readonly poisonMessages: 'ack' | 'dead-letter';
  readonly backoff: ResolvedBackoff;
}

/** Checks {@link SendPolicyOptions} (unknown keys, types, ranges) and fills in the defaults; `what` names them in errors. */
export function resolveSendPolicy(options: SendPolicyOptions | undefined, what: string): ResolvedSendPolicy {
  checkOptionKeys(options, SEND_POLICY_OPTIONS, what);
  const { unknownOutcome = 'ack', poisonMessages = 'ack', backoff } = options ?? {};
  return {
    unknownOutcome: checkOneOf('unknownOutcome', unknownOutcome, ['ack', 'retry']),
    poisonMessages: checkOneOf('poisonMessages', poisonMessages, ['ack', 'dead-letter']),
    backoff: resolveBackoff(backoff),
  };
}

/**
 * The body a valid queue message is sent with; `undefined` for a poison message. It is the body
 * object itself, not a validated copy, so that the results of a partial failure refer back to the
 * very objects that were sent (copies are matched by token and content, see {@link decideSendActions}).
 */
export function sendableMessage(body: unknown): PushQueueBody | undefined {
  const parsed = parsePushBody(body);
  return 'message' in parsed ? (body as PushQueueBody) : undefined;
}

/**
 * The send consumer's policy as a pure function: from a batch of queue messages and the outcome of
 * sending their valid bodies (in order, each addressed to one token, as one `publishMultiple`
 * call), what to do with each message and which effects to run. Every message gets exactly one
 * action; nothing is dropped without an effect that says why.
 *
 * | result for a message | action | effect |
 * | --- | --- | --- |
 * | `ok` ticket | ack | `scheduleReceipt` |
 * | `DeviceNotRegistered` ticket | ack | `invalidToken` |
 * | `InvalidCredentials` (or a provider credential code) ticket | ack | `credentialProblem` |
 * | `MessageRateExceeded`, `ProviderError`, 429, refused before sending | retry, backoff honouring `Retry-After` | |
 * | any other error ticket | ack | `deliveryError` |
 * | request refused with 401/403 | retry with backoff (dead-letter queue if it persists) | `credentialProblem` |
 * | request refused as invalid (other 4xx), invalid body | ack (or retry for `poisonMessages: 'dead-letter'`) | `invalidMessage` |
 * | outcome unknown (timeout, reset, 5xx, unexpected error) | ack, or retry if `unknownOutcome: 'retry'` | `unknownOutcome` |
 * | rate limiter refused | retry after the limiter's delay | |
 *
 * When a `PushBatchError` reports a partial failure, its tickets and failed recipients are matched
 * to the messages by body identity first (pass the very bodies you sent), then by token and body
 * content (the JSON of a copy), then by token in order, so that copies of the bodies are matched
 * too, and two different messages to one token keep their own results. Only a message matched by
 * none of these counts as an unknown outcome.
 *
 * @throws {TypeError} when `messages` is not an array of `{ id, attempts, body }` with `attempts` a
 *   positive integer, when `outcome` is not one of the three {@link SendOutcome} shapes (or a ticket
 *   is not an object with a `status` of `'ok'` or `'error'`), or when an option is unknown or invalid.
 */
export function decideSendActions(messages: readonly QueueItem[], outcome: SendOutcome, options: SendPolicyOptions = {}): SendDecision {
  return decideWithPolicy(messages, outcome, resolveSendPolicy(options, 'decideSendActions() options'));
}

/** {@link decideSendActions} with options already checked (the consumer checks them once, when it is created). */
export function decideWithPolicy(messages: readonly QueueItem[], outcome: SendOutcome, policy: ResolvedSendPolicy): SendDecision {
  checkItems(messages, 'decideSendActions()');
  checkSendOutcome(outcome);
  const { unknownOutcome, poisonMessages, backoff } = policy;
  const actions: QueueAction[] = [];
  const effects: SendEffect[] = [];
  const retry = (item: QueueItem, requestedMs?: number): QueueAction => ({ action: 'retry', delaySeconds: retryDelaySeconds(item.attempts, backoff, requestedMs) });
  const ack: QueueAction = { action: 'ack' };
  const parsed = messages.map((item) => parsePushBody(item.body));
  const results = matchResults(messages, parsed, outcome);

  messages.forEach((item, index) => {
    const read = parsed[index] as ParsedPushBody;
    if ('issues' in read) {
      const reason = read.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
      effects.push({ type: 'invalidMessage', messageId: item.id, body: item.body, reason, issues: read.issues });
      actions.push(poisonMessages === 'dead-letter' ? { action: 'retry', delaySeconds: 0 } : ack);
      return;
    }
    const message = item.body as PushQueueBody;
    const token = read.message.to;
    if ('rateLimited' in outcome) {
      actions.push({ action: 'retry', delaySeconds: clampDelay(outcome.rateLimited.retryAfterMs / 1000) });
      return;
    }
    const result = results[index] as ItemResult;
    if (result.kind === 'unknown') {
      const resent = unknownOutcome === 'retry';
      effects.push({ type: 'unknownOutcome', messageId: item.id, token, message, error: result.error, resent });
      actions.push(resent ? retry(item) : ack);
      return;
    }
    const verdict: Classification = result.kind === 'ticket' ? classify(result.ticket) : classify({ token, message, error: result.error });
    const base = { messageId: item.id, token, message };
    switch (verdict.kind) {
      case 'ok': {
        const id = result.kind === 'ticket' ? result.ticket.id : undefined;
        if (id !== undefined) effects.push({ type: 'scheduleReceipt', messageId: item.id, receipt: { id, token } });
        actions.push(ack);
        return;
      }
      case 'invalidToken':
        effects.push({ ...base, type: 'invalidToken', token: verdict.token, code: verdict.code });
        actions.push(ack);
        return;
      case 'credentialProblem':
        effects.push({ ...base, type: 'credentialProblem', code: verdict.code, reason: verdict.reason });
        actions.push(result.kind === 'ticket' ? ack : retry(item, retryAfterOf(result.error)));
        return;
      case 'retryable':
        if (verdict.duplicateRisk) {
          const resent = unknownOutcome === 'retry';
          effects.push({ ...base, type: 'unknownOutcome', error: result.kind === 'failure' ? result.error : undefined, resent });
          actions.push(resent ? retry(item, retryAfterOf(result.kind === 'failure' ? result.error : undefined)) : ack);
        } else actions.push(retry(item, result.kind === 'failure' ? retryAfterOf(result.error) : undefined));
        return;
      case 'failed':
        if (result.kind === 'ticket') effects.push({ ...base, type: 'deliveryError', code: verdict.code, reason: verdict.reason });
        else effects.push({ type: 'invalidMessage', messageId: item.id, body: item.body, reason: `${verdict.code ?? 'refused'}: ${verdict.reason ?? ''}`, issues: [] });
        actions.push(ack);
        return;
    }
  });
  return { actions, effects };
}

/**
 * Checks the queue messages handed to a policy: a wrong `attempts` (`NaN`, 0, a string) would
 * otherwise turn into a retry delay of 0, a redelivery loop with no pause.
 */
export function checkItems(messages: readonly QueueItem[], fn: string): void {
  if (!Array.isArray(messages)) throw new TypeError(`${fn} expects an array of queue messages { id, attempts, body } (got ${describeValue(messages)})`);
  messages.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) throw new TypeError(`${fn} messages[${index}] must be an object { id, attempts, body } (got ${describeValue(item)})`);
    const { id, attempts } = item as Record<string, unknown>;
    if (typeof id !== 'string') throw new TypeError(`${fn} messages[${index}].id must be a string (got ${describeValue(id)})`);
    checkPositiveInteger(`${fn} messages[${index}].attempts`, attempts);
  });
}

/** How an outcome that is none of the accepted shapes is shown: its keys, never its values. */
export function describeOutcome(outcome: unknown): string {
  if (typeof outcome !== 'object' || outcome === null || Array.isArray(outcome)) return describeValue(outcome);
  const keys = Object.keys(outcome);
  return keys.length === 0 ? 'an object with no keys' : `an object with keys ${keys.join(', ')}`;
}

/** Throws unless `outcome` has exactly one of the three {@link SendOutcome} shapes. */
function checkSendOutcome(outcome: unknown): void {
  if (typeof outcome === 'object' && outcome !== null) {
    const shape = outcome as Record<string, unknown>;
    const present = ['tickets', 'error', 'rateLimited'].filter((key) => key in shape);
    const { tickets, rateLimited } = shape as { tickets?: unknown; rateLimited?: { retryAfterMs?: unknown } };
    if (present.length === 1) {
      if (present[0] === 'error') return;
      if (present[0] === 'tickets' && Array.isArray(tickets)) return checkResults(tickets, 'decideSendActions() outcome.tickets', 'a ticket', false);
      const wait = typeof rateLimited === 'object' && rateLimited !== null ? rateLimited.retryAfterMs : undefined;
      if (present[0] === 'rateLimited' && typeof wait === 'number' && Number.isFinite(wait) && wait >= 0) return;
    }
  }
  throw new TypeError(
    `decideSendActions() expects an outcome of { tickets: [...] }, { error } or { rateLimited: { retryAfterMs } } (got ${describeOutcome(outcome)})`,
  );
}

/**
 * Throws unless each ticket or receipt of an outcome is an object with `status` `'ok'` or `'error'`
 * (and, for a receipt, a string `id`): a `null` would otherwise crash the policy, and an object
 * without a status pass for an `ok` without a receipt id, acked silently.
 */
export function checkResults(results: readonly unknown[], path: string, what: string, needsId: boolean): void {
  results.forEach((result, index) => {
    const { status, id } = (typeof result === 'object' && result !== null ? result : {}) as { status?: unknown; id?: unknown };
    if ((status === 'ok' || status === 'error') && (!needsId || typeof id === 'string')) return;
    throw new TypeError(`${path}[${index}] must be ${what} { ${needsId ? 'id, ' : ''}status: 'ok' | 'error', … } (got ${describeOutcome(result)})`);
  });
}

type ItemResult =
  | { readonly kind: 'ticket'; readonly ticket: PushTicket | StoredTicket }
  | { readonly kind: 'failure'; readonly error: unknown }
  | { readonly kind: 'unknown'; readonly error: unknown };

/** Each message's result in the outcome, aligned with `messages` (unused for invalid bodies). */
function matchResults(messages: readonly QueueItem[], parsed: readonly ParsedPushBody[], outcome: SendOutcome): ItemResult[] {
  if ('tickets' in outcome) {
    // Tickets come one per valid message, in order.
    const missing: ItemResult = { kind: 'unknown', error: new Error('The send returned fewer tickets than messages') };
    let next = 0;
    return parsed.map((read) => {
      if (!('message' in read)) return missing;
      const ticket = outcome.tickets[next++];
      return ticket ? { kind: 'ticket', ticket } : missing;
    });
  }
  if ('error' in outcome) {
    const { error } = outcome;
    const unknown: ItemResult = { kind: 'unknown', error };
    const batch = asBatchError(error);
    if (batch) return matchBatchError(messages, parsed, batch, unknown);
    const adopted = adoptError(error);
    // A service or network failure of the whole call is classified like a failed request; anything
    // else (a bug, an abort) may have struck before or after the request went out.
    const known = adopted instanceof PushServerError || adopted instanceof PushNetworkError;
    const result: ItemResult = known ? { kind: 'failure', error } : unknown;
    return messages.map(() => result);
  }
  return messages.map(() => ({ kind: 'unknown', error: undefined }));
}

/**
 * Matches a `PushBatchError`'s tickets and failed recipients to the messages in three passes, each
 * first come first served: by body identity (the client hands back the very objects it was given);
 * then by token and content (the token with the body's JSON), for a caller who sent copies of the
 * bodies (a body read from a queue again, `{ ...body }`: copies keep the key order); and only then
 * by token alone. Without the second pass, two different messages to one token in different
 * requests could swap results (one acked unsent, the other sent twice); without the third, a copy
 * whose content differs would count as an unknown outcome and recipients provably not sent (a 429)
 * would be lost.
 */
function matchBatchError(messages: readonly QueueItem[], parsed: readonly ParsedPushBody[], batch: BatchErrorLike, unknown: ItemResult): ItemResult[] {
  interface Candidate {
    readonly body: unknown;
    readonly token: unknown;
    readonly result: ItemResult;
    used: boolean;
  }
  const candidates: Candidate[] = [];
  for (const ticket of batch.tickets) candidates.push({ body: ticket.pushMessage, token: ticket.token, result: { kind: 'ticket', ticket }, used: false });
  for (const failure of batch.failures) {
    for (const recipient of failure.recipients) candidates.push({ body: recipient.message, token: recipient.token, result: { kind: 'failure', error: failure.error }, used: false });
  }
  const fifo = <K>(key: (candidate: Candidate) => K) => {
    const queues = new Map<K, Candidate[]>();
    for (const candidate of candidates) {
      const k = key(candidate);
      const queue = queues.get(k);
      if (queue) queue.push(candidate);
      else queues.set(k, [candidate]);
    }
    return (k: K) => {
      // An undefined key (a body without JSON) matches nothing.
      const found = k === undefined ? undefined : queues.get(k)?.find((candidate) => !candidate.used);
      if (found) found.used = true;
      return found?.result;
    };
  };
  const byBody = fifo((candidate) => candidate.body);
  const byContent = fifo((candidate) => contentKey(candidate.token, candidate.body));
  const byToken = fifo((candidate) => candidate.token);
  const sendable = (index: number) => 'message' in (parsed[index] as ParsedPushBody);
  const tokenOf = (index: number) => (parsed[index] as { message: PushQueueBody }).message.to;
  let results: Array<ItemResult | undefined> = messages.map((item, index) => (sendable(index) ? byBody(item.body) : unknown));
  results = results.map((result, index) => result ?? byContent(contentKey(tokenOf(index), (messages[index] as QueueItem).body)));
  return results.map((result, index) => result ?? byToken(tokenOf(index)) ?? unknown);
}

/** A recipient's token and the JSON of its body, to match copies of a body; a body without JSON matches nothing. */
function contentKey(token: unknown, body: unknown): string | undefined {
  try {
    return `${String(token)}\n${JSON.stringify(body)}`;
  } catch {
    return undefined;
  }
}

/** What a `PushBatchError` holds, from any copy of the SDK. */
interface BatchErrorLike {
  readonly tickets: readonly PushTicket[];
  readonly failures: readonly PushBatchFailure[];
}

/** A `PushBatchError` from any copy of the SDK. */
function asBatchError(error: unknown): BatchErrorLike | undefined {
  if (!PushError.isPushError(error) || error.name !== 'PushBatchError') return undefined;
  const { tickets, failures } = error as unknown as { tickets?: unknown; failures?: unknown };
  return Array.isArray(tickets) && Array.isArray(failures) ? { tickets, failures } : undefined;
}
