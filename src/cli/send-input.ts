import { stat } from 'node:fs/promises';
import { PushValidationError, type PushMessage } from '../index.ts';
import { recipientCount } from '../send-plan.ts';
import { validateMessages } from '../validate-messages.ts';
import { checkFileEntries, type FileCheck } from './check-file.ts';
import type { LineProblem } from './file-entry.ts';
import { detectFileFormat } from './file-format.ts';
import type { InputProblemPrinter } from './input-problems.ts';
import { readFileEntries } from './message-source.ts';
import type { NumberedMessage } from './send-stream.ts';
import { UsageError } from './usage-error.ts';

/** What `send` is about to send, checked. */
export interface SendInput {
  /** Reads the messages to send, afresh on each call, invalid lines left out. */
  readonly messages: () => AsyncIterable<NumberedMessage>;
  /** Recipients to send. */
  readonly total: number;
  /** The check of the input file; `undefined` for a message built from `--to`. */
  readonly check: FileCheck | undefined;
  /** The problems found, kept for `--report`. */
  readonly problems: readonly LineProblem[];
}

/**
 * The one message of `send --to`: the flags' fields sent to every `--to` token. Its problems are
 * printed and make it a usage error, since there is nothing else to send.
 * @throws {UsageError} when the message is invalid.
 */
export function messageFromFlags(to: readonly string[], fields: Partial<PushMessage>, printer: InputProblemPrinter): SendInput {
  const message = { ...fields, to: to.length === 1 ? (to[0] as string) : [...to] };
  try {
    const [wire] = validateMessages([message]) as [PushMessage];
    return { messages: async function* () { yield { line: undefined, message }; }, total: recipientCount(wire), check: undefined, problems: [] };
  } catch (error) {
    if (!(error instanceof PushValidationError)) throw error;
    for (const issue of error.issues) printer.print({ path: issue.path, message: issue.message });
    throw new UsageError('the message is invalid; nothing was sent');
  }
}

/** Options of {@link checkInputFile}. */
export interface CheckInputFileOptions {
  /** `--format`. @default undefined (detect) */
  readonly format?: string | undefined;
  /** Keep every problem for `--report`. @default false */
  readonly keepProblems?: boolean;
  /** Where problems are reported as they are found. */
  readonly printer: InputProblemPrinter;
  /** Stops the check of a long file. @default undefined */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The first pass of `send --file`: checks the file is readable, detects its format, and validates
 * every line, reporting problems as they are found.
 * @param fields - the message flags: the message of a token file, defaults for the others.
 * @throws {UsageError} when the file cannot be read or its format or header is wrong.
 */
export async function checkInputFile(path: string, fields: Partial<PushMessage>, options: CheckInputFileOptions): Promise<SendInput> {
  await assertReadableFile(path);
  const format = await detectFileFormat(path, options.format);
  const problems: LineProblem[] = [];
  let check: FileCheck;
  try {
    check = await checkFileEntries(
      readFileEntries(path, format, fields),
      (problem) => {
        options.printer.print(problem);
        if (options.keepProblems) problems.push(problem);
      },
      options.signal,
    );
  } catch (error) {
    // A file that exists but cannot be read (permissions) is the caller's input problem too.
    if (typeof (error as { syscall?: unknown }).syscall === 'string') throw readError(path, error);
    throw error;
  }
  options.printer.finish();
  async function* messages(): AsyncGenerator<NumberedMessage> {
    for await (const entry of readFileEntries(path, format, fields)) {
      if (entry.problems === undefined && !check.invalidLines.has(entry.line)) yield { line: entry.line, message: entry.message };
    }
  }
  return { messages, total: check.recipients, check, problems };
}

/** A regular file is required: a pipe cannot be read twice (standard input, `-`, is spooled instead). */
async function assertReadableFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    throw readError(path, error);
  }
  if (!isFile) throw new UsageError(`--file: ${JSON.stringify(path)} is not a regular file (to read a pipe, use --file - and redirect it to standard input)`);
}

function readError(path: string, error: unknown): UsageError {
  return new UsageError(`--file: cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
}
