import { createDeliveryReport, type PushClient, type PushReceipt } from '../../index.ts';
import type { CliCommand } from '../cli-command.ts';
import type { CliIo } from '../cli-io.ts';
import { CLIENT_OPTIONS, CLIENT_OPTIONS_HELP, clientFromFlags } from '../client-flags.ts';
import { countNoun } from '../count-noun.ts';
import { entryText } from '../entry-text.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.ts';
import { InputProblemPrinter } from '../input-problems.ts';
import { failureRecord, ticketRecord } from '../json-records.ts';
import { LineWriter } from '../line-writer.ts';
import { MESSAGE_OPTIONS, MESSAGE_OPTIONS_HELP, messageFieldsFromFlags } from '../message-flags.ts';
import { parseCommandLine, parseNumberOption, withOptionalValue } from '../parse-command-line.ts';
import { ProgressRenderer } from '../progress-renderer.ts';
import { writeRemoveList } from '../remove-list-file.ts';
import { writeReportFile } from '../report-file.ts';
import { checkInputFile, messageFromFlags, type SendInput } from '../send-input.ts';
import { type SentMessages, sendMessages } from '../send-stream.ts';
import { printSendReceipts, waitForSendReceipts } from '../send-receipts.ts';
import { printSummary, summarizeSend, summaryExitCode, summaryRecord } from '../send-summary.ts';
import { type SpooledInput, spoolToTempFile } from '../stdin-spool.ts';
import { TextFileWriter } from '../text-file-writer.ts';
import { UsageError } from '../usage-error.ts';

