import type { PushTicket } from '../push-ticket.ts';
import type { PushRecipient } from '../send-plan.ts';
import { PushError } from './push-error.ts';

/** Recipients whose request failed for good, and why. */
export interface PushBatchFailure {
  /** The recipients of the failed request, each with its token and the caller's message. */
  readonly recipients: readonly PushRecipient[];
  /** Why the request failed, such as a `PushServerError` or `PushNetworkError`. */
  readonly error: unknown;
}

/**
 * Some requests of a `publishMultiple` call failed for good. Nothing is lost: `tickets` holds the
 * tickets that did arrive, in recipient order, and `failures` lists every other recipient with the
 * error of its request, so exactly those can be sent again.
 */
export class PushBatchError extends PushError {
  /** The tickets received, in recipient order (failed recipients are absent). */
  readonly tickets: readonly PushTicket[];
  /** One entry per failed request, in recipient order. */
  readonly failures: readonly PushBatchFailure[];

  constructor(tickets: readonly PushTicket[], failures: readonly PushBatchFailure[]) {
    const failed = failures.reduce((sum, failure) => sum + failure.recipients.length, 0);
    const first = failures[0]?.error;
    const reason = first instanceof Error ? first.message : String(first);
    super(
      `${failed} of ${failed + tickets.length} recipients were not sent: ${failures.length} ` +
        `${failures.length === 1 ? 'request' : 'requests'} failed (first: ${reason})`,
      { cause: first },
    );
    this.name = 'PushBatchError';
    this.tickets = tickets;
    this.failures = failures;
  }
}
