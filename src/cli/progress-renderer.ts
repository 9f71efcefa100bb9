/** Options of {@link ProgressRenderer}. */
export interface ProgressRendererOptions {
  /** Where to draw: stderr, so stdout stays clean for results. */
  readonly stream: { write(text: string): unknown };
  /** Whether that stream is a terminal: a bar redrawn in place if so, plain lines otherwise. */
  readonly isTTY: boolean;
  /** Recipients to send in all. */
  readonly total: number;
  /**
   * Terminal width; the bar line is cut to fit, since a wrapped line cannot be redrawn in place.
   * @default 80 (also when 0, as a pseudo-terminal without a size reports)
   */
  readonly columns?: number | undefined;
  /**
   * Least time between two draws, in milliseconds.
   * @default 100 on a terminal (smooth but cheap), 5000 otherwise (a log line every 5 seconds)
   */
  readonly intervalMs?: number;
  /**
   * Clock in milliseconds, injectable so tests can control rate and ETA.
   * @default performance.now
   */
  readonly now?: () => number;
}

const CLEAR_LINE = '\r\x1b[2K';
const BAR_WIDTH = 24;

/**
 * Shows how a send is going: recipients done of the total, the rate, the time left and failures.
 * On a terminal it redraws one line in place; elsewhere (a CI log, a file) it prints a plain line
 * every few seconds, because carriage returns turn logs into noise. Either way it ends with a
 * one-line total.
 */
export class ProgressRenderer {
  readonly #stream: { write(text: string): unknown };
  readonly #isTTY: boolean;
  readonly #total: number;
  readonly #columns: number;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #started: number;
  #lastDraw: number;
  #done = 0;
  #failed = 0;
  #barShown = false;
  #finished = false;

  constructor(options: ProgressRendererOptions) {
    this.#stream = options.stream;
    this.#isTTY = options.isTTY;
    this.#total = options.total;
    // A pseudo-terminal without a size (as under `script`) reports 0 columns.
    this.#columns = options.columns !== undefined && options.columns > 0 ? options.columns : 80;
    this.#intervalMs = options.intervalMs ?? (options.isTTY ? 100 : 5000);
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
    // A terminal shows the bar from the first update; a log waits a full interval for its first line.
    this.#lastDraw = options.isTTY ? Number.NEGATIVE_INFINITY : this.#started;
  }

  /**
   * Records the running totals and draws them if the interval has passed.
   * @param done - recipients finished, successfully or not.
   * @param failed - of those, the ones that failed.
   */
  update(done: number, failed: number): void {
    if (this.#finished) return;
    this.#done = done;
    this.#failed = failed;
    const now = this.#now();
    if (now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    if (this.#isTTY) this.#drawBar(now);
    else this.#stream.write(`${this.#plainLine(now)}\n`);
  }

  /** Lets `write` print to the same terminal without tearing the bar: clears it, then redraws it. */
  above(write: () => void): void {
    if (!this.#isTTY || !this.#barShown) {
      write();
      return;
    }
    this.#stream.write(CLEAR_LINE);
    this.#barShown = false;
    write();
    this.#drawBar(this.#now());
  }

  /** Replaces the bar (or ends the log lines) with the final totals. Later calls do nothing. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const elapsed = (this.#now() - this.#started) / 1000;
    const failed = this.#failed > 0 ? `, ${this.#failed} failed` : '';
    const line = `Sent ${this.#done}/${this.#total} recipients in ${elapsed.toFixed(1)} s (${formatRate(this.#done, elapsed)})${failed}`;
    this.#stream.write(`${this.#barShown ? CLEAR_LINE : ''}${line}\n`);
    this.#barShown = false;
  }

  #drawBar(now: number): void {
    const filled = this.#total === 0 ? BAR_WIDTH : Math.min(BAR_WIDTH, Math.floor((this.#done / this.#total) * BAR_WIDTH));
    const bar = `[${'='.repeat(filled)}${filled < BAR_WIDTH ? '>' : ''}${' '.repeat(Math.max(0, BAR_WIDTH - filled - 1))}]`;
    const line = `Sending ${bar} ${this.#figures(now).join('  ')}`;
    // One column short of the width: writing the last column makes some terminals wrap at once.
    this.#stream.write(`${CLEAR_LINE}${line.slice(0, Math.max(10, this.#columns - 1))}`);
    this.#barShown = true;
  }

  #plainLine(now: number): string {
    const [count, ...rest] = this.#figures(now);
    return `Sending: ${[`${count} recipients`, ...rest].join(', ')}`;
  }

  /** done/total, percentage, rate, ETA, and failures when there are some. */
  #figures(now: number): string[] {
    const elapsed = (now - this.#started) / 1000;
    const percent = this.#total === 0 ? 100 : Math.floor((this.#done / this.#total) * 100);
    const perSecond = elapsed > 0 ? this.#done / elapsed : 0;
    const eta = perSecond > 0 ? formatDuration((this.#total - this.#done) / perSecond) : '--:--';
    const figures = [`${this.#done}/${this.#total}`, `${percent}%`, formatRate(this.#done, elapsed), `ETA ${eta}`];
    if (this.#failed > 0) figures.push(`${this.#failed} failed`);
    return figures;
  }
}

function formatRate(done: number, elapsedSeconds: number): string {
  return elapsedSeconds > 0 ? `${Math.round(done / elapsedSeconds)}/s` : '--/s';
}

/** `m:ss`, or `h:mm:ss` from an hour up. */
function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}
