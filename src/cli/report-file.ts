import type { DeliveryEntry, DeliveryReport } from '../index.ts';
import type { LineProblem } from './file-entry.ts';
import type { TextFileWriter } from './text-file-writer.ts';

/** What {@link writeReportFile} adds to the SDK's report. */
export interface ReportFileExtras {
  /** The input line of an entry, when it came from a file. */
  readonly lineOf: (entry: DeliveryEntry) => number | undefined;
  /** Problems of the input lines that were skipped. */
  readonly invalid: readonly LineProblem[];
  /** Tokens to remove beyond the report's own (malformed tokens of skipped lines). */
  readonly moreTokensToRemove: Iterable<string>;
}

/**
 * Writes the delivery report of `--report` as one JSON document:
 * `{ recipients, counts, errorsByCode, tokensToRemove, retryable, credentialProblems, invalid,
 * entries }`. Entries carry their input `line` instead of the whole message, which keeps the file
 * small and points straight at the source. It is written entry by entry, so a report of a million
 * recipients is never built as one string.
 */
export async function writeReportFile(file: TextFileWriter, report: DeliveryReport, extras: ReportFileExtras): Promise<void> {
  const slim = (entry: DeliveryEntry) => ({
    line: extras.lineOf(entry),
    token: entry.token,
    outcome: entry.outcome,
    code: entry.code,
    reason: entry.reason,
    receiptId: entry.receiptId,
  });
  const tokensToRemove = [...new Set([...extras.moreTokensToRemove, ...report.tokensToRemove])];
  await file.write('{\n');
  await file.write(`  "recipients": ${report.recipients},\n`);
  await file.write(`  "counts": ${JSON.stringify(report.counts)},\n`);
  await file.write(`  "errorsByCode": ${JSON.stringify(report.errorsByCode)},\n`);
  await writeArray(file, 'tokensToRemove', tokensToRemove);
  await writeArray(file, 'retryable', report.retryable.map((entry) => ({ ...slim(entry), duplicateRisk: entry.duplicateRisk })));
  await writeArray(file, 'credentialProblems', report.credentialProblems.map(slim));
  await writeArray(file, 'invalid', extras.invalid);
  await file.write('  "entries": [');
  let first = true;
  for (const entry of report.entries) {
    await file.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(slim(entry))}`);
    first = false;
  }
  await file.write(`${first ? '' : '\n  '}]\n}\n`);
}

async function writeArray(file: TextFileWriter, name: string, items: readonly unknown[]): Promise<void> {
  const body = items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  await file.write(`  ${JSON.stringify(name)}: [${items.length > 0 ? `\n${body}\n  ` : ''}],\n`);
}
