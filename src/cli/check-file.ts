import { PushValidationError, type PushMessage } from '../index.ts';
import { recipientCount } from '../send-plan.ts';
import { validateMessages } from '../validate-messages.ts';
import type { FileEntry, LineProblem } from './file-entry.ts';

/** What the validating pass over an input file found. */
export interface FileCheck {
  /** Messages that passed validation. */
  readonly messages: number;
  /** Their recipients: the total the sending pass works through. */
  readonly recipients: number;
  /** Lines with at least one problem, which the sending pass skips. */
  readonly invalidLines: ReadonlySet<number>;
  /** Problems found, several per line possibly. */
  readonly problems: number;
  /**
   * Tokens that problems name as malformed (at `to` or `to[n]`), as written in the file: they can
   * never receive a notification, so they belong on the list of tokens to remove.
   */
  readonly malformedTokens: ReadonlySet<string>;
}

/**
 * The first pass of `send --file`: reads every entry and validates each message exactly as the
 * client will, reporting each problem with its line as it is found. Holds only the numbers of the
 * invalid lines, so a file of any size can be checked before anything is sent.
 * @param onProblem - called for every problem, in file order.
 * @param signal - stops the check, rejecting with its reason. @default undefined
 */
export async function checkFileEntries(
  entries: AsyncIterable<FileEntry>,
  onProblem: (problem: LineProblem) => void,
  signal?: AbortSignal,
): Promise<FileCheck> {
  let messages = 0;
  let recipients = 0;
  let problems = 0;
  const invalidLines = new Set<number>();
  const malformedTokens = new Set<string>();
  const report = (problem: LineProblem) => {
    problems++;
    invalidLines.add(problem.line);
    onProblem(problem);
  };
  for await (const entry of entries) {
    signal?.throwIfAborted();
    if (entry.problems !== undefined) {
      entry.problems.forEach(report);
      continue;
    }
    const { line, message } = entry;
    try {
      const [wire] = validateMessages([message]) as [PushMessage];
      messages++;
      recipients += recipientCount(wire);
    } catch (error) {
      if (!(error instanceof PushValidationError)) throw error;
      for (const issue of error.issues) {
        report({ line, path: issue.path, message: issue.message });
        const token = malformedToken(message, issue.path);
        if (token !== undefined) malformedTokens.add(token);
      }
    }
  }
  return { messages, recipients, invalidLines, problems, malformedTokens };
}

/** The token a `to` or `to[n]` problem is about, when it is a non-empty string. */
function malformedToken(message: PushMessage, path: string): string | undefined {
  const position = /^to(?:\[(\d+)\])?$/.exec(path);
  if (!position) return undefined;
  const { to } = message as { to?: unknown };
  const token = position[1] === undefined ? to : Array.isArray(to) ? to[Number(position[1])] : undefined;
  return typeof token === 'string' && token.trim() !== '' ? token : undefined;
}
