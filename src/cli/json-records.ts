import { PushNetworkError, PushServerError, type PushFailure, type PushReceipt, type PushTicket } from '../index.ts';

// The records `--json` prints for results, one per line (problems are printed by
// InputProblemPrinter). Every record has a `type`, so a consumer can handle a stream of mixed
// records with one switch; `line` is the input file's line, when there is one.

/** A ticket: `{ type: 'ticket', line?, token, status, id?, message?, details? }`. */
export function ticketRecord(ticket: PushTicket, line: number | undefined): Record<string, unknown> {
  return { type: 'ticket', line, ...ticket.toJSON() };
}

/** A recipient whose request failed for good: `{ type: 'failure', line?, token, error }`. */
export function failureRecord(failure: PushFailure, line: number | undefined): Record<string, unknown> {
  return { type: 'failure', line, token: failure.token, error: describeError(failure.error) };
}

/** A receipt: `{ type: 'receipt', line?, token?, id, status, message?, details? }`. */
export function receiptRecord(receipt: PushReceipt, line: number | undefined): Record<string, unknown> {
  return { type: 'receipt', line, token: receipt.token, id: receipt.id, status: receipt.status, message: receipt.message, details: receipt.details };
}

/**
 * An error as plain JSON: its name and message, and what a script acts on (the service's code,
 * the HTTP status, whether the notification may have gone out anyway).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const described: Record<string, unknown> = { name: error.name, message: error.message };
  if (error instanceof PushServerError) Object.assign(described, { code: error.code, status: error.status });
  if (error instanceof PushServerError || error instanceof PushNetworkError) described.outcomeUnknown = error.outcomeUnknown;
  return described;
}
