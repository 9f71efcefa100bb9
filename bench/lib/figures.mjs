// Scenarios that are not "send N recipients to the emulator" (cold start, bundle size,
// compression) export `measure({ quick, runs, log, previous })` instead of `clients`. It resolves to
// `{ rows, details? }`, each row one figure:
//   { client, metric, value, unit, digits, against?: { label, value }, goal? }
// `value` is already a median where it was measured more than once; `against` gives the ratio
// column (e.g. "vs official", "vs bare node"); `goal` is a short text such as "≤ 1.15× bare: met".
// They all go into one second table after the main one.

const format = (value, digits) =>
  typeof value === 'number' ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(value);

export const FIGURES_HEADER = ['Scenario', 'Client', 'Runs', 'Figure', 'Median', 'Ratio', 'Goal'];

/** One row per figure of every measured scenario. */
export function figuresTable(measured) {
  const rows = [];
  for (const { scenario, runs, rows: figures } of measured) {
    for (const f of figures) {
      const ratio =
        f.against && typeof f.value === 'number' && f.against.value > 0
          ? `${(f.value / f.against.value).toFixed(2)}× ${f.against.label}`
          : '—';
      rows.push([
        scenario.title,
        f.client,
        String(f.runs ?? runs),
        f.metric,
        `${format(f.value, f.digits ?? 2)}${f.unit && typeof f.value === 'number' ? ` ${f.unit}` : ''}`,
        ratio,
        f.goal ?? '—',
      ]);
    }
  }
  const align = FIGURES_HEADER.map((_, i) => (i === 2 || i === 4 ? '---:' : '---'));
  return [FIGURES_HEADER, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** "met" / "not met" for a goal check. */
export const verdict = (ok) => (ok ? 'met' : 'not met');
