import { linkedController, sleep, throwIfAborted } from './abort.ts';
import { type PushClientOptions, resolveClientOptions } from './client-options.ts';
import { BatchSender, type ChunkResult } from './batch-sender.ts';
import { decodeReceipts } from './decode-results.ts';
import { PushBatchError } from './errors/push-batch-error.ts';
import { PushNetworkError } from './errors/push-network-error.ts';
import { PushServerError } from './errors/push-server-error.ts';
import { PushValidationError } from './errors/push-validation-error.ts';
import type { PushMessage } from './push-message.ts';
import type { PushReceipt } from './push-receipt.ts';
import type { PushTicket } from './push-ticket.ts';
import { PushTransport } from './push-transport.ts';
import { collectReceiptIds, type ReceiptIdSource } from './receipt-ids.ts';
import { type PlannedRecipient, planRecipientChunks, recipientCount } from './send-plan.ts';
import { MAX_RECEIPT_IDS_PER_REQUEST } from './service-limits.ts';
import { type PushFailure, streamChunks } from './stream-chunks.ts';
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

/** How far a {@link PushClient.publishStream} call has got. */
export interface PublishProgress {
  /** Recipients that got a ticket (`ok` or `error`) so far. */
  readonly sent: number;
  /** Recipients that failed for good so far (invalid message, or their request failed). */
  readonly failed: number;
}

/** Options of {@link PushClient.publishStream}. */
export interface PublishStreamOptions extends CallOptions {
  /**
   * Called each time a request settles, with the running totals.
   * @default undefined
   */
  onProgress?: (progress: PublishProgress) => void;
}

/** Options of {@link PushClient.waitForReceipts}. */
export interface WaitForReceiptsOptions extends CallOptions {
  /**
   * How long to keep polling, in milliseconds. Expo says receipts normally arrive within 15
   * minutes and to allow 30 under load.
   * @default 1_800_000 (30 minutes)
   */
  timeoutMs?: number;
  /**
   * The first wait between polls, in milliseconds; it doubles after every poll, up to 5 minutes.
   * @default 60_000
   */
  intervalMs?: number;
}

/** What {@link PushClient.waitForReceipts} found. */
export interface ReceiptWaitResult {
  /** Every receipt that arrived, in the order of the ids asked for. */
  readonly receipts: PushReceipt[];
  /** The ids still without a receipt when polling stopped. */
  readonly pending: string[];
}

