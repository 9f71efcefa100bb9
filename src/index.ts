export type { AccessTokenSource, FetchFunction, PushClientOptions } from './client-options.ts';
export {
  createDeliveryReport,
  type DeliveryEntry,
  type DeliveryOutcome,
  type DeliveryReport,
  type StoredTicket,
} from './delivery-report.ts';
export { PushBatchError, type PushBatchFailure } from './errors/push-batch-error.ts';
export { PushError } from './errors/push-error.ts';
export { PushNetworkError, PushTimeoutError } from './errors/push-network-error.ts';
export {
  type PushEndpoint,
  PushRateLimitError,
  PushServerError,
  type PushServiceErrorDetail,
} from './errors/push-server-error.ts';
export {
  DeviceNotRegisteredError,
  InvalidCredentialsError,
  MessageRateExceededError,
  MessageTooBigError,
  PushTicketError,
} from './errors/push-ticket-error.ts';
export { PushValidationError, type PushValidationIssue } from './errors/push-validation-error.ts';
export type { AfterResponseContext, BeforeRequestContext, BeforeRetryContext, PushHooks } from './hooks.ts';
export {
  type CallOptions,
  type PublishProgress,
  type PublishStreamOptions,
  PushClient,
  type ReceiptWaitResult,
  type WaitForReceiptsOptions,
} from './push-client.ts';
export type { ExpoPushToken, PushMessage, PushSoundObject } from './push-message.ts';
export { PushReceipt } from './push-receipt.ts';
export type { ReceiptIdSource } from './receipt-ids.ts';
export { PushResult, type PushResultDetails } from './push-result.ts';
export { PushTicket } from './push-ticket.ts';
export { isExpoPushToken } from './push-token.ts';
export { defaultShouldRetry, type RetryContext, type RetryOptions } from './retry-policy.ts';
export type { PushRecipient } from './send-plan.ts';
export {
  MAX_RECEIPT_IDS_PER_REQUEST,
  MAX_RECIPIENTS_PER_REQUEST,
} from './service-limits.ts';
export type { RateLimitOptions } from './token-bucket.ts';
export type { PushFailure } from './stream-chunks.ts';
export { SDK_VERSION } from './version.ts';
