import type { PushMessage } from './push-message.ts';
import { MAX_RECIPIENTS_PER_REQUEST } from './service-limits.ts';

/** One recipient of the caller's input: a token and the message it came from. */
export interface PushRecipient {
  /** The recipient's token. */
  readonly token: string;
  /** The message, exactly as the caller passed it. */
  readonly message: PushMessage;
}

/** One send request: the wire messages and, in wire order, the recipients they address. */
export interface PlannedSendRequest {
  /** What goes in the request body. */
  readonly messages: PushMessage[];
  /** One per ticket the service must return, in the order it returns them. */
  readonly recipients: PushRecipient[];
  /** Position of the first recipient among all the call's recipients. */
  readonly firstRecipient: number;
}

/**
 * Splits messages into requests of at most `limit` recipients, counting every token of a `to`
 * array. A message with more tokens than fit is split across requests with all its other fields
 * intact; recipients keep their input order, so tickets can be laid back in that order.
 */
export function* planSendRequests(
  originals: readonly PushMessage[],
  wires: readonly PushMessage[],
  limit: number = MAX_RECIPIENTS_PER_REQUEST,
): Generator<PlannedSendRequest> {
  let messages: PushMessage[] = [];
  let recipients: PushRecipient[] = [];
  let firstRecipient = 0;
  for (let index = 0; index < wires.length; index++) {
    const wire = wires[index] as PushMessage;
    const original = originals[index] as PushMessage;
    const tokens = typeof wire.to === 'string' ? [wire.to] : wire.to;
    let start = 0;
    while (start < tokens.length) {
      const room = limit - recipients.length;
      const part = tokens.slice(start, start + room);
      // A string `to` stays a string; an array stays an array, so the service sees the caller's shape.
      messages.push(typeof wire.to === 'string' ? wire : { ...wire, to: part });
      for (const token of part) recipients.push({ token, message: original });
      start += part.length;
      if (recipients.length === limit) {
        yield { messages, recipients, firstRecipient };
        firstRecipient += recipients.length;
        messages = [];
        recipients = [];
      }
    }
  }
  if (recipients.length > 0) yield { messages, recipients, firstRecipient };
}

/** How many recipients a message addresses. */
export function recipientCount(message: PushMessage): number {
  return typeof message.to === 'string' ? 1 : message.to.length;
}
