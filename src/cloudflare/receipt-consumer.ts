import type { PushClientOptions } from '../client-options.ts';
import type { PushReceipt } from '../push-receipt.ts';
import { checkOptionKeys } from './check-options.ts';
import { applyActions, type CallbackErrorHandler, checkCallbacks, checkClientOption, clientCache, readBatch, runCallback, warnWithoutCallbacks } from './consumer-common.ts';
import {
  decideReceiptsWithPolicy,
  RECEIPT_POLICY_OPTIONS,
  type ReceiptEffect,
  type ReceiptLookupOutcome,
  type ReceiptPolicyOptions,
  resolveReceiptPolicy,
} from './decide-receipt-actions.ts';
import { isReceiptBody } from './queue-bodies.ts';
import type { FromEnv } from './queue-types.ts';
import type { QueueConsumer } from './send-consumer.ts';

/** The effect of a given type. */
type EffectOf<T extends ReceiptEffect['type']> = Extract<ReceiptEffect, { type: T }>;

/** Options of {@link createReceiptConsumer}. */
export interface ReceiptConsumerOptions<Env = Record<string, unknown>> extends ReceiptPolicyOptions {
  /**
   * Options of the `PushClient` that looks receipts up, or a function of `env` returning them. They
   * go on top of the defaults, so the access token still comes from `env.EXPO_ACCESS_TOKEN` unless
   * they set `accessToken` (`''` for none); options set to `undefined` keep the default. `retry`
   * and `rateLimit` default to `false`: the queue retries. Options given as an object are checked
   * when the consumer is created; a client that cannot be built fails the batch before any lookup.
   * @default { accessToken: env.EXPO_ACCESS_TOKEN, retry: false, rateLimit: false }
   */
  client?: FromEnv<Env, PushClientOptions>;
  /**
   * An `ok` receipt: the provider accepted the notification.
   * @default undefined
   */
  onDelivered?: (effect: EffectOf<'delivered'>, env: Env) => unknown;
  /**
   * A `DeviceNotRegistered` receipt: delete `effect.token`. Awaited; its result is ignored.
   * @default undefined (one console.warn line per batch with the count and queue message ids)
   */
  onInvalidToken?: (effect: EffectOf<'invalidToken'>, env: Env) => unknown;
  /**
   * A credential error receipt (`InvalidCredentials`, `MismatchSenderId`, `InvalidProviderToken`),
   * or a lookup refused with HTTP 401/403: then once per message, with `effect.receipt` undefined,
   * and the messages are retried with backoff.
   * @default undefined (one console.warn line per batch with the count, codes and queue message ids)
   */
  onCredentialProblem?: (effect: EffectOf<'credentialProblem'>, env: Env) => unknown;
  /**
   * Any other error receipt, with `effect.retryable` for those worth sending again later.
   * @default undefined (one console.warn line per batch with the count, codes and queue message ids)
   */
  onDeliveryError?: (effect: EffectOf<'deliveryError'>, env: Env) => unknown;
  /**
   * No receipt after `maxReceiptAttempts` looks.
   * @default undefined (one console.warn line per batch with the count and queue message ids)
   */
  onMissingReceipt?: (effect: EffectOf<'missingReceipt'>, env: Env) => unknown;
  /**
   * A body that is not `{ id, token }`.
   * @default undefined (one console.warn line per batch with the count and queue message ids)
   */
  onInvalidMessage?: (effect: EffectOf<'invalidMessage'>, env: Env) => unknown;
  /**
   * A callback above threw. The batch is acked and retried as decided all the same. If `onError`
   * throws too, both errors go to the console.
   * @default undefined (console.error)
   */
  onError?: CallbackErrorHandler<Env>;
}

