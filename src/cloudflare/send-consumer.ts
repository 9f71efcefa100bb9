import type { PushClientOptions } from '../client-options.ts';
import { MAX_QUEUE_BATCH_MESSAGES } from './enqueue-push-messages.ts';
import { checkDelaySeconds, checkOptionKeys, checkPositiveInteger, describeValue, hasMethods } from './check-options.ts';
import {
  applyActions,
  type CallbackErrorHandler,
  checkBindingOption,
  checkCallbacks,
  checkClientOption,
  clientCache,
  describeBinding,
  readBatch,
  runCallback,
  warnWithoutCallbacks,
} from './consumer-common.ts';
import { decideWithPolicy, resolveSendPolicy, SEND_POLICY_OPTIONS, type SendEffect, type SendOutcome, type SendPolicyOptions, sendableMessage } from './decide-send-actions.ts';
import { PUSH_RATE_LIMIT_OPTIONS, type PushRateLimitOptions, releaseGrant, requestGrant, resolveRateLimit } from './push-rate-limiter.ts';
import type { PushQueueBody, ReceiptQueueBody } from './queue-bodies.ts';
import { type DurableObjectNamespaceLike, type ExecutionContextLike, type FromEnv, fromEnv, type QueueMessageBatch, type QueueProducer } from './queue-types.ts';

/** The effect of a given type. */
type EffectOf<T extends SendEffect['type']> = Extract<SendEffect, { type: T }>;

/** The Durable Object pacing every consumer: where to find it, and the rate. */
export interface SendRateLimitOptions<Env> extends PushRateLimitOptions {
  /**
   * The namespace binding of the {@link PushRateLimiter} class, e.g. `(env) => env.PUSH_RATE_LIMITER`.
   * Required: a binding that resolves to nothing makes the batch fail before anything is sent.
   */
  namespace: FromEnv<Env, DurableObjectNamespaceLike>;
}

/** Options of {@link createSendConsumer}. */
export interface SendConsumerOptions<Env = Record<string, unknown>> extends SendPolicyOptions {
  /**
   * Options of the `PushClient` that sends, or a function of `env` returning them. They go on top
   * of the defaults, so the access token still comes from `env.EXPO_ACCESS_TOKEN` unless they set
   * `accessToken` (`''` for none); options set to `undefined` keep the default. `retry` and
   * `rateLimit` default to `false` here: the queue retries and the Durable Object paces, so nothing
   * sleeps in the Worker. Options given as an object are checked when the consumer is created.
   * @default { accessToken: env.EXPO_ACCESS_TOKEN, retry: false, rateLimit: false }
   */
  client?: FromEnv<Env, PushClientOptions>;
  /** The receipts queue producer binding, e.g. `(env) => env.PUSH_RECEIPTS`. Resolved, and checked for a `sendBatch()`, before each send. */
  receiptsQueue: FromEnv<Env, QueueProducer<ReceiptQueueBody>>;
  /**
   * Seconds between a ticket and the first look at its receipt (0 to 43200, rounded up to whole
   * seconds). Expo advises 15 minutes.
   * @default 900
   */
  receiptDelaySeconds?: number;
  /**
   * Project-wide pacing through a {@link PushRateLimiter} Durable Object, asked before every send:
   * `{ namespace: (env) => env.PUSH_RATE_LIMITER }`. Required, so that a missing binding cannot
   * silently turn pacing off: `false` sends without asking (one consumer at a time, or a limiter
   * of your own).
   */
  rateLimit: SendRateLimitOptions<Env> | false;
  /**
   * Attempts at enqueueing a batch's receipt checks before giving up on them and calling
   * `onReceiptsNotScheduled`. The notifications were sent: failing the batch would send them again.
   * @default 3
   */
  receiptScheduleAttempts?: number;
  /**
   * A `DeviceNotRegistered` ticket: delete `effect.token`. Awaited; its result is ignored.
   * @default undefined (one console.warn line per batch with the count and queue message ids)
   */
  onInvalidToken?: (effect: EffectOf<'invalidToken'>, env: Env) => unknown;
  /**
   * The credentials were refused, for this recipient or the whole request.
   * @default undefined (one console.warn line per batch with the count, codes and queue message ids)
   */
  onCredentialProblem?: (effect: EffectOf<'credentialProblem'>, env: Env) => unknown;
  /**
   * An error ticket that retrying will not fix, such as `MessageTooBig`.
   * @default undefined (one console.warn line per batch with the count, codes and queue message ids)
   */
  onDeliveryError?: (effect: EffectOf<'deliveryError'>, env: Env) => unknown;
  /**
   * A body that is not a valid push message, or a request the service refused as invalid.
   * @default undefined (one console.warn line per batch with the count and queue message ids)
   */
  onInvalidMessage?: (effect: EffectOf<'invalidMessage'>, env: Env) => unknown;
  /**
   * A send whose outcome is unknown; `effect.resent` says whether it is retried.
   * @default undefined (one console.warn line per batch with the count and queue message ids)
   */
  onUnknownOutcome?: (effect: EffectOf<'unknownOutcome'>, env: Env) => unknown;
  /**
   * Called for the receipt checks of `ok` tickets once they are on the receipts queue (a place to
   * store tickets, if you keep them).
   * @default undefined
   */
  onReceiptsScheduled?: (receipts: readonly ReceiptQueueBody[], env: Env) => unknown;
  /**
   * The receipts queue refused the receipt checks `receiptScheduleAttempts` times. The tickets are
   * handed over here so that they are not lost; by default they are written to the console as
   * JSON (receipt ids and tokens only), for a later replay.
   * @default undefined (console.error)
   */
  onReceiptsNotScheduled?: (receipts: readonly ReceiptQueueBody[], error: unknown, env: Env) => unknown;
  /**
   * A callback above threw. The batch is acked and retried as decided all the same. If `onError`
   * throws too, both errors go to the console.
   * @default undefined (console.error)
   */
  onError?: CallbackErrorHandler<Env>;
}

