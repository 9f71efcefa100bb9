import type { StoredTicket } from '../delivery-report.ts';
import type { PushBatchFailure } from '../errors/push-batch-error.ts';
import { PushError } from '../errors/push-error.ts';
import { PushNetworkError } from '../errors/push-network-error.ts';
import { PushServerError } from '../errors/push-server-error.ts';
import type { PushValidationIssue } from '../errors/push-validation-error.ts';
import type { PushMessage } from '../push-message.ts';
import type { PushTicket } from '../push-ticket.ts';
import { adoptError, type Classification, classify, retryAfterOf } from './classify-result.ts';
import { type PushQueueBody, parsePushBody, type ReceiptQueueBody } from './queue-bodies.ts';
import { clampDelay, type QueueBackoffOptions, resolveBackoff, retryDelaySeconds } from './retry-delay.ts';

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
  | {
      readonly type: 'credentialProblem';
      readonly messageId: string;
      readonly token: string;
      readonly message: PushMessage;
      readonly code: string | undefined;
      readonly reason: string | undefined;
    }
  /** An error ticket that retrying will not fix, such as `MessageTooBig`. */
  | {
      readonly type: 'deliveryError';
      readonly messageId: string;
      readonly token: string;
      readonly message: PushMessage;
      readonly code: string | undefined;
      readonly reason: string | undefined;
    }
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
      readonly type: 'outcomeUnknown';
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

/** The body a valid queue message is sent with; `undefined` for a poison message. */
export function sendableMessage(body: unknown): PushQueueBody | undefined {
  const parsed = parsePushBody(body);
  // The body object itself, not the validated copy: tickets and batch failures refer back to the
  // very objects that were sent, which is how results are matched to queue messages.
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
 * | outcome unknown (timeout, reset, 5xx, unexpected error) | ack, or retry if `unknownOutcome: 'retry'` | `outcomeUnknown` |
 * | rate limiter refused | retry after the limiter's delay | |
 */
export function decideSendActions(messages: readonly QueueItem[], outcome: SendOutcome, options: SendPolicyOptions = {}): SendDecision {
  const { unknownOutcome = 'ack', poisonMessages = 'ack' } = options;
  const backoff = resolveBackoff(options.backoff);
  const actions: QueueAction[] = [];
  const effects: SendEffect[] = [];
  const retry = (item: QueueItem, requestedMs?: number): QueueAction => ({ action: 'retry', delaySeconds: retryDelaySeconds(item.attempts, backoff, requestedMs) });
  const ack: QueueAction = { action: 'ack' };
  const resultOf = resultFinder(messages, outcome);

  messages.forEach((item) => {
    const parsed = parsePushBody(item.body);
    if ('issues' in parsed) {
      const reason = parsed.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
      effects.push({ type: 'invalidMessage', messageId: item.id, body: item.body, reason, issues: parsed.issues });
      actions.push(poisonMessages === 'dead-letter' ? { action: 'retry', delaySeconds: 0 } : ack);
      return;
    }
    const message = item.body as PushQueueBody;
    const token = parsed.message.to;
    if ('rateLimited' in outcome) {
      actions.push({ action: 'retry', delaySeconds: clampDelay(outcome.rateLimited.retryAfterMs / 1000) });
      return;
    }
    const result = resultOf(item);
    if (result.kind === 'unknown') {
      const resent = unknownOutcome === 'retry';
      effects.push({ type: 'outcomeUnknown', messageId: item.id, token, message, error: result.error, resent });
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
          effects.push({ ...base, type: 'outcomeUnknown', error: result.kind === 'failure' ? result.error : undefined, resent });
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

type ItemResult =
  | { readonly kind: 'ticket'; readonly ticket: PushTicket | StoredTicket }
  | { readonly kind: 'failure'; readonly error: unknown }
  | { readonly kind: 'unknown'; readonly error: unknown };

/** Finds each valid message's result in the outcome. */
function resultFinder(messages: readonly QueueItem[], outcome: SendOutcome): (item: QueueItem) => ItemResult {
  if ('tickets' in outcome) {
    // Tickets come one per valid message, in order.
    const byItem = new Map<QueueItem, PushTicket | StoredTicket>();
    let next = 0;
    for (const item of messages) {
      if (!('message' in parsePushBody(item.body))) continue;
      const ticket = outcome.tickets[next++];
      if (ticket !== undefined) byItem.set(item, ticket);
    }
    const missing = new Error('The send returned fewer tickets than messages');
    return (item) => {
      const ticket = byItem.get(item);
      return ticket ? { kind: 'ticket', ticket } : { kind: 'unknown', error: missing };
    };
  }
  if ('error' in outcome) {
    const { error } = outcome;
    const batch = asBatchError(error);
    if (batch) {
      // Tickets and failures name the very message objects that were sent: match on identity.
      const byBody = new Map<unknown, ItemResult>();
      for (const ticket of batch.tickets) byBody.set(ticket.pushMessage, { kind: 'ticket', ticket });
      for (const failure of batch.failures) for (const recipient of failure.recipients) byBody.set(recipient.message, { kind: 'failure', error: failure.error });
      return (item) => byBody.get(item.body) ?? { kind: 'unknown', error };
    }
    const adopted = adoptError(error);
    // A service or network failure of the whole call is classified like a failed request; anything
    // else (a bug, an abort) may have struck before or after the request went out.
    const known = adopted instanceof PushServerError || adopted instanceof PushNetworkError;
    return () => (known ? { kind: 'failure', error } : { kind: 'unknown', error });
  }
  return () => ({ kind: 'unknown', error: undefined });
}

/** A `PushBatchError` from any copy of the SDK. */
function asBatchError(error: unknown): { tickets: readonly PushTicket[]; failures: readonly PushBatchFailure[] } | undefined {
  if (!PushError.isPushError(error) || error.name !== 'PushBatchError') return undefined;
  const { tickets, failures } = error as unknown as { tickets?: unknown; failures?: unknown };
  return Array.isArray(tickets) && Array.isArray(failures) ? { tickets, failures } : undefined;
}