const OPTIONS = {
  ...CLIENT_OPTIONS,
  ...MESSAGE_OPTIONS,
  to: { type: 'string', multiple: true },
  file: { type: 'string' },
  format: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'wait-receipts': { type: 'string' },
  'poll-interval': { type: 'string' },
  report: { type: 'string' },
  'remove-list': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Minutes `--wait-receipts` waits when given no number: Expo's advice for receipts under load. */
const DEFAULT_WAIT_MINUTES = '30';

const HELP = `Usage: expo-push send --to <token> [--to <token>…] [message options] [options]
       expo-push send --file <path> [message options] [options]

Sends one message to one or more tokens (--to), or messages in bulk from a file (--file),
and prints the tickets.

Input:
  --to <token>            A recipient; repeat for several (one message, a ticket each).
  --file <path>           Send in bulk; '-' reads standard input. The file is streamed,
                          never loaded whole, and holds one of:
                            tokens  an Expo push token per line; the message options
                                    make the message
                            ndjson  a JSON message object per line
                            csv     a header naming message fields (to, title, body,
                                    data, channelId or channel-id, …), then a message
                                    per line; 'to' may hold several tokens separated by
                                    ';' or a JSON array, 'data' holds JSON
  --format <format>       tokens, ndjson or csv. Default: from the extension (.txt;
                          .ndjson, .jsonl, .json; .csv), else guessed from the first line.
  --skip-invalid          Send the valid lines even though some are invalid. Without it,
                          the whole file is checked first, and if any line is invalid
                          they are all reported with their line numbers and nothing is sent.
  --dry-run               Check the file and report its problems; send nothing.

Receipts and reports:
  --wait-receipts [min]   After sending, wait for the receipts (${DEFAULT_WAIT_MINUTES} minutes at most
                          unless a number is given) and print the delivery report.
  --poll-interval <sec>   First wait between receipt polls; it doubles up to 5 minutes.
                          Default 60.
  --report <path>         Write the delivery report as JSON (entries carry their input line).
  --remove-list <path>    Write the tokens to remove, one per line: unregistered devices,
                          and malformed tokens of skipped lines.

Output:
  --json                  Newline-delimited JSON on stdout, one record per line, each with
                          a "type":
                            invalid  {line, path, message}  a problem in the input
                            ticket   {line, token, status, id | message, details}
                            failure  {line, token, error: {name, message, code, status}}
                            receipt  {line, token, id, status, message, details}
                            summary  the totals; always the last record
  -q, --quiet             No progress or notes on stderr; problems and errors still go there.
  -h, --help              Show this help.

${MESSAGE_OPTIONS_HELP}

${CLIENT_OPTIONS_HELP}

Progress (recipients done/total, rate, time left) goes to stderr while sending from a file:
a bar redrawn in place on a terminal, a plain line every 5 seconds otherwise.

Exit status: 0 when every recipient got an ok ticket (and, with --wait-receipts, no receipt
reported an error; receipts still pending do not count); 1 when some failed, lines were
skipped as invalid, or the send was interrupted; 2 for a usage or input error (nothing sent).

Examples:
  expo-push send --to 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]' --title Hi --body 'Hello!'
  expo-push send --file tokens.txt --title Sale --body '50% off today' --sound default \\
    --wait-receipts 20 --remove-list dead-tokens.txt
  expo-push send --file messages.csv --skip-invalid --report report.json --json > tickets.ndjson`;

/** `expo-push send`: one message from flags, or a file of tokens or messages in bulk. */
export const sendCommand: CliCommand = {
  name: 'send',
  summary: 'Send a message to tokens, or messages in bulk from a file',
  help: HELP,
  run: runSend,
};

async function runSend(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(withOptionalValue(args, 'wait-receipts', DEFAULT_WAIT_MINUTES), OPTIONS);
  const to = values.to ?? [];
  if (to.length > 0 && values.file !== undefined) throw new UsageError('--to and --file cannot be combined: put the tokens in the file');
  if (to.length === 0 && values.file === undefined) throw new UsageError('send needs --to <token> or --file <path>');
  const waitMinutes = values['wait-receipts'] === undefined ? undefined : parseNumberOption('--wait-receipts', values['wait-receipts']);
  const pollSeconds = values['poll-interval'] === undefined ? 60 : parseNumberOption('--poll-interval', values['poll-interval'], { min: 1 });
  const fields = messageFieldsFromFlags(values);
  // Before reading any input: a wrong URL or token should not wait for a long file check.
  const client = clientFromFlags(values, io.env);
  const json = values.json === true;
  const quiet = values.quiet === true;
  const stdout = new LineWriter(io.stdout);
  const stderr = new LineWriter(io.stderr);
  const printer = new InputProblemPrinter(stdout, stderr, json);

  let spooled: SpooledInput | undefined;
  try {
    let input: SendInput;
    if (values.file === undefined) input = messageFromFlags(to, fields, printer);
    else {
      let path = values.file;
      if (path === '-') {
        if (!io.stdin) throw new UsageError('--file -: there is no standard input to read');
        spooled = await spoolToTempFile(io.stdin);
        path = spooled.path;
      }
      input = await checkInputFile(path, fields, { format: values.format, keepProblems: values.report !== undefined, printer, signal: io.signal });
      const outcome = fileCheckOutcome(input, values.file, { skipInvalid: values['skip-invalid'] === true, dryRun: values['dry-run'] === true, quiet, stderr });
      if (outcome !== undefined) return outcome;
    }
    return await sendAndReport(client, input, io, {
      json,
      quiet,
      stdout,
      stderr,
      waitMinutes,
      pollSeconds,
      reportPath: values.report,
      removeListPath: values['remove-list'],
    });
  } finally {
    await spooled?.remove();
  }
}

/** Says what the check found; returns the exit code when the run ends there. */
function fileCheckOutcome(
  input: SendInput,
  name: string,
  options: { readonly skipInvalid: boolean; readonly dryRun: boolean; readonly quiet: boolean; readonly stderr: LineWriter },
): number | undefined {
  const check = input.check;
  if (check === undefined) return undefined;
  const invalid = check.invalidLines.size;
  const file = name === '-' ? 'standard input' : name;
  if (!options.quiet || invalid > 0) {
    const invalidText = invalid > 0 ? `; ${countNoun(invalid, 'invalid line')}` : '';
    options.stderr.line(`Checked ${file}: ${countNoun(check.messages, 'valid message')} for ${countNoun(check.recipients, 'recipient')}${invalidText}`);
  }
  if (invalid > 0 && !options.skipInvalid) {
    options.stderr.line('Nothing was sent. Fix the lines above, or pass --skip-invalid to send the valid ones.');
    return EXIT_USAGE;
  }
  if (options.dryRun) {
    options.stderr.line('Dry run: nothing was sent.');
    return EXIT_OK;
  }
  if (check.messages === 0) throw new UsageError(`${file} holds no message to send`);
  return undefined;
}

interface SendOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly stdout: LineWriter;
  readonly stderr: LineWriter;
  readonly waitMinutes: number | undefined;
  readonly pollSeconds: number;
  readonly reportPath: string | undefined;
  readonly removeListPath: string | undefined;
}

