import type { DeliveryReport } from '../index.ts';
import type { SendInput } from './send-input.ts';
import type { SentMessages } from './send-stream.ts';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.ts';
import type { LineWriter } from './line-writer.ts';

/** What a send came to, as printed at the end and as the last `--json` record. */
export interface SendSummary {
  /** Recipients that got a ticket or failed; not those of invalid lines nor those never reached. */
  readonly recipients: number;
  /** Input lines skipped as invalid (`--skip-invalid`). */
  readonly invalidLines: number;
  /** Tickets by status; recipients whose request failed count as errors. */
  readonly tickets: { readonly ok: number; readonly error: number };
  /** Receipts of the `ok` tickets, when they were waited for. */
  readonly receipts: { readonly ok: number; readonly error: number; readonly pending: number } | undefined;
  /** Recipients in error per code, tickets and receipts together. */
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Tokens to delete: unregistered devices, and malformed tokens of skipped lines. */
  readonly tokensToRemove: number;
  /** Recipients worth sending again later. */
  readonly retryable: number;
  /** Recipients that failed on credentials. */
  readonly credentialProblems: number;
  /** Recipients never sent because the run was interrupted or the input could not be read. */
  readonly notSent: number;
  /** Recipients whose request failed for good: no ticket, and the service may or may not have them. */
  readonly requestFailed: number;
}

/** Exit code 0 when every recipient succeeded, 1 otherwise (pending receipts are not failures). */
export function summaryExitCode(summary: SendSummary): number {
  const failed = summary.tickets.error + summary.requestFailed + (summary.receipts?.error ?? 0) + summary.invalidLines + summary.notSent;
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** The summary as the last record of `--json` output. */
export function summaryRecord(summary: SendSummary): Record<string, unknown> {
  return { type: 'summary', ...summary, receipts: summary.receipts ?? null };
}

/** Prints the summary as aligned text. */
export function printSummary(out: LineWriter, summary: SendSummary): void {
  const row = (label: string, value: number) => out.line(`  ${label.padEnd(24)}${value}`);
  out.line('Summary');
  row('Recipients', summary.recipients);
  if (summary.invalidLines > 0) row('Invalid lines skipped', summary.invalidLines);
  if (summary.notSent > 0) row('Not sent', summary.notSent);
  row('Tickets ok', summary.tickets.ok);
  row('Ticket errors', summary.tickets.error);
  if (summary.requestFailed > 0) row('Requests failed', summary.requestFailed);
  if (summary.receipts) {
    row('Receipts ok', summary.receipts.ok);
    row('Receipt errors', summary.receipts.error);
    row('Receipts pending', summary.receipts.pending);
  }
  const codes = Object.entries(summary.errorsByCode).sort(([a], [b]) => a.localeCompare(b));
  if (codes.length > 0) {
    out.line('  Errors by code');
    for (const [code, count] of codes) out.line(`    ${code.padEnd(22)}${count}`);
  }
  row('Tokens to remove', summary.tokensToRemove);
  row('Worth retrying', summary.retryable);
  row('Credential problems', summary.credentialProblems);
}

/**
 * The summary of a send: ticket counts from the running tally, and, once receipts were waited
 * for, receipt counts and codes from the full delivery report.
 * @param waited - whether the receipts were fetched.
 * @param malformed - malformed tokens of skipped lines, also to remove.
 */
export function summarizeSend(input: SendInput, sent: SentMessages, report: DeliveryReport | undefined, waited: boolean, malformed: ReadonlySet<string>): SendSummary {
  const { tally } = sent;
  const judged = waited && report !== undefined ? report : undefined;
  const tokensToRemove = new Set([...malformed, ...(report?.tokensToRemove ?? tally.tokensToRemove)]);
  return {
    recipients: tally.recipients,
    invalidLines: input.check?.invalidLines.size ?? 0,
    tickets: { ok: tally.ticketsOk, error: tally.ticketErrors },
    receipts: judged
      ? { ok: judged.counts.ok, error: judged.counts.error - tally.ticketErrors - tally.requestFailures, pending: judged.counts.pending }
      : undefined,
    errorsByCode: judged?.errorsByCode ?? tally.errorsByCode,
    tokensToRemove: tokensToRemove.size,
    retryable: report?.retryable.length ?? tally.retryable,
    credentialProblems: report?.credentialProblems.length ?? tally.credentialProblems,
    notSent: input.total - tally.recipients,
    requestFailed: tally.requestFailures,
  };
}
