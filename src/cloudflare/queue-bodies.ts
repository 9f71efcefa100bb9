import { PushValidationError, type PushValidationIssue } from '../errors/push-validation-error.ts';
import { isPlainObject } from '../json-value.ts';
import type { PushMessage } from '../push-message.ts';
import { validateMessages } from '../validate-messages.ts';

/**
 * The body of a message on the push queue: one push message addressed to exactly one recipient,
 * so that a queue message, a recipient and a ticket are the same unit, and a batch of 100 queue
 * messages is exactly one request to the service.
 */
export type PushQueueBody = PushMessage & { to: string };

/** The body of a message on the receipts queue: a receipt id and the token its notification went to. */
export interface ReceiptQueueBody {
  /** The receipt id (the `ok` ticket's `id`). */
  readonly id: string;
  /** The recipient, so that a failed receipt can name the token to act on. */
  readonly token: string;
}

/** A queue body read back: the push message, or why it cannot be sent. */
export type ParsedPushBody = { readonly message: PushQueueBody } | { readonly issues: readonly PushValidationIssue[] };

/**
 * Reads a push queue body with the SDK's own schema. Anything that is not a valid message with a
 * single `to` token (a body written by another producer or an older version) is reported with its
 * issues, so the consumer acks it once instead of retrying it forever.
 */
export function parsePushBody(body: unknown): ParsedPushBody {
  try {
    const [message] = validateMessages([body]) as [PushMessage];
    if (typeof message.to !== 'string') {
      return { issues: [{ index: 0, path: 'to', message: 'a push queue message addresses exactly one token' }] };
    }
    return { message: message as PushQueueBody };
  } catch (error) {
    if (error instanceof PushValidationError) return { issues: error.issues };
    throw error;
  }
}

/** Whether a receipts queue body is `{ id, token }` with two non-empty strings. */
export function isReceiptBody(body: unknown): body is ReceiptQueueBody {
  return isPlainObject(body) && typeof body.id === 'string' && body.id !== '' && typeof body.token === 'string' && body.token !== '';
}
