import { PushClient, type PushMessage, type PushReceipt, type PushTicket, PushValidationError } from '../index.ts';
import { buildDemoBatch } from './demo-batch.ts';
import { serveEmulator } from './serve-emulator.ts';

/** What the demo measured, for the printed summary and for tests. */
export interface DemoSummary {
  readonly recipients: number;
  readonly rejectedBeforeSending: number;
  readonly ticketsOk: number;
  readonly ticketErrors: Record<string, number>;
  readonly receiptsOk: number;
  readonly receiptErrors: Record<string, number>;
  readonly tokensToRemove: string[];
  readonly sendRequests: number;
  readonly receiptRequests: number;
  readonly gzipRequests: number;
  readonly elapsedMs: number;
}

/**
 * The project's main job: starts the emulator on an ephemeral loopback port, sends a realistic
 * batch through the real HTTP path, fetches the receipts, and prints a readable summary.
 */
export async function runDemo(print: (line: string) => void = console.log): Promise<DemoSummary> {
  const started = performance.now();
  const batch = buildDemoBatch();
  const receiptError = (token: string) => batch.receiptErrors.get(token);
  const server = await serveEmulator({
    unregisteredTokens: batch.unregistered,
    receiptFor: ({ token }) => {
      switch (receiptError(token)) {
        case 'DeviceNotRegistered':
          return { status: 'error', message: `"${token}" is not a registered push notification recipient`, details: { error: 'DeviceNotRegistered', expoPushToken: token } };
        case 'MessageRateExceeded':
          return { status: 'error', message: 'Too many messages were sent to this device; retry later.', details: { error: 'MessageRateExceeded', expoPushToken: token } };
        case 'MismatchSenderId':
          return { status: 'error', message: "There was an unknown error with the FCM server. See this error's details for more information.", details: { error: 'ProviderError', fault: 'fcm', fcm: { error: 'MismatchSenderId' } } };
        default:
          return undefined;
      }
    },
  });
  try {
    print(`expo-push-edge demo: sending through the push-service emulator at ${server.url}`);
    const client = new PushClient({ baseUrl: server.url });
    const multi = batch.messages.filter((message) => Array.isArray(message.to)).length;
    print(`Batch: ${batch.recipients} recipients in ${batch.messages.length} messages (${multi} with several recipients)`);

    let tickets: PushTicket[];
    let rejected: string[] = [];
    try {
      tickets = await client.publishMultiple(batch.messages);
    } catch (error) {
      // Validation runs before any request: the refused batch cost nothing, and the error says
      // exactly which recipients to drop.
      if (!(error instanceof PushValidationError)) throw error;
      const cleaned = withoutInvalidTokens(batch.messages, error, print);
      rejected = cleaned.rejected;
      tickets = await client.publishMultiple(cleaned.messages);
    }
    const receipts = await client.checkReceipts(tickets);
    const summary = summarize(batch.recipients, rejected, tickets, receipts, server.emulator.requests, started);
    printSummary(summary, print);
    return summary;
  } finally {
    await server.close();
  }
}

