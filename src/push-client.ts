import { throwIfAborted } from './abort.ts';
import { type PushClientOptions, resolveClientOptions } from './client-options.ts';
import { BatchSender, type ChunkResult } from './batch-sender.ts';
import { decodeReceipts } from './decode-results.ts';
import { PushBatchError } from './errors/push-batch-error.ts';
import { PushValidationError } from './errors/push-validation-error.ts';
import type { PushMessage } from './push-message.ts';
import type { PushReceipt } from './push-receipt.ts';
import type { PushTicket } from './push-ticket.ts';
import { PushTransport } from './push-transport.ts';
import { collectReceiptIds, type ReceiptIdSource } from './receipt-ids.ts';
import { type PlannedRecipient, planRecipientChunks, recipientCount } from './send-plan.ts';
import { MAX_RECEIPT_IDS_PER_REQUEST } from './service-limits.ts';
import { validateMessages } from './validate-messages.ts';


/** Options of a single call. */
export interface CallOptions {
  /**
   * Cancels the call: it rejects with the signal's reason, and every request and wait it still
   * has outstanding is stopped.
   * @default undefined
   */
  signal?: AbortSignal;
}

/**
 * Sends push notifications through the Expo push service and looks up their receipts, over the
 * runtime's own `fetch`.
 *
 * @example
 * const client = new PushClient({ accessToken: env.EXPO_ACCESS_TOKEN });
 * const tickets = await client.publishMultiple([
 *   { to: 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]', title: 'Hello', body: 'World' },
 * ]);
 * // …about 15 minutes later:
 * const receipts = await client.checkReceipts(tickets);
 */
export class PushClient {
  readonly #transport: PushTransport;
  readonly #workers: number;

  /** @param options see {@link PushClientOptions}; throws a `TypeError` naming any bad option. */
  constructor(options?: PushClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#transport = new PushTransport(resolved);
    this.#workers = resolved.concurrency * 2;
  }

  /**
   * Sends one message to one recipient and returns its ticket. A failure of the request rejects
   * with the underlying error itself (`PushServerError`, `PushNetworkError`, …).
   *
   * @throws {PushValidationError} when the message is invalid or has more than one recipient.
   */
  async publish(message: PushMessage, options: CallOptions = {}): Promise<PushTicket> {
    const [wire] = validateMessages([message]) as [PushMessage];
    if (recipientCount(wire) !== 1) {
      throw new PushValidationError([
        { index: 0, path: 'to', message: `publish() sends to exactly one recipient (got ${recipientCount(wire)}); use publishMultiple()` },
      ]);
    }
    const [recipients] = planRecipientChunks([message], [wire]) as Generator<PlannedRecipient[]>;
    const { tickets, failures } = await new BatchSender(this.#transport, options.signal).send(recipients as PlannedRecipient[]);
    throwIfAborted(options.signal);
    if (failures[0]) throw failures[0].error;
    return tickets[0] as PushTicket;
  }

  /**
   * Sends messages and returns one ticket per recipient, in input order (a message whose `to` is
   * an array gets one ticket per token, in order). Requests carry at most 100 recipients and may be
   * dispatched in any order. A request the service refuses for mixing projects
   * (`PUSH_TOO_MANY_EXPERIENCE_IDS`) is split by project and each part sent on its own.
   *
   * @throws {PushValidationError} before anything is sent, listing every invalid message.
   * @throws {PushBatchError} when some requests failed for good: it holds the tickets that arrived
   *   and every recipient that was not sent, with the reason. Nothing is lost silently.
   */
  async publishMultiple(messages: readonly PushMessage[], options: CallOptions = {}): Promise<PushTicket[]> {
    if (!Array.isArray(messages)) throw new TypeError('publishMultiple() expects an array of messages');
    const { signal } = options;
    throwIfAborted(signal);
    const wires = validateMessages(messages);
    const sender = new BatchSender(this.#transport, signal);
    const chunks = planRecipientChunks(messages, wires);
    const results: ChunkResult[] = [];
    // A bounded pool: twice the concurrency, so a chunk waiting out a retry does not idle a slot.
    const worker = async () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) results.push(await sender.send(next.value));
    };
    await Promise.all(Array.from({ length: this.#workers }, worker));
    throwIfAborted(signal);
    results.sort((a, b) => (a.recipients[0]?.index ?? 0) - (b.recipients[0]?.index ?? 0));
    const tickets = results.flatMap((result) => result.tickets.filter((ticket): ticket is PushTicket => ticket !== undefined));
    const failures = results.flatMap((result) => result.failures);
    if (failures.length === 0) return tickets;
    throw new PushBatchError(
      tickets,
      failures.map(({ recipients, error }) => ({ recipients: recipients.map(({ token, message }) => ({ token, message })), error })),
    );
  }

  /**
   * Looks receipts up, at most 1000 ids per request. Takes receipt ids (as read back from a
   * database) or tickets; tickets without an `id` are skipped, and ids the service has no receipt
   * for (not ready, expired, unknown) are absent from the result. Receipts come back in the order
   * of the ids asked for; those looked up from a ticket carry its `token`.
   *
   * @throws {PushValidationError} before anything is sent, for entries that are neither receipt
   *   ids nor tickets (an empty string, a number, a Promise of a ticket that was never awaited).
   */
  async checkReceipts(idsOrTickets: readonly ReceiptIdSource[], options: CallOptions = {}): Promise<PushReceipt[]> {
    if (!Array.isArray(idsOrTickets)) throw new TypeError('checkReceipts() expects an array of receipt ids or tickets');
    const { signal } = options;
    throwIfAborted(signal);
    const { ids, tokens } = collectReceiptIds(idsOrTickets);
    const chunks: string[][] = [];
    for (let start = 0; start < ids.length; start += MAX_RECEIPT_IDS_PER_REQUEST) {
      chunks.push(ids.slice(start, start + MAX_RECEIPT_IDS_PER_REQUEST));
    }
    const results = await Promise.all(
      chunks.map((chunk) =>
        this.#transport.post('receipts', { ids: chunk }, (data) => decodeReceipts(data, chunk, tokens), { signal }),
      ),
    );
    return results.flat();
  }
}