/** The second pass: sends, optionally waits for receipts, and prints and writes the outcome. */
async function sendAndReport(client: PushClient, input: SendInput, io: CliIo, options: SendOptions): Promise<number> {
  const { json, stdout, stderr } = options;
  const fromFile = input.check !== undefined;
  // Opened before sending, so a mistyped path fails before anything goes out.
  const reportFile = options.reportPath === undefined ? undefined : await TextFileWriter.open(options.reportPath, '--report');
  const removeFile = options.removeListPath === undefined ? undefined : await TextFileWriter.open(options.removeListPath, '--remove-list');
  try {
    const isTTY = io.isTTY === true && io.env.TERM !== 'dumb';
    const progress = fromFile && !options.quiet ? new ProgressRenderer({ stream: io.stderr, isTTY, total: input.total, columns: io.columns }) : undefined;
    // Results are kept only when something needs them all at the end; the tally covers the rest,
    // the tokens to remove included.
    const keep = options.waitMinutes !== undefined || reportFile !== undefined;
    const sent = await sendMessages(client, input.messages(), {
      keep,
      signal: io.signal,
      onResult: async ({ result, entry, line }, tally) => {
        // Counted from the results taken, not from publishStream's onProgress, which runs ahead by
        // the requests already settled: the bar then always agrees with the output and the summary.
        progress?.update(tally.recipients, tally.ticketErrors);
        if (json) stdout.json('error' in result ? failureRecord(result, line) : ticketRecord(result, line));
        // From a file, only the failures are worth a line each; the summary covers the rest.
        else if (!fromFile || entry.outcome === 'error') {
          const text = entryText(entry, line);
          if (progress) progress.above(() => stdout.line(text));
          else stdout.line(text);
        }
        await stdout.drained();
      },
    });
    progress?.finish();
    if (sent.stoppedBy) stderr.line(stopMessage(sent, input.total, io.signal));

    let receipts: PushReceipt[] | undefined;
    let receiptsFailed = false;
    if (options.waitMinutes !== undefined && !sent.stoppedBy) {
      try {
        receipts = await waitForSendReceipts(client, sent, options.waitMinutes, options.pollSeconds, io.signal, options.quiet ? undefined : stderr);
      } catch (error) {
        receiptsFailed = true;
        const interrupted = io.signal?.aborted === true;
        stderr.line(interrupted ? 'Interrupted while waiting for receipts.' : `Could not fetch the receipts: ${(error as Error).message}`);
      }
    }
    const report = keep ? createDeliveryReport(sent.kept, receipts ?? []) : undefined;
    if (receipts !== undefined && report !== undefined) printSendReceipts(receipts, report, sent, { json, stdout, fromFile });

    const malformed = input.check?.malformedTokens ?? new Set<string>();
    const summary = summarizeSend(input, sent, report, receipts !== undefined, malformed);
    if (json) stdout.json(summaryRecord(summary));
    else if (fromFile || receipts !== undefined) printSummary(stdout, summary);

    if (report !== undefined && reportFile !== undefined) {
      await writeReportFile(reportFile, report, { lineOf: sent.lineOf, invalid: input.problems, moreTokensToRemove: malformed });
    }
    if (removeFile !== undefined) await writeRemoveList(removeFile, [...malformed, ...(report?.tokensToRemove ?? sent.tally.tokensToRemove)]);
    await stdout.drained();
    return receiptsFailed ? EXIT_FAILED : summaryExitCode(summary);
  } finally {
    await reportFile?.close();
    await removeFile?.close();
  }
}

function stopMessage(sent: SentMessages, total: number, signal: AbortSignal | undefined): string {
  const notSent = total - sent.tally.recipients;
  if (signal?.aborted) return `Interrupted: no ticket for ${notSent} of ${countNoun(total, 'recipient')} (those in requests cut short may have been delivered).`;
  const reason = sent.stoppedBy?.error instanceof Error ? sent.stoppedBy.error.message : String(sent.stoppedBy?.error);
  return `Sending stopped (${reason}): ${notSent} of ${countNoun(total, 'recipient')} not sent.`;
}
