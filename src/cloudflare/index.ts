/**
 * `expo-push-edge/cloudflare`: a durable push pipeline on Cloudflare Queues and a Durable Object.
 * A producer enqueues one queue message per recipient; the send consumer sends each batch of up to
 * 100 as one request, paced project-wide by the {@link PushRateLimiter} object; the receipts
 * consumer looks receipts up later. The per-message policies are pure functions
 * ({@link decideSendActions}, {@link decideReceiptActions}) that any other queue can use.
 * Web-standard code only.
 * @packageDocumentation
 */
export { type EnqueueOptions, type EnqueueResult, enqueuePushMessages, MAX_QUEUE_BATCH_BYTES, MAX_QUEUE_BATCH_MESSAGES, MAX_QUEUE_MESSAGE_BYTES, PushEnqueueError } from './enqueue-push-messages.ts';
export {
  decideSendActions,
  type QueueAction,
  type QueueItem,
  type RecipientProblem,
  type SendDecision,
  type SendEffect,
  type SendOutcome,
  type SendPolicyOptions,
  sendableMessage,
} from './decide-send-actions.ts';
export {
  decideReceiptActions,
  type ReceiptDecision,
  type ReceiptEffect,
  type ReceiptLookupOutcome,
  type ReceiptPolicyOptions,
} from './decide-receipt-actions.ts';
export { createSendConsumer, type QueueConsumer, type SendConsumerOptions, type SendRateLimitOptions } from './send-consumer.ts';
export { createReceiptConsumer, type ReceiptConsumerOptions } from './receipt-consumer.ts';
export { PushRateLimiter, type PushRateLimitOptions, type RateLimitGrant, SlidingWindow } from './push-rate-limiter.ts';
export { isReceiptBody, type ParsedPushBody, parsePushBody, type PushQueueBody, type ReceiptQueueBody } from './queue-bodies.ts';
export { MAX_QUEUE_DELAY_SECONDS, type QueueBackoffOptions, retryDelaySeconds } from './retry-delay.ts';
export type { CallbackErrorHandler } from './consumer-common.ts';
export type {
  DurableObjectNamespaceLike,
  DurableObjectStubLike,
  ExecutionContextLike,
  FromEnv,
  QueueMessage,
  QueueMessageBatch,
  QueueProducer,
  QueueRetryOptions,
  QueueSendRequest,
} from './queue-types.ts';