/**
 * Creates the receipts consumer: a `queue(batch, env, ctx)` handler for the `{ id, token }`
 * messages the send consumer enqueues. It looks the batch's receipts up (at most 1000 ids per
 * request), routes each receipt to a callback by its status and `details.error`, retries ids whose
 * receipt is not ready yet, and reports them missing after `maxReceiptAttempts`; see
 * {@link decideReceiptActions}.
 *
 * @example
 * const receiptConsumer = createReceiptConsumer<Env>({
 *   onInvalidToken: ({ token }, env) => env.DB.prepare('DELETE FROM tokens WHERE token = ?').bind(token).run(),
 *   onCredentialProblem: ({ code }) => console.error('push credentials broken:', code),
 * });
 *
 * @throws {TypeError} when an option is unknown or invalid (checked once, here).
 */
export function createReceiptConsumer<Env = Record<string, unknown>>(options: ReceiptConsumerOptions<Env> = {}): QueueConsumer<Env, unknown> {
  checkOptionKeys(options, RECEIPT_CONSUMER_OPTIONS, 'createReceiptConsumer() options');
  checkCallbacks(options);
  checkClientOption(options.client);
  const { onError } = options;
  const policy = resolveReceiptPolicy(
    { maxReceiptAttempts: options.maxReceiptAttempts, receiptRetryDelaySeconds: options.receiptRetryDelaySeconds, backoff: options.backoff },
    'createReceiptConsumer() options',
  );
  const clientFor = clientCache(options.client);
  const callbacks: { [T in ReceiptEffect['type']]: ((effect: EffectOf<T>, env: Env) => unknown) | undefined } = {
    delivered: options.onDelivered,
    invalidToken: options.onInvalidToken,
    credentialProblem: options.onCredentialProblem,
    deliveryError: options.onDeliveryError,
    missingReceipt: options.onMissingReceipt,
    invalidMessage: options.onInvalidMessage,
  };

  return {
    async queue(batch, env) {
      // Checked and built before the lookup: a bad batch or client option is a setup error that
      // must fail the batch, not a failed lookup to back off from.
      const { messages, items } = readBatch(batch, 'createReceiptConsumer().queue()');
      const client = clientFor(env);
      const lookups = items.flatMap((item) => (isReceiptBody(item.body) ? [item.body] : []));
      let outcome: ReceiptLookupOutcome;
      if (lookups.length === 0) outcome = { receipts: [] };
      else {
        try {
          // checkReceipts asks for at most MAX_RECEIPT_IDS_PER_REQUEST ids per request.
          const receipts: PushReceipt[] = await client.checkReceipts(lookups);
          outcome = { receipts };
        } catch (error) {
          outcome = { error };
        }
      }
      const { actions, effects } = decideReceiptsWithPolicy(items, outcome, policy);
      for (const effect of effects) {
        const callback = callbacks[effect.type] as ((effect: ReceiptEffect, env: Env) => unknown) | undefined;
        await runCallback(callback && (() => callback(effect, env)), effect, env, onError);
      }
      warnWithoutCallbacks(effects, callbacks, UNHANDLED);
      applyActions(messages, actions);
    },
  };
}

/** The option names of {@link ReceiptConsumerOptions}, for checking a caller's options for typos. */
const RECEIPT_CONSUMER_OPTIONS = [
  'client',
  'onDelivered',
  'onInvalidToken',
  'onCredentialProblem',
  'onDeliveryError',
  'onMissingReceipt',
  'onInvalidMessage',
  'onError',
  ...RECEIPT_POLICY_OPTIONS,
] as const satisfies ReadonlyArray<keyof ReceiptConsumerOptions>;

/** What each kind of undelivered notification is called in the console line written when it has no callback. */
const UNHANDLED: { readonly [T in Exclude<ReceiptEffect['type'], 'delivered'>]: readonly [what: string, callback: string] } = {
  invalidToken: ['receipt{s} said DeviceNotRegistered', 'onInvalidToken'],
  credentialProblem: ['receipt check{s} hit a push credential problem ({codes})', 'onCredentialProblem'],
  deliveryError: ['receipt{s} reported a delivery error ({codes})', 'onDeliveryError'],
  missingReceipt: ['receipt{s} {were} still missing after maxReceiptAttempts looks', 'onMissingReceipt'],
  invalidMessage: ['receipts queue message{s} {were} not { id, token }', 'onInvalidMessage'],
};
