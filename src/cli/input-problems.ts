import type { LineProblem } from './file-entry.ts';
import type { LineWriter } from './line-writer.ts';

/** Problems printed as text before the rest are only counted: enough to see the pattern. */
const SHOWN_PROBLEMS = 50;

/**
 * Reports input problems as they are found: every one as an `invalid` record with `--json`, else
 * the first {@link SHOWN_PROBLEMS} as text on stderr (`line 7: to must be an Expo push token …`),
 * since a file in the wrong format would otherwise bury the terminal in identical lines.
 */
export class InputProblemPrinter {
  readonly #stdout: LineWriter;
  readonly #stderr: LineWriter;
  readonly #json: boolean;
  #seen = 0;

  constructor(stdout: LineWriter, stderr: LineWriter, json: boolean) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.#json = json;
  }

  /** Reports one problem; `line` is absent for a message built from flags. */
  print(problem: Omit<LineProblem, 'line'> & { readonly line?: number | undefined }): void {
    this.#seen++;
    if (this.#json) {
      this.#stdout.json({ type: 'invalid', ...problem });
      return;
    }
    if (this.#seen > SHOWN_PROBLEMS) return;
    const where = problem.line === undefined ? '' : `line ${problem.line}: `;
    const subject = problem.path === '' ? (problem.line === undefined ? 'the message' : 'the line') : problem.path;
    this.#stderr.line(`${where}${subject} ${problem.message}`);
  }

  /** Says how many problems were found but not shown, if any. */
  finish(): void {
    if (this.#json || this.#seen <= SHOWN_PROBLEMS) return;
    this.#stderr.line(`… and ${this.#seen - SHOWN_PROBLEMS} more problems (--json lists them all)`);
  }
}
