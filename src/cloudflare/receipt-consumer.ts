import type { PushClientOptions } from '../client-options.ts';
import type { PushReceipt } from '../push-receipt.ts';
import { applyActions, type CallbackErrorHandler, clientCache, itemsOf, runCallback } from './consumer-common.ts';
import { decideReceiptActions, type ReceiptEffect, type ReceiptLookupOutcome, type ReceiptPolicyOptions } from './decide-receipt-actions.ts';
import { isReceiptBody } from './queue-bodies.ts';
import type { FromEnv } from './queue-types.ts';
import type { QueueConsumer } from './send-consumer.ts';

/** The effect of a given type. */
type EffectOf<T extends ReceiptEffect['type']> = Extract<ReceiptEffect, { type: T }>;

/** Options of {@link createReceiptConsumer}. */
export interface ReceiptConsumerOptions<Env = Record<string, unknown>> extends ReceiptPolicyOptions {
  /**
   * Options of the `PushClient` that looks receipts up, or a function of `env` returning them.
   * `retry` and `rateLimit` default to `false`: the queue retries.
   * @default (env) => ({ accessToken: env.EXPO_ACCESS_TOKEN })
   */
  client?: FromEnv<Env, PushClientOptions>;
  /**
   * An `ok` receipt: the provider accepted the notification.
   * @default undefined
   */
  onDelivered?: (effect: EffectOf<'delivered'>, env: Env) => void | Promise<void>;
  /**
   * A `DeviceNotRegistered` receipt: delete `effect.token`.
   * @default undefined
   */
  onInvalidToken?: (effect: EffectOf<'invalidToken'>, env: Env) => void | Promise<void>;
  /**
   * A credential error receipt (`InvalidCredentials`, `MismatchSenderId`, `InvalidProviderToken`).
   * @default undefined
   */
  onCredentialProblem?: (effect: EffectOf<'credentialProblem'>, env: Env) => void | Promise<void>;
  /**
   * Any other error receipt, with `effect.retryable` for those worth sending again later.
   * @default undefined
   */
  onDeliveryError?: (effect: EffectOf<'deliveryError'>, env: Env) => void | Promise<void>;
  /**
   * No receipt after `maxReceiptAttempts` looks.
   * @default undefined
   */
  onMissingReceipt?: (effect: EffectOf<'missingReceipt'>, env: Env) => void | Promise<void>;
  /**
   * A body that is not `{ id, token }`.
   * @default undefined
   */
  onInvalidMessage?: (effect: EffectOf<'invalidMessage'>, env: Env) => void | Promise<void>;
  /**
   * A callback above threw. The batch is acked and retried as decided all the same.
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
 */
export function createReceiptConsumer<Env = Record<string, unknown>>(options: ReceiptConsumerOptions<Env> = {}): QueueConsumer<Env, unknown> {
  const { onError } = options;
  const policy: ReceiptPolicyOptions = {
    maxReceiptAttempts: options.maxReceiptAttempts,
    receiptRetryDelaySeconds: options.receiptRetryDelaySeconds,
    backoff: options.backoff,
  };
  // Checked now rather than at the first batch.
  decideReceiptActions([], { receipts: [] }, policy);
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
      const items = itemsOf(batch.messages);
      const lookups = items.flatMap((item) => (isReceiptBody(item.body) ? [item.body] : []));
      let outcome: ReceiptLookupOutcome;
      if (lookups.length === 0) outcome = { receipts: [] };
      else {
        try {
          // checkReceipts asks for at most MAX_RECEIPT_IDS_PER_REQUEST ids per request.
          const receipts: PushReceipt[] = await clientFor(env).checkReceipts(lookups);
          outcome = { receipts };
        } catch (error) {
          outcome = { error };
        }
      }
      const { actions, effects } = decideReceiptActions(items, outcome, policy);
      for (const effect of effects) {
        const callback = callbacks[effect.type] as ((effect: ReceiptEffect, env: Env) => unknown) | undefined;
        await runCallback(callback && (() => callback(effect, env)), effect, env, onError);
      }
      applyActions(batch.messages, actions);
    },
  };
}
