import { type DeliveryEntry, type PushClient, type PushFailure, type PushMessage, PushTicket } from '../index.ts';
import { DeliveryTally } from './delivery-tally.ts';

/** A message to send, with the input line it came from (none for `--to`). */
export interface NumberedMessage {
  readonly line: number | undefined;
  readonly message: PushMessage;
}

/** One recipient's result as the send produced it. */
export interface SentItem {
  /** Its ticket, or why it could not be sent. */
  readonly result: PushTicket | PushFailure;
  /** How the SDK's delivery report judges it. */
  readonly entry: DeliveryEntry;
  /** The input line of its message. */
  readonly line: number | undefined;
}

/** Options of {@link sendMessages}. */
export interface SendMessagesOptions {
  /**
   * Keep every result (without its message) for a report or a receipt wait afterwards. Off, the
   * send holds nothing per recipient.
   * @default false
   */
  readonly keep?: boolean;
  /** Stops the send. @default undefined */
  readonly signal?: AbortSignal | undefined;
  /**
   * Each recipient's result, in input order, with the running totals (this result counted);
   * awaited, so slow output holds the send back.
   */
  readonly onResult: (item: SentItem, totals: DeliveryTally) => void | Promise<void>;
}

/** What {@link sendMessages} did. */
export interface SentMessages {
  /** Totals of the results. */
  readonly tally: DeliveryTally;
  /** The results, when `keep` was set; each carries a stand-in `{ to }` instead of its message. */
  readonly kept: ReadonlyArray<PushTicket | PushFailure>;
  /** The input line of a kept result's report entry. */
  readonly lineOf: (entry: DeliveryEntry) => number | undefined;
  /** Why the send stopped before the end (an abort, an unreadable input), if it did. */
  readonly stoppedBy: { readonly error: unknown } | undefined;
}

/**
 * Sends a stream of messages through `publishStream` and hands each recipient's result to
 * `onResult` with the input line of its message. Messages are read only as fast as the service
 * takes them, so the input is never held whole. Results hold no messages when kept, so a receipt
 * wait after a huge send costs a token and an id per recipient rather than a copy of the file.
 */
export async function sendMessages(client: PushClient, messages: AsyncIterable<NumberedMessage>, options: SendMessagesOptions): Promise<SentMessages> {
  const tally = new DeliveryTally();
  const kept: Array<PushTicket | PushFailure> = [];
  const lines = new Map<object, number>();
  // Lines whose results are still to come, oldest first. `publishStream` yields one result per
  // recipient in input order, so the head of this queue always names the line of the next result.
  const inFlight: Array<{ line: number | undefined; remaining: number; standIn: PushMessage | undefined }> = [];

  async function* source(): AsyncGenerator<PushMessage> {
    for await (const { line, message } of messages) {
      inFlight.push({ line, remaining: resultCount(message), standIn: undefined });
      yield message;
    }
  }

  let stoppedBy: { error: unknown } | undefined;
  try {
    for await (const result of client.publishStream(source(), { signal: options.signal })) {
      // A request the interrupt cut short has no outcome to report (it may or may not have reached
      // the service): the send ends here, and its recipients count as not sent.
      if (options.signal?.aborted && 'error' in result) {
        stoppedBy = { error: options.signal.reason };
        break;
      }
      const head = inFlight[0] as (typeof inFlight)[number];
      if (--head.remaining <= 0) inFlight.shift();
      const entry = tally.add(result);
      if (options.keep) {
        if (head.standIn === undefined) {
          head.standIn = { to: result.token };
          if (head.line !== undefined) lines.set(head.standIn, head.line);
        }
        kept.push(withoutMessage(result, head.standIn));
      }
      await options.onResult({ result, entry, line: head.line }, tally);
    }
  } catch (error) {
    stoppedBy = { error };
  }
  return { tally, kept, lineOf: (entry) => (entry.message ? lines.get(entry.message) : undefined), stoppedBy };
}

/**
 * How many results `publishStream` yields for a message: one per token of `to`, and one for an
 * invalid message whose `to` is not a non-empty array (a file changed between validation and
 * sending can still produce one).
 */
function resultCount(message: PushMessage): number {
  const { to } = message as { to?: unknown };
  return Array.isArray(to) && to.length > 0 ? to.length : 1;
}

function withoutMessage(result: PushTicket | PushFailure, standIn: PushMessage): PushTicket | PushFailure {
  if (!(result instanceof PushTicket)) return { token: result.token, message: standIn, error: result.error };
  return new PushTicket({ status: result.status, id: result.id, message: result.message, details: result.details, token: result.token, pushMessage: standIn });
}
