import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createDeliveryReport, type PushReceipt, PushTicket } from '../../index.ts';
import type { CliCommand } from '../cli-command.ts';
import type { CliIo } from '../cli-io.ts';
import { CLIENT_OPTIONS, CLIENT_OPTIONS_HELP, clientFromFlags } from '../client-flags.ts';
import { countNoun } from '../count-noun.ts';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.ts';
import { receiptRecord } from '../json-records.ts';
import { LineWriter } from '../line-writer.ts';
import { parseCommandLine, parseNumberOption, withOptionalValue } from '../parse-command-line.ts';
import { type ReceiptIdLine, readReceiptIds } from '../receipt-id-file.ts';
import { writeRemoveList } from '../remove-list-file.ts';
import { TextFileWriter } from '../text-file-writer.ts';
import { UsageError } from '../usage-error.ts';

const OPTIONS = {
  ...CLIENT_OPTIONS,
  file: { type: 'string' },
  wait: { type: 'string' },
  'poll-interval': { type: 'string' },
  'remove-list': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

const DEFAULT_WAIT_MINUTES = '30';

const HELP = `Usage: expo-push receipts <receipt-id>… [options]
       expo-push receipts --file <path> [options]

Looks up the receipts of notifications sent earlier: whether Apple or Google accepted them.

Input:
  <receipt-id>…           Receipt ids (the "id" of ok tickets).
  --file <path>           Ids to look up, one per line; '-' reads standard input. Lines may
                          also be the JSON tickets 'expo-push send --json' prints: their
                          "id" and "token" are used and other records skipped.

Options:
  --wait [min]            Poll until every receipt has arrived (${DEFAULT_WAIT_MINUTES} minutes at most unless a
                          number is given). Without it, look up once.
  --poll-interval <sec>   First wait between polls; it doubles up to 5 minutes. Default 60.
  --remove-list <path>    Write the tokens of unregistered devices, one per line (tokens
                          come from the receipts' details or from JSON tickets).
  --json                  Newline-delimited JSON on stdout:
                            receipt  {line, token, id, status, message, details}
                            pending  {line, token, id}   no receipt (yet)
                            summary  {ok, error, pending, errorsByCode, tokensToRemove}
  -q, --quiet             No notes on stderr.
  -h, --help              Show this help.

${CLIENT_OPTIONS_HELP}

Exit status: 0 when no receipt reported an error (pending ones do not count); 1 when some
did or the lookup failed; 2 for a usage or input error.

Example:
  expo-push send --file tokens.txt --title Hi --json > tickets.ndjson
  expo-push receipts --file tickets.ndjson --remove-list dead-tokens.txt`;

/** `expo-push receipts`: looks up receipts by id, from arguments or a file. */
export const receiptsCommand: CliCommand = {
  name: 'receipts',
  summary: 'Look up the receipts of notifications sent earlier',
  help: HELP,
  run: runReceipts,
};

async function runReceipts(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(withOptionalValue(args, 'wait', DEFAULT_WAIT_MINUTES), OPTIONS, true);
  if (positionals.length > 0 && values.file !== undefined) throw new UsageError('give receipt ids as arguments or with --file, not both');
  if (positionals.length === 0 && values.file === undefined) throw new UsageError('receipts needs receipt ids, or --file <path>');
  const waitMinutes = values.wait === undefined ? undefined : parseNumberOption('--wait', values.wait);
  const pollSeconds = values['poll-interval'] === undefined ? 60 : parseNumberOption('--poll-interval', values['poll-interval'], { min: 1 });
  const client = clientFromFlags(values, io.env);
  const stdout = new LineWriter(io.stdout);
  const stderr = new LineWriter(io.stderr);
  const json = values.json === true;

  const ids: ReceiptIdLine[] = values.file === undefined ? positionals.map((id) => ({ id, token: undefined, line: 0 })) : await readIdFile(values.file, io);
  if (ids.length === 0) throw new UsageError(`${values.file === '-' ? 'standard input' : values.file} holds no receipt id`);
  const removeFile = values['remove-list'] === undefined ? undefined : await TextFileWriter.open(values['remove-list'], '--remove-list');
  try {
    const sources = ids.map(({ id, token }) => ({ id, token }));
    let receipts: PushReceipt[];
    try {
      if (waitMinutes === undefined) receipts = await client.checkReceipts(sources, { signal: io.signal });
      else {
        if (values.quiet !== true) stderr.line(`Waiting up to ${waitMinutes} min for ${countNoun(ids.length, 'receipt')}…`);
        ({ receipts } = await client.waitForReceipts(sources, { timeoutMs: waitMinutes * 60_000, intervalMs: pollSeconds * 1000, signal: io.signal }));
      }
    } catch (error) {
      stderr.line(io.signal?.aborted ? 'Interrupted.' : `Could not fetch the receipts: ${(error as Error).message}`);
      return EXIT_FAILED;
    }

    // Stand-in tickets let the SDK's delivery report judge the receipts: codes, tokens to remove.
    const tickets = ids.map(({ id, token }) => new PushTicket({ status: 'ok', id, token: token ?? '', pushMessage: { to: token ?? '' } }));
    const report = createDeliveryReport(tickets, receipts);
    const receiptById = new Map(receipts.map((receipt) => [receipt.id, receipt]));
    const lineOf = (index: number) => (values.file === undefined ? undefined : ids[index]?.line);
    report.entries.forEach((entry, index) => {
      const id = entry.receiptId as string;
      const receipt = receiptById.get(id);
      const token = entry.token === '' ? undefined : entry.token;
      if (json) {
        stdout.json(receipt ? receiptRecord(receipt, lineOf(index)) : { type: 'pending', line: lineOf(index), token, id });
        return;
      }
      const who = token === undefined ? id : `${id}  ${token}`;
      if (entry.outcome === 'error') stdout.line(`error    ${who}  ${entry.code ?? 'unknown'}: ${entry.reason ?? 'no reason given'}`);
      else stdout.line(`${entry.outcome === 'ok' ? 'ok     ' : 'pending'}  ${who}`);
    });
    const tokensToRemove = report.tokensToRemove.filter((token) => token !== '');
    const { ok, error, pending } = report.counts;
    if (json) stdout.json({ type: 'summary', ok, error, pending, errorsByCode: report.errorsByCode, tokensToRemove: tokensToRemove.length });
    else stdout.line(`Receipts: ${ok} ok, ${error} error, ${pending} pending; ${countNoun(tokensToRemove.length, 'token')} to remove`);
    if (removeFile) await writeRemoveList(removeFile, tokensToRemove);
    await stdout.drained();
    return error > 0 ? EXIT_FAILED : EXIT_OK;
  } finally {
    await removeFile?.close();
  }
}

async function readIdFile(path: string, io: CliIo): Promise<ReceiptIdLine[]> {
  let input: Readable;
  if (path === '-') {
    if (!io.stdin) throw new UsageError('--file -: there is no standard input to read');
    input = io.stdin;
  } else {
    try {
      if (!(await stat(path)).isFile()) throw new UsageError(`--file: ${JSON.stringify(path)} is not a regular file`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--file: cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
    }
    input = createReadStream(path, { encoding: 'utf8' });
  }
  return readReceiptIds(input);
}
