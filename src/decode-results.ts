import { isPlainObject } from './json-value.ts';
import { PushReceipt } from './push-receipt.ts';
import type { PushResultDetails, PushResultInit } from './push-result.ts';
import { PushTicket } from './push-ticket.ts';
import { ResponseShapeError } from './response-envelope.ts';
import type { PushRecipient } from './send-plan.ts';

/**
 * Turns a send response's `data` into one ticket per recipient. A single ticket object is
 * accepted where an array was expected; any other count than the recipients sent is an error.
 */
export function decodeTickets(data: unknown, recipients: readonly PushRecipient[]): PushTicket[] {
  const items = Array.isArray(data) ? data : isPlainObject(data) ? [data] : undefined;
  if (items === undefined) throw new ResponseShapeError(`expected an array of tickets, got ${describe(data)}`);
  if (items.length !== recipients.length) {
    throw new ResponseShapeError(
      `expected ${recipients.length} ${recipients.length === 1 ? 'ticket' : 'tickets'} (one per recipient) but got ${items.length}`,
    );
  }
  return items.map((item, index) => {
    const recipient = recipients[index] as PushRecipient;
    const result = decodeResult(item, `ticket ${index}`);
    const id = (item as Record<string, unknown>).id;
    return new PushTicket({ ...result, id: typeof id === 'string' ? id : undefined, token: recipient.token, pushMessage: recipient.message });
  });
}

/**
 * Turns a receipts response's `data` (an object keyed by receipt id) into receipts for the ids
 * asked for, in that order. Ids the service left out are simply absent.
 */
export function decodeReceipts(data: unknown, ids: readonly string[], tokens: ReadonlyMap<string, string>): PushReceipt[] {
  if (!isPlainObject(data)) throw new ResponseShapeError(`expected an object of receipts keyed by id, got ${describe(data)}`);
  const receipts: PushReceipt[] = [];
  for (const id of ids) {
    if (!Object.hasOwn(data, id)) continue;
    receipts.push(new PushReceipt({ ...decodeResult(data[id], `receipt ${JSON.stringify(id)}`), id, token: tokens.get(id) }));
  }
  return receipts;
}

function decodeResult(item: unknown, what: string): PushResultInit {
  if (!isPlainObject(item) || (item.status !== 'ok' && item.status !== 'error')) {
    throw new ResponseShapeError(`${what} is not a { status: "ok" | "error" } object: ${describe(item)}`);
  }
  return {
    status: item.status,
    message: typeof item.message === 'string' ? item.message : undefined,
    details: isPlainObject(item.details) ? (item.details as PushResultDetails) : undefined,
  };
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 100 ? `${text.slice(0, 100)}…` : text;
  }
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}