/** The option names of {@link SendConsumerOptions}, for checking a caller's options for typos. */
const SEND_CONSUMER_OPTIONS = [
  'client',
  'receiptsQueue',
  'receiptDelaySeconds',
  'rateLimit',
  'receiptScheduleAttempts',
  'onInvalidToken',
  'onCredentialProblem',
  'onDeliveryError',
  'onInvalidMessage',
  'onUnknownOutcome',
  'onReceiptsScheduled',
  'onReceiptsNotScheduled',
  'onError',
  ...SEND_POLICY_OPTIONS,
] as const satisfies ReadonlyArray<keyof SendConsumerOptions>;

/** How to set `rateLimit`, for the errors that say it is missing. */
const RATE_LIMIT_HOW = 'rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER } (a PushRateLimiter Durable Object binding), or rateLimit: false to send without project-wide pacing';

/** The rate-limit options checked once, with the namespace still to be resolved per batch. */
type ResolvedSendRateLimit<Env> = Required<PushRateLimitOptions> & { readonly namespace: FromEnv<Env, DurableObjectNamespaceLike> };

/** Checks `rateLimit` when the consumer is created. */
function resolveSendRateLimit<Env>(rateLimit: unknown): ResolvedSendRateLimit<Env> | false {
  if (rateLimit === false) return false;
  if (typeof rateLimit !== 'object' || rateLimit === null || Array.isArray(rateLimit)) {
    throw new TypeError(`createSendConsumer() needs ${RATE_LIMIT_HOW} (got ${describeValue(rateLimit)})`);
  }
  checkOptionKeys(rateLimit, ['namespace', ...PUSH_RATE_LIMIT_OPTIONS], 'rateLimit options');
  const { namespace } = rateLimit as { namespace?: unknown };
  if (namespace === undefined) throw new TypeError(`rateLimit.namespace is missing: set ${RATE_LIMIT_HOW}`);
  checkBindingOption('rateLimit.namespace', namespace, ['idFromName', 'get'], 'a Durable Object namespace binding with idFromName() and get(), or a function of env returning one');
  return { ...resolveRateLimit(rateLimit as PushRateLimitOptions), namespace: namespace as FromEnv<Env, DurableObjectNamespaceLike> };
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
 * Order of work, for crash safety: check the batch (a `messages` array, each message with `ack()`,
 * `retry()` and a positive integer `attempts`), resolve the client, the receipts queue and the rate
 * limiter (a bad batch, binding or client option throws here, before anything is sent, so the queue
 * delivers the batch again and eventually dead-letters it); ask the rate limiter; send; enqueue receipt checks;
 * run the callbacks; and only then ack or retry. A crash before the acks leaves every message to
 * be delivered again, so nothing is lost; what was sent before the crash is then sent again.
 *
 * @example
 * const sendConsumer = createSendConsumer<Env>({
 *   receiptsQueue: (env) => env.PUSH_RECEIPTS,
 *   rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER },
 *   onInvalidToken: ({ token }, env) => env.DB.prepare('DELETE FROM tokens WHERE token = ?').bind(token).run(),
 * });
 *
 * @throws {TypeError} when an option is missing, unknown or invalid (checked once, here).
 */