/** The messages minus the recipients a {@link PushValidationError} named; any other problem is rethrown. */
function withoutInvalidTokens(messages: PushMessage[], error: PushValidationError, print: (line: string) => void) {
  if (error.issues.some((issue) => !issue.path.startsWith('to'))) throw error;
  print(`Validation: ${error.issues.length} malformed tokens refused before sending (PushValidationError; nothing was sent):`);
  const rejected: string[] = [];
  const dropped = new Map<number, Set<number>>();
  for (const issue of error.issues) {
    const message = messages[issue.index] as PushMessage;
    const position = /^to\[(\d+)\]$/.exec(issue.path);
    const token = position ? (message.to as string[])[Number(position[1])] : message.to;
    rejected.push(String(token));
    print(`  message ${issue.index}, ${issue.path}: ${JSON.stringify(token)} ${issue.message.replace(/ \(received .*\)$/, '')}`);
    const positions = dropped.get(issue.index) ?? new Set<number>();
    positions.add(position ? Number(position[1]) : -1);
    dropped.set(issue.index, positions);
  }
  const kept = messages.flatMap((message, index) => {
    const positions = dropped.get(index);
    if (!positions) return [message];
    if (positions.has(-1) || typeof message.to === 'string') return [];
    const to = message.to.filter((_, position) => !positions.has(position));
    return to.length > 0 ? [{ ...message, to }] : [];
  });
  return { messages: kept, rejected };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** The code a sender acts on: a ProviderError wrapping an FCM code is reported by that code. */
function errorCode(result: PushTicket | PushReceipt): string {
  const details = result.details ?? {};
  const nested = (details.fcm as { error?: unknown } | undefined)?.error ?? (details.apns as { error?: unknown } | undefined)?.error;
  return details.error === 'ProviderError' && typeof nested === 'string' ? `ProviderError (${nested})` : (details.error ?? 'unknown');
}

function summarize(
  recipients: number,
  rejected: string[],
  tickets: PushTicket[],
  receipts: PushReceipt[],
  requests: readonly { endpoint: string; gzip: boolean }[],
  started: number,
): DemoSummary {
  const failedTickets = tickets.filter((ticket) => !ticket.isSuccess());
  const failedReceipts = receipts.filter((receipt) => !receipt.isSuccess());
  const dead = [...failedTickets, ...failedReceipts]
    .filter((result) => result.details?.error === 'DeviceNotRegistered')
    .map((result) => result.details?.expoPushToken ?? result.token ?? '');
  return {
    recipients,
    rejectedBeforeSending: rejected.length,
    ticketsOk: tickets.length - failedTickets.length,
    ticketErrors: countBy(failedTickets, errorCode),
    receiptsOk: receipts.length - failedReceipts.length,
    receiptErrors: countBy(failedReceipts, errorCode),
    tokensToRemove: [...new Set([...rejected, ...dead])],
    sendRequests: requests.filter((request) => request.endpoint === 'send').length,
    receiptRequests: requests.filter((request) => request.endpoint === 'receipts').length,
    gzipRequests: requests.filter((request) => request.gzip).length,
    elapsedMs: performance.now() - started,
  };
}

function printSummary(summary: DemoSummary, print: (line: string) => void): void {
  const counts = (errors: Record<string, number>) =>
    Object.entries(errors)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, count]) => `    ${code.padEnd(32)}${String(count).padStart(5)}`);
  const ticketErrorCount = Object.values(summary.ticketErrors).reduce((a, b) => a + b, 0);
  const receiptErrorCount = Object.values(summary.receiptErrors).reduce((a, b) => a + b, 0);
  print('');
  print('Summary');
  print(`  Recipients                        ${summary.recipients}`);
  print(`  Refused before sending            ${summary.rejectedBeforeSending}  (malformed tokens)`);
  print(`  Tickets ok                        ${summary.ticketsOk}`);
  print(`  Ticket errors                     ${ticketErrorCount}`);
  for (const line of counts(summary.ticketErrors)) print(line);
  print(`  Receipts ok                       ${summary.receiptsOk}`);
  print(`  Receipt errors                    ${receiptErrorCount}`);
  for (const line of counts(summary.receiptErrors)) print(line);
  const accounted = summary.rejectedBeforeSending + summary.ticketsOk + ticketErrorCount;
  print(`  Accounted for                     ${accounted} of ${summary.recipients}  (refused + tickets ok + ticket errors)`);
  print(`  Requests made                     ${summary.sendRequests + summary.receiptRequests}  (${summary.sendRequests} send, ${summary.receiptRequests} receipts, ${summary.gzipRequests} gzip-compressed)`);
  print(`  Elapsed                           ${(summary.elapsedMs / 1000).toFixed(2)} s`);
  print('');
  print(`Tokens to remove (${summary.tokensToRemove.length}):`);
  for (const token of summary.tokensToRemove) print(`  ${JSON.stringify(token)}`);
}
