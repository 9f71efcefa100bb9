import { PushError } from './push-error.ts';

/** One problem found in the caller's input before anything was sent. */
export interface PushValidationIssue {
  /** Position of the message in the input array (0 for `publish`). */
  readonly index: number;
  /** Field path inside that message, such as `priority`, `to[3]` or `sound.volume`; `''` for the message itself. */
  readonly path: string;
  /** What is wrong, in words. */
  readonly message: string;
}

const SUMMARY_LIMIT = 5;

/**
 * Messages failed validation. Nothing was sent (or, from `enqueuePushMessages`, enqueued) for the
 * call that threw it.
 *
 * `issues` lists every problem, so a caller can fix or drop exactly the bad messages.
 */
export class PushValidationError extends PushError {
  /** Every problem found, in input order. */
  readonly issues: readonly PushValidationIssue[];

  /**
   * @param issues every problem found.
   * @param subject what the input is, as the message names it. @default 'push message'
   * @param outcome what did not happen to the input, as the message says: `'enqueued'` for a
   *   producer that puts messages on a queue rather than sending them. @default 'sent'
   */
  constructor(issues: readonly PushValidationIssue[], subject: 'push message' | 'receipt id' = 'push message', outcome: 'sent' | 'enqueued' = 'sent') {
    super(summarize(issues, subject, outcome));
    this.name = 'PushValidationError';
    this.issues = issues;
  }
}

function summarize(issues: readonly PushValidationIssue[], subject: string, outcome: string): string {
  const item = subject === 'push message' ? 'message' : 'entry';
  const shown = issues.slice(0, SUMMARY_LIMIT).map((issue) => {
    const where = issue.path === '' ? `${item} ${issue.index}` : `${item} ${issue.index}, ${issue.path}`;
    return `${where}: ${issue.message}`;
  });
  const more = issues.length > SUMMARY_LIMIT ? `; and ${issues.length - SUMMARY_LIMIT} more` : '';
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return `Invalid ${subject} input (${issues.length} ${noun}, nothing was ${outcome}): ${shown.join('; ')}${more}`;
}