export function createSendConsumer<Env = Record<string, unknown>>(options: SendConsumerOptions<Env>): QueueConsumer<Env, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `createSendConsumer() expects options such as { receiptsQueue: (env) => env.PUSH_RECEIPTS, rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER } } (got ${describeValue(options)})`,
    );
  }
  checkOptionKeys(options, SEND_CONSUMER_OPTIONS, 'createSendConsumer() options');
  checkCallbacks(options);
  const { onError } = options;
  const receiptScheduleAttempts = checkPositiveInteger('receiptScheduleAttempts', options.receiptScheduleAttempts ?? 3);
  const delaySeconds = Math.ceil(checkDelaySeconds('receiptDelaySeconds', options.receiptDelaySeconds ?? 900));
  if (options.receiptsQueue === undefined) throw new TypeError('receiptsQueue is required: the producer binding of the receipts queue, such as (env) => env.PUSH_RECEIPTS');
  checkBindingOption('receiptsQueue', options.receiptsQueue, ['sendBatch'], 'a queue producer binding with sendBatch(), or a function of env returning one');
  const rateLimit = resolveSendRateLimit<Env>(options.rateLimit);
  checkClientOption(options.client);
  const clientFor = clientCache(options.client);
  const policy = resolveSendPolicy({ unknownOutcome: options.unknownOutcome, poisonMessages: options.poisonMessages, backoff: options.backoff }, 'createSendConsumer() options');
  /** The caller's callback for each kind of effect (receipt scheduling is the consumer's own). */
  const callbacks: { [T in Exclude<SendEffect['type'], 'scheduleReceipt'>]: ((effect: EffectOf<T>, env: Env) => unknown) | undefined } = {
    invalidToken: options.onInvalidToken,
    credentialProblem: options.onCredentialProblem,
    deliveryError: options.onDeliveryError,
    invalidMessage: options.onInvalidMessage,
    unknownOutcome: options.onUnknownOutcome,
  };

  /** Enqueues the receipt checks; returns the ones that could not be enqueued, and why. */
  const scheduleReceipts = async (queue: QueueProducer<ReceiptQueueBody>, receipts: readonly ReceiptQueueBody[]) => {
    let pending = receipts;
    let lastError: unknown;
    for (let attempt = 1; attempt <= receiptScheduleAttempts && pending.length > 0; attempt++) {
      try {
        // Chunk by chunk, dropping each once it is on the queue, so that a retry never enqueues a
        // chunk twice (unless the queue failed after storing it: a second look at a receipt is harmless).
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
      // Everything that can be wrong with the batch or the setup is found out before anything is
      // sent: an error here fails the whole batch, which the queue delivers again (and dead-letters
      // if it lasts).
      const { messages, items } = readBatch(batch, 'createSendConsumer().queue()');
      const client = clientFor(env);
      const receiptsQueue = fromEnv(options.receiptsQueue, env);
      if (!hasMethods(receiptsQueue, 'sendBatch')) {
        throw new TypeError(`receiptsQueue resolved to ${describeBinding(receiptsQueue)}, not a queue producer with sendBatch(): check the receipts queue's producer binding`);
      }
      const limiter = rateLimit ? fromEnv(rateLimit.namespace, env) : undefined;
      if (rateLimit && !hasMethods(limiter, 'idFromName', 'get')) {
        throw new TypeError(
          `rateLimit.namespace resolved to ${describeBinding(limiter)}, not a Durable Object namespace with idFromName() and get(): bind the PushRateLimiter class, or set rateLimit: false to send without project-wide pacing`,
        );
      }

      const sendable = items.flatMap((item) => sendableMessage(item.body) ?? []);
      let outcome: SendOutcome | undefined;
      let grantId: number | undefined;
      if (sendable.length === 0) outcome = { tickets: [] };
      else if (rateLimit && limiter) {
        const grant = await requestGrant(limiter, sendable.length, rateLimit);
        if (grant.granted) grantId = grant.grantId;
        else outcome = { rateLimited: { retryAfterMs: grant.retryAfterMs } };
      }
      if (outcome === undefined) {
        try {
          outcome = { tickets: await client.publishMultiple(sendable as PushQueueBody[]) };
        } catch (error) {
          outcome = { error };
        } finally {
          if (rateLimit && limiter && grantId !== undefined) await releaseGrant(limiter, grantId, rateLimit);
        }
      }
      const { actions, effects } = decideWithPolicy(items, outcome, policy);
      const receipts: ReceiptQueueBody[] = [];
      for (const effect of effects) if (effect.type === 'scheduleReceipt') receipts.push(effect.receipt);
      if (receipts.length > 0) {
        const { pending, error } = await scheduleReceipts(receiptsQueue, receipts);
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
        const callback = callbacks[effect.type] as ((effect: SendEffect, env: Env) => unknown) | undefined;
        await runCallback(callback && (() => callback(effect, env)), effect, env, onError);
      }
      warnWithoutCallbacks(effects, callbacks, UNHANDLED);
      applyActions(messages, actions);
    },
  };
}

/** What each kind of undelivered notification is called in the console line written when it has no callback. */
const UNHANDLED: { readonly [T in Exclude<SendEffect['type'], 'scheduleReceipt'>]: readonly [what: string, callback: string] } = {
  invalidToken: ['recipient{s} got DeviceNotRegistered', 'onInvalidToken'],
  credentialProblem: ['recipient{s} {were} refused for the push credentials ({codes})', 'onCredentialProblem'],
  deliveryError: ['recipient{s} got an error ticket ({codes})', 'onDeliveryError'],
  invalidMessage: ['queue message{s} could not be sent (not a valid push message, or refused as invalid)', 'onInvalidMessage'],
  unknownOutcome: ['recipient{s} may or may not have been sent (outcome unknown)', 'onUnknownOutcome'],
};
