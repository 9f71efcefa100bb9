import { createDeliveryReport, type DeliveryEntry, type PushFailure, type PushTicket } from '../index.ts';

/**
 * Running totals of a send, kept one recipient at a time so a send of any size can be summed up
 * without holding its tickets. Each recipient is judged by the SDK's own `createDeliveryReport`,
 * so the CLI's codes and lists are exactly the library's.
 */
export class DeliveryTally {
  /** Recipients seen. */
  recipients = 0;
  /** `ok` tickets. */
  ticketsOk = 0;
  /** Error tickets: the service answered, and said no. */
  ticketErrors = 0;
  /** Recipients whose request failed for good, so they have no ticket (some may have been delivered). */
  requestFailures = 0;
  /** Recipients in error per code; without a prototype, so a code such as `__proto__` is a plain key. */
  readonly errorsByCode: Record<string, number> = Object.create(null) as Record<string, number>;
  /** Tokens to delete (`DeviceNotRegistered`). */
  readonly tokensToRemove = new Set<string>();
  /** Recipients worth sending again later. */
  retryable = 0;
  /** Recipients that failed on credentials. */
  credentialProblems = 0;

  /** Counts one result and returns its line of the report, for printing. */
  add(result: PushTicket | PushFailure): DeliveryEntry {
    const report = createDeliveryReport([result]);
    const entry = report.entries[0] as DeliveryEntry;
    this.recipients++;
    if (entry.outcome === 'error') {
      if ('error' in result) this.requestFailures++;
      else this.ticketErrors++;
      const code = entry.code ?? 'unknown';
      this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
    } else this.ticketsOk++;
    for (const token of report.tokensToRemove) this.tokensToRemove.add(token);
    this.retryable += report.retryable.length;
    this.credentialProblems += report.credentialProblems.length;
    return entry;
  }
}
