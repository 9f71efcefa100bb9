import { throwIfAborted } from './abort.ts';
import { PushValidationError } from './errors/push-validation-error.ts';
import type { PushMessage } from './push-message.ts';
import type { PlannedRecipient } from './send-plan.ts';
import { MAX_RECIPIENTS_PER_REQUEST } from './service-limits.ts';
import { validateMessages } from './validate-messages.ts';

/** A recipient that was not sent, or whose request failed for good, and why. */
export interface PushFailure {
  /** The recipient's token. */
  readonly token: string;
  /** The message, exactly as the caller passed it. */
  readonly message: PushMessage;
  /** Why: a `PushValidationError` for an invalid message, otherwise the request's error. */
  readonly error: unknown;
}

/** The next piece of a stream: a chunk to send, or the recipients of an invalid message. */
export type StreamUnit =
  | { readonly kind: 'send'; readonly recipients: PlannedRecipient[] }
  | { readonly kind: 'invalid'; readonly failures: PushFailure[] };

/**
 * Reads messages one at a time and groups their recipients into chunks of at most one request
 * each, in input order, holding no more than one chunk. An invalid message is not sent: its
 * recipients come out as failures carrying a `PushValidationError` that names the message's
 * position in the stream.
 */
export async function* streamChunks(
  source: Iterable<PushMessage> | AsyncIterable<PushMessage>,
  signal?: AbortSignal,
  limit: number = MAX_RECIPIENTS_PER_REQUEST,
): AsyncGenerator<StreamUnit> {
  let chunk: PlannedRecipient[] = [];
  let index = 0;
  let position = 0;
  for await (const message of source) {
    // Stop reading the moment the call is aborted, not when the chunk being built fills up.
    throwIfAborted(signal);
    let wire: PushMessage;
    try {
      [wire] = validateMessages([message]) as [PushMessage];
    } catch (error) {
      if (!(error instanceof PushValidationError)) throw error;
      const located = new PushValidationError(error.issues.map((issue) => ({ ...issue, index: position })));
      if (chunk.length > 0) yield { kind: 'send', recipients: chunk };
      chunk = [];
      yield { kind: 'invalid', failures: tokensOf(message).map((token) => ({ token, message, error: located })) };
      position++;
      continue;
    }
    for (const token of typeof wire.to === 'string' ? [wire.to] : wire.to) {
      chunk.push({ token, message, wire, index: index++ });
      if (chunk.length === limit) {
        yield { kind: 'send', recipients: chunk };
        chunk = [];
      }
    }
    position++;
  }
  if (chunk.length > 0) yield { kind: 'send', recipients: chunk };
}

/** The recipients an invalid message named, as best they can be read. */
function tokensOf(message: unknown): string[] {
  const to = (message as { to?: unknown } | null)?.to;
  if (Array.isArray(to) && to.length > 0) return to.map(String);
  return [typeof to === 'string' ? to : String(to ?? '')];
}