const MAX_POLL_INTERVAL_MS = 300_000;

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
  readonly #concurrency: number;

  /** @param options see {@link PushClientOptions}; throws a `TypeError` naming any bad option. */
  constructor(options?: PushClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#transport = new PushTransport(resolved);
    this.#workers = resolved.concurrency * 2;
    this.#concurrency = resolved.concurrency;
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
   * Sends a stream of messages, from an `Iterable` or `AsyncIterable` (a database cursor, a file
   * read line by line), and yields one item per recipient, in input order: its {@link PushTicket},
   * or a {@link PushFailure} `{ token, message, error }` where it could not be sent (an invalid
   * message, which is not sent, or a request that failed for good).
   *
   * Memory stays flat: at most `concurrency` requests' worth of recipients are in flight, and no
   * more messages are read while a slow consumer has not taken the results. Breaking out of the
   * loop stops the requests still outstanding. If the source throws, the results of what was
   * already sent are yielded first, then the error is thrown.
   *
   * @example
   * for await (const item of client.publishStream(readMessages(), { onProgress: console.log })) {
   *   if (item instanceof PushTicket) await saveTicket(item.toJSON());
   *   else await retryLater(item.token, item.error);
   * }
   */
  async *publishStream(
    source: Iterable<PushMessage> | AsyncIterable<PushMessage>,
    options: PublishStreamOptions = {},
  ): AsyncGenerator<PushTicket | PushFailure, void, undefined> {
    const { signal, onProgress } = options;
    throwIfAborted(signal);
    const link = linkedController(signal);
    const sender = new BatchSender(this.#transport, link.signal);
    const totals = { sent: 0, failed: 0 };
    const settle = (items: Array<PushTicket | PushFailure>) => {
      // Requests stopped by an abort or an early exit are not outcomes worth reporting.
      if (link.signal.aborted) return items;
      for (const item of items) {
        if ('error' in item) totals.failed++;
        else totals.sent++;
      }
      onProgress?.({ ...totals });
      return items;
    };
    const window: Array<Promise<Array<PushTicket | PushFailure>>> = [];
    let sourceError: { error: unknown } | undefined;
    try {
      try {
        for await (const unit of streamChunks(source, link.signal)) {
          const items = unit.kind === 'invalid' ? Promise.resolve(settle(unit.failures)) : sender.send(unit.recipients).then((result) => settle(itemsOf(result)));
          // Only a throwing onProgress can reject this; it surfaces when awaited, and must not be an
          // unhandled rejection if the loop ends first.
          items.catch(() => undefined);
          window.push(items);
          // Backpressure: the next message is read only once the oldest request's results are taken.
          while (window.length >= this.#concurrency) yield* await this.#next(window, signal);
          throwIfAborted(signal);
        }
      } catch (error) {
        throwIfAborted(signal);
        sourceError = { error };
      }
      while (window.length > 0) yield* await this.#next(window, signal);
      if (sourceError) throw sourceError.error;
    } finally {
      // Reached early when the consumer breaks out or an abort rejects: stop what is still running.
      link.abort(signal?.reason ?? new Error('publishStream() was closed before it finished'));
      link.dispose();
    }
  }

  /** The oldest chunk's items, unless the caller aborted meanwhile: then its reason, never failures it caused. */
  async #next(window: Array<Promise<Array<PushTicket | PushFailure>>>, signal: AbortSignal | undefined) {
    const items = await (window.shift() as Promise<Array<PushTicket | PushFailure>>);
    throwIfAborted(signal);
    return items;
  }

  /**
   * Polls for receipts until every one has arrived or `timeoutMs` has passed: the first poll at
   * once, then after `intervalMs`, doubling each time up to 5 minutes. Each poll asks only for the
   * ids still missing, at most 1000 per request. A poll that fails on a 5xx, a timeout or the
   * network (after the usual retries) is skipped and polling goes on; a refusal such as a bad
   * access token rejects at once, as does the last poll's failure.
   *
   * @throws {PushValidationError} before anything is sent, for entries that are neither receipt
   *   ids nor tickets.
   */
  async waitForReceipts(idsOrTickets: readonly ReceiptIdSource[], options: WaitForReceiptsOptions = {}): Promise<ReceiptWaitResult> {
    if (!Array.isArray(idsOrTickets)) throw new TypeError('waitForReceipts() expects an array of receipt ids or tickets');
    const { signal, timeoutMs = 1_800_000, intervalMs = 60_000 } = options;
    for (const [name, value] of [['timeoutMs', timeoutMs], ['intervalMs', intervalMs]] as const) {
      if (!(typeof value === 'number' && value >= 0)) throw new TypeError(`${name} must be a non-negative number of milliseconds`);
    }
    throwIfAborted(signal);
    const { ids, tokens } = collectReceiptIds(idsOrTickets);
    const deadline = Date.now() + timeoutMs;
    const found = new Map<string, PushReceipt>();
    // At least 1 ms so doubling moves on from 0, and never beyond the cap (setTimeout overflows past 2³¹ ms).
    let wait = Math.min(Math.max(intervalMs, 1), MAX_POLL_INTERVAL_MS);
    for (;;) {
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length === 0) break;
      const lastChance = Date.now() >= deadline;
      try {
        for (const receipt of await this.#lookUp(missing, tokens, signal)) found.set(receipt.id, receipt);
      } catch (error) {
        if (lastChance || !isPassing(error)) throw error;
      }
      if (lastChance || found.size === ids.length) break;
      await sleep(Math.min(wait, Math.max(0, deadline - Date.now())), signal);
      wait = Math.min(wait * 2, MAX_POLL_INTERVAL_MS);
    }
    return { receipts: ids.flatMap((id) => found.get(id) ?? []), pending: ids.filter((id) => !found.has(id)) };
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
    return this.#lookUp(ids, tokens, signal);
  }

  async #lookUp(ids: string[], tokens: ReadonlyMap<string, string>, signal: AbortSignal | undefined): Promise<PushReceipt[]> {
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

/** One item per recipient of a chunk, in order: its ticket, or its failure. */
function itemsOf(result: ChunkResult): Array<PushTicket | PushFailure> {
  const failed = new Map<PlannedRecipient, unknown>();
  for (const failure of result.failures) for (const recipient of failure.recipients) failed.set(recipient, failure.error);
  return result.recipients.map((recipient, position) => {
    const ticket = result.tickets[position];
    return ticket ?? { token: recipient.token, message: recipient.message, error: failed.get(recipient) };
  });
}

/** Whether a failed poll is worth polling past: the service or the network is having trouble. */
function isPassing(error: unknown): boolean {
  return error instanceof PushNetworkError || (error instanceof PushServerError && (error.status >= 500 || error.status === 429));
}
