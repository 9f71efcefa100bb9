import type { PushClientOptions } from '../client-options.ts';
import { MAX_QUEUE_BATCH_MESSAGES } from './enqueue-push-messages.ts';
import { applyActions, type CallbackErrorHandler, clientCache, itemsOf, runCallback } from './consumer-common.ts';
import { decideSendActions, type SendEffect, type SendOutcome, type SendPolicyOptions, sendableMessage } from './decide-send-actions.ts';
import { type PushRateLimitOptions, releaseGrant, requestGrant, resolveRateLimit } from './push-rate-limiter.ts';
import type { PushQueueBody, ReceiptQueueBody } from './queue-bodies.ts';
import { type DurableObjectNamespaceLike, type ExecutionContextLike, type FromEnv, fromEnv, type QueueMessageBatch, type QueueProducer } from './queue-types.ts';
import { clampDelay } from './retry-delay.ts';

/** The effect of a given type. */
type EffectOf<T extends SendEffect['type']> = Extract<SendEffect, { type: T }>;

/** The Durable Object pacing every consumer: where to find it, and the rate. */
export interface SendRateLimitOptions<Env> extends PushRateLimitOptions {
  /** The namespace binding of the {@link PushRateLimiter} class, e.g. `(env) => env.PUSH_RATE_LIMITER`. */
  namespace: FromEnv<Env, DurableObjectNamespaceLike>;
}

/** Options of {@link createSendConsumer}. */
export interface SendConsumerOptions<Env = Record<string, unknown>> extends SendPolicyOptions {
  /**
   * Options of the `PushClient` that sends, or a function of `env` returning them (the access
   * token is a secret binding). `retry` and `rateLimit` default to `false` here: the queue retries
   * and the Durable Object paces, so nothing sleeps in the Worker.
   * @default (env) => ({ accessToken: env.EXPO_ACCESS_TOKEN })
   */
  client?: FromEnv<Env, PushClientOptions>;
  /** The receipts queue producer binding, e.g. `(env) => env.PUSH_RECEIPTS`. */
  receiptsQueue: FromEnv<Env, QueueProducer<ReceiptQueueBody>>;
  /**
   * Seconds between a ticket and the first look at its receipt. Expo advises 15 minutes.
   * @default 900
   */
  receiptDelaySeconds?: number;
  /**
   * Project-wide pacing through a {@link PushRateLimiter} Durable Object, asked before every send;
   * `false` sends without asking (one consumer at a time, or a limiter of your own).
   * @default false
   */
  rateLimit?: SendRateLimitOptions<Env> | false;
  /**
   * Attempts at enqueueing a batch's receipt checks before giving up on them and calling
   * `onReceiptsNotScheduled`. The notifications were sent: failing the batch would send them again.
   * @default 3
   */
  receiptScheduleAttempts?: number;
  /**
   * A `DeviceNotRegistered` ticket: delete `effect.token`.
   * @default undefined
   */
  onInvalidToken?: (effect: EffectOf<'invalidToken'>, env: Env) => void | Promise<void>;
  /**
   * The credentials were refused, for this recipient or the whole request.
   * @default undefined
   */
  onCredentialProblem?: (effect: EffectOf<'credentialProblem'>, env: Env) => void | Promise<void>;
  /**
   * An error ticket that retrying will not fix, such as `MessageTooBig`.
   * @default undefined
   */
  onDeliveryError?: (effect: EffectOf<'deliveryError'>, env: Env) => void | Promise<void>;
  /**
   * A body that is not a valid push message, or a request the service refused as invalid.
   * @default undefined
   */
  onInvalidMessage?: (effect: EffectOf<'invalidMessage'>, env: Env) => void | Promise<void>;
  /**
   * A send whose outcome is unknown; `effect.resent` says whether it is retried.
   * @default undefined
   */
  onUnknownOutcome?: (effect: EffectOf<'outcomeUnknown'>, env: Env) => void | Promise<void>;
  /**
   * Called for the receipt checks of `ok` tickets once they are on the receipts queue (a place to
   * store tickets, if you keep them).
   * @default undefined
   */
  onReceiptsScheduled?: (receipts: readonly ReceiptQueueBody[], env: Env) => void | Promise<void>;
  /**
   * The receipts queue refused the receipt checks `receiptScheduleAttempts` times. The tickets are
   * handed over here so that they are not lost; by default they are written to the console as
   * JSON (receipt ids and tokens only), for a later replay.
   * @default undefined (console.error)
   */
  onReceiptsNotScheduled?: (receipts: readonly ReceiptQueueBody[], error: unknown, env: Env) => void | Promise<void>;
  /**
   * A callback above threw. The batch is acked and retried as decided all the same.
   * @default undefined (console.error)
   */
  onError?: CallbackErrorHandler<Env>;
}

/** A queue consumer: the `queue` function to export (or call) from a Worker. */
export interface QueueConsumer<Env, Body> {
  /** Handles one batch; settles once every message is acked or retried. */
  queue(batch: QueueMessageBatch<Body>, env: Env, ctx?: ExecutionContextLike): Promise<void>;
}

