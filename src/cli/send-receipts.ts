import { type DeliveryReport, type PushClient, type PushReceipt, PushTicket } from '../index.ts';
import { countNoun } from './count-noun.ts';
import { entryText } from './entry-text.ts';
import { receiptRecord } from './json-records.ts';
import type { LineWriter } from './line-writer.ts';
import type { SentMessages } from './send-stream.ts';

/**
 * Waits for the receipts of a send's `ok` tickets, saying on `notes` how long it may take and how
 * many never came.
 * @param notes - where to say so. @default undefined (`--quiet`)
 */
export async function waitForSendReceipts(
  client: PushClient,
  sent: SentMessages,
  minutes: number,
  pollSeconds: number,
  signal: AbortSignal | undefined,
  notes: LineWriter | undefined,
): Promise<PushReceipt[]> {
  const tickets = sent.kept.filter((result): result is PushTicket => result instanceof PushTicket && result.status === 'ok' && result.id !== undefined);
  if (tickets.length === 0) return [];
  notes?.line(`Waiting up to ${minutes} min for ${countNoun(tickets.length, 'receipt')}…`);
  const { receipts, pending } = await client.waitForReceipts(tickets, { timeoutMs: minutes * 60_000, intervalMs: pollSeconds * 1000, signal });
  if (pending.length > 0) notes?.line(`${countNoun(pending.length, 'receipt')} had not arrived after ${minutes} min.`);
  return receipts;
}

/**
 * Prints the receipts of a send: every one as a `receipt` record with `--json`, else a line per
 * error (per receipt for `--to`, where there are few), with the input line of each.
 */
export function printSendReceipts(
  receipts: readonly PushReceipt[],
  report: DeliveryReport,
  sent: SentMessages,
  options: { readonly json: boolean; readonly stdout: LineWriter; readonly fromFile: boolean },
): void {
  const arrived = new Set(receipts.map((receipt) => receipt.id));
  const lineById = new Map<string, number | undefined>();
  for (const entry of report.entries) {
    if (entry.receiptId === undefined || !arrived.has(entry.receiptId)) continue;
    lineById.set(entry.receiptId, sent.lineOf(entry));
    if (!options.json && (!options.fromFile || entry.outcome === 'error')) options.stdout.line(entryText(entry, sent.lineOf(entry)));
  }
  if (options.json) for (const receipt of receipts) options.stdout.json(receiptRecord(receipt, lineById.get(receipt.id)));
}
