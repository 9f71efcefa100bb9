// Medians, ratios and the Markdown tables.

/** Median; for an even count, the mean of the two middle values. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const int = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (n, digits) => n.toFixed(digits);
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');

/** "median" or "median (min–max)" when the runs disagree. */
function spread(values, format) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? format(lo) : `${format(median(values))} (${format(lo)}–${format(hi)})`;
}

/** Medians of every metric of one client's runs. */
export function summarize(runs) {
  const pick = (key) => median(runs.map((run) => run[key]));
  return {
    lost: pick('lost'),
    rateLimited: pick('rateLimited'),
    wallMs: pick('wallMs'),
    cpuMs: pick('cpuMs'),
    maxRssMb: pick('maxRssMb'),
  };
}

export const SUMMARY_HEADER = [
  'Scenario',
  'Client',
  'Recipients',
  'Runs',
  'Lost',
  '429s',
  'Time (s)',
  'Recipients/s',
  'Time / ideal',
  'CPU (s)',
  'Peak RSS (MB)',
  'Time vs official',
  'CPU vs official',
  'RSS vs official',
];

/** One row per scenario × client: medians, and ratios of medians to the scenario's baseline client. */
export function summaryTable(scenarioResults) {
  const rows = [];
  for (const { scenario, config, results } of scenarioResults) {
    const ideal = scenario.idealSeconds?.(config);
    const base = summarize(results[scenario.baseline]);
    for (const [client, runs] of Object.entries(results)) {
      const s = summarize(runs);
      const isBase = client === scenario.baseline;
      rows.push([
        scenario.title,
        isBase ? `${client} (official)` : client,
        int(config.recipients),
        String(runs.length),
        spread(runs.map((r) => r.lost), int),
        spread(runs.map((r) => r.rateLimited), int),
        fixed(s.wallMs / 1000, 2),
        int(config.recipients / (s.wallMs / 1000)),
        ideal ? `${(s.wallMs / 1000 / ideal).toFixed(3)}×` : '—',
        fixed(s.cpuMs / 1000, 2),
        fixed(s.maxRssMb, 0),
        isBase ? '—' : ratio(s.wallMs, base.wallMs),
        isBase ? '—' : ratio(s.cpuMs, base.cpuMs),
        isBase ? '—' : ratio(s.maxRssMb, base.maxRssMb),
      ]);
    }
  }
  return markdown(SUMMARY_HEADER, rows, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
}

/** Every individual run, for the record. */
export function runsTable(scenarioResults) {
  const header = ['Scenario', 'Client', 'Run', 'Time (s)', 'Lost', 'Failed requests', 'Error tickets', '429s', 'Send requests', 'CPU (s)', 'Peak RSS (MB)'];
  const rows = [];
  for (const { scenario, results } of scenarioResults) {
    for (const [client, runs] of Object.entries(results)) {
      runs.forEach((r, i) => {
        rows.push([
          scenario.title,
          client,
          String(i + 1),
          fixed(r.wallMs / 1000, 2),
          int(r.lost),
          int(r.failedRequests),
          int(r.errorTickets),
          int(r.rateLimited),
          int(r.sendRequests),
          fixed(r.cpuMs / 1000, 2),
          fixed(r.maxRssMb, 0),
        ]);
      });
    }
  }
  return markdown(header, rows, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
}

function markdown(header, rows, rightAligned) {
  const align = header.map((_, i) => (rightAligned.includes(i) ? '---:' : '---'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
