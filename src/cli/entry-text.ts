import type { DeliveryEntry } from '../index.ts';

/**
 * One recipient's outcome as a line of text:
 * `line 12: error  ExponentPushToken[…]  DeviceNotRegistered: …`, or for an accepted one
 * `ok  ExponentPushToken[…]  receipt id …` (`delivered` once its receipt said so).
 * @param line - the input file's line. @default undefined (none shown)
 */
export function entryText(entry: DeliveryEntry, line?: number): string {
  const where = line === undefined ? '' : `line ${line}: `;
  if (entry.outcome === 'error') return `${where}error  ${entry.token}  ${entry.code ?? 'unknown'}: ${entry.reason ?? 'no reason given'}`;
  const status = entry.outcome === 'ok' ? 'delivered' : entry.receiptId === undefined ? 'accepted' : `receipt id ${entry.receiptId}`;
  return `${where}ok     ${entry.token}  ${status}`;
}
