import type { PushMessage } from './push-message.ts';
import { MAX_RECIPIENTS_PER_REQUEST } from './service-limits.ts';

/** One recipient of the caller's input: a token and the message it came from. */
export interface PushRecipient {
  /** The recipient's token. */
  readonly token: string;
  /** The message, exactly as the caller passed it. */
  readonly message: PushMessage;
}

/** A recipient with what the client needs to send it and to put its ticket back in place. */
export interface PlannedRecipient extends PushRecipient {
  /** The message as it goes on the wire (null and undefined fields dropped). */
  readonly wire: PushMessage;
  /** Position among all the call's recipients. */
  readonly index: number;
}

/**
 * Splits messages into groups of at most `limit` recipients, counting every token of a `to`
 * array, in input order. A message with more tokens than fit is split across groups.
 */
export function* planRecipientChunks(
  originals: readonly PushMessage[],
  wires: readonly PushMessage[],
  limit: number = MAX_RECIPIENTS_PER_REQUEST,
): Generator<PlannedRecipient[]> {
  let chunk: PlannedRecipient[] = [];
  let index = 0;
  for (let position = 0; position < wires.length; position++) {
    const wire = wires[position] as PushMessage;
    const message = originals[position] as PushMessage;
    for (const token of typeof wire.to === 'string' ? [wire.to] : wire.to) {
      chunk.push({ token, message, wire, index: index++ });
      if (chunk.length === limit) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The request body for `recipients`: consecutive recipients of one message become one wire message
 * whose `to` holds their tokens, with every other field intact. A string `to` stays a string and an
 * array stays an array, so the service sees the caller's shape.
 */
export function requestBody(recipients: readonly PlannedRecipient[]): PushMessage[] {
  const body: PushMessage[] = [];
  let current: { wire: PushMessage; to: string[] } | undefined;
  for (const { wire, token } of recipients) {
    if (typeof wire.to === 'string') {
      body.push(wire);
      current = undefined;
    } else if (current?.wire === wire) {
      current.to.push(token);
    } else {
      current = { wire, to: [token] };
      body.push({ ...wire, to: current.to });
    }
  }
  return body;
}

/** How many recipients a message addresses. */
export function recipientCount(message: PushMessage): number {
  return typeof message.to === 'string' ? 1 : message.to.length;
}
