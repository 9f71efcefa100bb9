import { type PushClientOptions, resolveClientOptions } from './client-options.ts';
import { decodeReceipts, decodeTickets } from './decode-results.ts';
import { PushBatchError, type PushBatchFailure } from './errors/push-batch-error.ts';
import { PushValidationError } from './errors/push-validation-error.ts';
import type { PushMessage } from './push-message.ts';
import type { PushReceipt } from './push-receipt.ts';
import type { PushTicket } from './push-ticket.ts';
import { PushTransport } from './push-transport.ts';
import { planSendRequests, recipientCount } from './send-plan.ts';
import { MAX_RECEIPT_IDS_PER_REQUEST } from './service-limits.ts';
import { validateMessages } from './validate-messages.ts';

/** A receipt id, or anything carrying one: a {@link PushTicket} or a ticket read back as JSON. */
export type ReceiptIdSource = string | { readonly id?: string | undefined; readonly token?: string | undefined };

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

  /** @param options see {@link PushClientOptions}; throws a `TypeError` naming any bad option. */
  constructor(options: PushClientOptions = {}) {
    this.#transport = new PushTransport(resolveClientOptions(options));
  }

  /**
   * Sends one message to one recipient and returns its ticket. A failure of the request rejects
   * with the underlying error itself (`PushServerError`, `PushNetworkError`, …).
   *
   * @throws {PushValidationError} when the message is invalid or has more than one recipient.
   */
  async publish(message: PushMessage): Promise<PushTicket> {
    const [wire] = validateMessages([message]) as [PushMessage];
    if (recipientCount(wire) !== 1) {
      throw new PushValidationError([
        { index: 0, path: 'to', message: `publish() sends to exactly one recipient (got ${recipientCount(wire)}); use publishMultiple()` },
      ]);
    }
    const [request] = planSendRequests([message], [wire]);
    const { messages, recipients } = request as NonNullable<typeof request>;
    const [ticket] = await this.#transport.post('send', messages, (data) => decodeTickets(data, recipients));
    return ticket as PushTicket;
  }

  /**
   * Sends messages and returns one ticket per recipient, in input order (a message whose `to` is
   * an array gets one ticket per token, in order). Requests carry at most 100 recipients.
   *
   * @throws {PushValidationError} before anything is sent, listing every invalid message.
   * @throws {PushBatchError} when some requests failed for good: it holds the tickets that arrived
   *   and every recipient that was not sent, with the reason.
   */
  async publishMultiple(messages: readonly PushMessage[]): Promise<PushTicket[]> {
    if (!Array.isArray(messages)) throw new TypeError('publishMultiple() expects an array of messages');
    const wires = validateMessages(messages);
    const slots: Array<PushTicket[] | undefined> = [];
    const failures: Array<PushBatchFailure & { readonly firstRecipient: number }> = [];
    const requests = [...planSendRequests(messages, wires)];
    await Promise.all(
      requests.map(async ({ messages: body, recipients, firstRecipient }, index) => {
        try {
          slots[index] = await this.#transport.post('send', body, (data) => decodeTickets(data, recipients));
        } catch (error) {
          failures.push({ recipients, error, firstRecipient });
        }
      }),
    );
    const tickets = slots.flatMap((slot) => slot ?? []);
    if (failures.length > 0) {
      failures.sort((a, b) => a.firstRecipient - b.firstRecipient);
      throw new PushBatchError(
        tickets,
        failures.map(({ recipients, error }) => ({ recipients, error })),
      );
    }
    return tickets;
  }

  /**
   * Looks receipts up, at most 1000 ids per request. Takes receipt ids (as read back from a
   * database) or tickets; tickets without an `id` are skipped, and ids the service has no receipt
   * for (not ready, expired, unknown) are absent from the result. Receipts come back in the order
   * of the ids asked for; those looked up from a ticket carry its `token`.
   */
  async checkReceipts(idsOrTickets: readonly ReceiptIdSource[]): Promise<PushReceipt[]> {
    if (!Array.isArray(idsOrTickets)) throw new TypeError('checkReceipts() expects an array of receipt ids or tickets');
    const tokens = new Map<string, string>();
    const ids = new Set<string>();
    for (const source of idsOrTickets) {
      if (typeof source === 'string') ids.add(source);
      else if (source !== null && typeof source === 'object' && typeof source.id === 'string') {
        ids.add(source.id);
        if (typeof source.token === 'string') tokens.set(source.id, source.token);
      }
    }
    const unique = [...ids];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += MAX_RECEIPT_IDS_PER_REQUEST) {
      chunks.push(unique.slice(start, start + MAX_RECEIPT_IDS_PER_REQUEST));
    }
    const results = await Promise.all(
      chunks.map((chunk) => this.#transport.post('receipts', { ids: chunk }, (data) => decodeReceipts(data, chunk, tokens))),
    );
    return results.flat();
  }
}