/**
 * Creates the send consumer: a `queue(batch, env, ctx)` handler that sends a batch of push queue
 * messages (one recipient each, see {@link enqueuePushMessages}) as one request and acks or retries
 * each message by {@link decideSendActions}. `ok` tickets have their receipt check enqueued on the
 * receipts queue with `receiptDelaySeconds` of delay.
 *
 * Order of work, for crash safety: ask the rate limiter, send, enqueue receipt checks, run the
 * callbacks, and only then ack or retry. A crash before the acks leaves every message to be
 * delivered again, so nothing is lost; what was sent before the crash is then sent again.
 *
 * @example
 * const sendConsumer = createSendConsumer<Env>({
 *   receiptsQueue: (env) => env.PUSH_RECEIPTS,
 *   rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER },
 *   onInvalidToken: ({ token }, env) => env.DB.prepare('DELETE FROM tokens WHERE token = ?').bind(token).run(),
 * });
 */
export function createSendConsumer<Env = Record<string, unknown>>(options: SendConsumerOptions<Env>): QueueConsumer<Env, unknown> {
  const { receiptDelaySeconds = 900, receiptScheduleAttempts = 3, onError } = options;
  if (!(Number.isInteger(receiptScheduleAttempts) && receiptScheduleAttempts >= 1)) throw new TypeError('receiptScheduleAttempts must be a positive integer');
  if (options.receiptsQueue === undefined) throw new TypeError('receiptsQueue is required: the producer binding of the receipts queue');
  const rateLimit = options.rateLimit ? { ...resolveRateLimit(options.rateLimit), namespace: options.rateLimit.namespace } : undefined;
  const clientFor = clientCache(options.client);
  const policy: SendPolicyOptions = { unknownOutcome: options.unknownOutcome, poisonMessages: options.poisonMessages, backoff: options.backoff };
  // Checked now rather than at the first batch.
  decideSendActions([], { tickets: [] }, policy);
  const delaySeconds = clampDelay(receiptDelaySeconds);
  /** The caller's callback for each kind of effect (receipt scheduling is the consumer's own). */
  const callbackFor = (type: Exclude<SendEffect['type'], 'scheduleReceipt'>) =>
    ({
      invalidToken: options.onInvalidToken,
      credentialProblem: options.onCredentialProblem,
      deliveryError: options.onDeliveryError,
      invalidMessage: options.onInvalidMessage,
      outcomeUnknown: options.onUnknownOutcome,
    })[type];

  /** Enqueues the receipt checks; returns the ones that could not be enqueued, and why. */
  const scheduleReceipts = async (receipts: readonly ReceiptQueueBody[], env: Env) => {
    let pending = receipts;
    let lastError: unknown;
    for (let attempt = 1; attempt <= receiptScheduleAttempts && pending.length > 0; attempt++) {
      try {
        // Chunk by chunk, dropping each once it is on the queue, so that a retry never enqueues a
        // chunk twice (unless the queue failed after storing it: a second look at a receipt is harmless).
        const queue = fromEnv(options.receiptsQueue, env);
        while (pending.length > 0) {
          const chunk = pending.slice(0, MAX_QUEUE_BATCH_MESSAGES);
          await queue.sendBatch(chunk.map((body) => ({ body, delaySeconds, contentType: 'json' as const })));
          pending = pending.slice(chunk.length);
        }
      } catch (error) {
        lastError = error;
      }
    }
    return { pending, error: lastError };
  };

  return {
    async queue(batch, env) {
      const items = itemsOf(batch.messages);
      const sendable = items.flatMap((item) => sendableMessage(item.body) ?? []);
      let outcome: SendOutcome | undefined;
      let grantId: number | undefined;
      const limiter = rateLimit ? fromEnv(rateLimit.namespace, env) : undefined;
      if (sendable.length === 0) outcome = { tickets: [] };
      else if (rateLimit && limiter) {
        const grant = await requestGrant(limiter, sendable.length, rateLimit);
        if (grant.granted) grantId = grant.grantId;
        else outcome = { rateLimited: { retryAfterMs: grant.retryAfterMs } };
      }
      if (outcome === undefined) {
        try {
          outcome = { tickets: await clientFor(env).publishMultiple(sendable as PushQueueBody[]) };
        } catch (error) {
          outcome = { error };
        } finally {
          if (rateLimit && limiter && grantId !== undefined) await releaseGrant(limiter, grantId, rateLimit);
        }
      }
      const { actions, effects } = decideSendActions(items, outcome, policy);
      const receipts: ReceiptQueueBody[] = [];
      for (const effect of effects) if (effect.type === 'scheduleReceipt') receipts.push(effect.receipt);
      if (receipts.length > 0) {
        const { pending, error } = await scheduleReceipts(receipts, env);
        const scheduled = pending.length === 0 ? receipts : receipts.filter((receipt) => !pending.includes(receipt));
        if (scheduled.length > 0 && options.onReceiptsScheduled) {
          await runCallback(() => options.onReceiptsScheduled?.(scheduled, env), { type: 'receiptsScheduled' }, env, onError);
        }
        if (pending.length > 0) {
          if (options.onReceiptsNotScheduled) {
            await runCallback(() => options.onReceiptsNotScheduled?.(pending, error, env), { type: 'receiptsNotScheduled' }, env, onError);
          } else console.error('expo-push-edge/cloudflare: receipt checks could not be enqueued; these tickets were sent:', JSON.stringify(pending));
        }
      }
      for (const effect of effects) {
        if (effect.type === 'scheduleReceipt') continue;
        const callback = callbackFor(effect.type) as ((effect: SendEffect, env: Env) => unknown) | undefined;
        await runCallback(callback && (() => callback(effect, env)), effect, env, onError);
      }
      applyActions(batch.messages, actions);
    },
  };
}
