import { createDeliveryReport, type StoredTicket } from '../delivery-report.ts';
import { PushError } from '../errors/push-error.ts';
import { PushNetworkError } from '../errors/push-network-error.ts';
import { type PushEndpoint, PushRateLimitError, PushServerError } from '../errors/push-server-error.ts';
import type { PushMessage } from '../push-message.ts';
import type { PushReceipt } from '../push-receipt.ts';
import type { PushTicket } from '../push-ticket.ts';

/** How one recipient's ticket, receipt or request failure is to be handled. */
export type Classification =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalidToken'; readonly token: string; readonly code: string }
  | { readonly kind: 'credentialProblem'; readonly code: string | undefined; readonly reason: string | undefined }
  | { readonly kind: 'retryable'; readonly duplicateRisk: boolean; readonly code: string | undefined; readonly reason: string | undefined }
  | { readonly kind: 'failed'; readonly code: string | undefined; readonly reason: string | undefined };

/**
 * Classifies one result with the SDK's delivery report, so that what counts as a dead token, a
 * credential problem or a retryable failure is decided in one place for every sender.
 */
export function classify(
  result: PushTicket | StoredTicket | { token: string; message: PushMessage; error: unknown },
  receipt?: PushReceipt,
): Classification {
  const input = 'error' in result ? { ...result, error: adoptError(result.error) } : result;
  const report = createDeliveryReport([input], receipt ? [receipt] : []);
  const entry = report.entries[0];
  if (entry === undefined || entry.outcome !== 'error') return { kind: 'ok' };
  const { code, reason } = entry;
  const removed = report.tokensToRemove[0];
  if (removed !== undefined) return { kind: 'invalidToken', token: removed, code: code ?? 'DeviceNotRegistered' };
  if (report.credentialProblems.length > 0) return { kind: 'credentialProblem', code, reason };
  const retry = report.retryable[0];
  if (retry) return { kind: 'retryable', duplicateRisk: retry.duplicateRisk, code, reason };
  return { kind: 'failed', code, reason };
}

/** The delay a failure asked for with `Retry-After`, in milliseconds. */
export function retryAfterOf(error: unknown): number | undefined {
  const adopted = adoptError(error);
  return adopted instanceof PushServerError ? adopted.retryAfterMs : undefined;
}

/**
 * The entries share one copy of each class, but an application can still hold two copies of the
 * SDK (two installed versions, or a bundle that inlined one), and the policies may be fed errors
 * from the other. The delivery report tells errors apart with `instanceof`, so such an error is
 * rebuilt here from its public fields, recognised by the brand every copy of the SDK sets.
 */
export function adoptError(error: unknown): unknown {
  if (error instanceof PushServerError || error instanceof PushNetworkError || !PushError.isPushError(error)) return error;
  const fields = error as unknown as Record<string, unknown>;
  const endpoint = (fields.endpoint === 'receipts' ? 'receipts' : 'send') as PushEndpoint;
  if (error.name === 'PushServerError' || error.name === 'PushRateLimitError') {
    const ErrorClass = error.name === 'PushRateLimitError' ? PushRateLimitError : PushServerError;
    return new ErrorClass(error.message, {
      endpoint,
      status: Number(fields.status),
      code: typeof fields.code === 'string' ? fields.code : undefined,
      retryAfterMs: typeof fields.retryAfterMs === 'number' ? fields.retryAfterMs : undefined,
      outcomeUnknown: fields.outcomeUnknown === true,
    });
  }
  if (error.name === 'PushNetworkError' || error.name === 'PushTimeoutError') {
    return new PushNetworkError(error.message, endpoint, fields.outcomeUnknown === true, { cause: error });
  }
  return error;
}
