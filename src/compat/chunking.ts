import type { ExpoPushMessage } from './official-types.ts';

/** Recipients of the official send: one per element of an array `to`, one for any other `to`. */
export function countRecipients(messages: readonly ExpoPushMessage[]): number {
  let total = 0;
  for (const message of messages) total += Array.isArray(message.to) ? message.to.length : 1;
  return total;
}

/**
 * Splits messages into chunks of at most `limit` recipients, as the official SDK does: an array
 * `to` is split across chunks exactly at the limit (each part a shallow copy of the message with
 * its share of `to`), a message with an empty `to` array is left out, and a message with any
 * other `to` is kept as the same object.
 */
export function chunkMessages(messages: readonly ExpoPushMessage[], limit: number): ExpoPushMessage[][] {
  const chunks: ExpoPushMessage[][] = [];
  let current: ExpoPushMessage[] = [];
  let count = 0;
  const add = (message: ExpoPushMessage, recipients: number) => {
    current.push(message);
    count += recipients;
    if (count >= limit) {
      chunks.push(current);
      current = [];
      count = 0;
    }
  };
  for (const message of messages) {
    if (!Array.isArray(message.to)) {
      add(message, 1);
      continue;
    }
    const to = message.to;
    for (let start = 0; start < to.length; ) {
      const part = to.slice(start, start + (limit - count));
      start += part.length;
      add({ ...message, to: part }, part.length);
    }
  }
  if (count > 0) chunks.push(current);
  return chunks;
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunkItems<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
