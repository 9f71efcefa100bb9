// Memory at scale: 1,000,000 recipients (quick: 50,000) to an emulator without a rate limit, over
// loopback. What matters: the client's peak RSS (goal for expo-push-edge: at most 150 MiB) and its
// throughput in recipients per second.
//
// - expo-push-edge streams: the messages come from a generator, made only as they are read, into
//   `publishStream`, and each ticket is counted and dropped (a real sender would write it to a
//   database). Client pacing is off (`rateLimit: false`): at the default 600/s a million recipients
//   would take 28 minutes, which is the service's real limit, not the client's. Generating the
//   messages is part of its timed send, since that is what streaming means (about 0.5 s of CPU
//   for a million recipients on the bench machine).
// - expo-server-sdk has no streaming API, so the same recipients are built into an array up front
//   (in its prepare step, untimed but inside its peak RSS), then its README loop runs: one chunk at a
//   time, keeping every ticket.
//
// The emulator runs with `record: false` but still stores a receipt per accepted recipient (a Map
// entry keyed by a UUID), 1M entries per run until the reset before the next run. Its heap after
// each run (after a full GC) is reported next to its V8 heap limit (see emulatorExecArgv).

import { buildMessages, generateMessages } from '../lib/messages.mjs';
import { prepareExpoPushEdgeStream, prepareExpoServerSdkReadmeLoop } from '../lib/senders.mjs';

export const name = 'memory-at-scale';
export const title = 'Memory at scale';
export const baseline = 'expo-server-sdk';

/** Memory is read this many times during a send, at even steps of recipients. */
const CHECKPOINTS = 10;

export function config({ quick }) {
  const recipients = quick ? 50_000 : 1_000_000;
  return { recipients, checkpointEvery: recipients / CHECKPOINTS };
}

/** A full run sends 2 × 1M recipients per round; 3 rounds keep `npm run bench` reasonable. */
export function runs({ quick }) {
  return quick ? undefined : 3;
}

export function emulatorOptions() {
  return { rateLimit: false, record: false };
}

/**
 * The emulator process: --expose-gc, so its heap is read after a full GC (what is live: mostly
 * the run's receipts). Its heap limit is left at V8's default: a million receipts are about 215 MB
 * of live heap (RSS up to about 660 MB), far below the default limit (4 GiB on the 24 GB bench
 * machine). V8 sizes that default from physical memory, so a much smaller machine has a lower
 * one: if the emulator ever runs out of heap there, add `--max-old-space-size=2048` here.
 */
export function emulatorExecArgv() {
  return ['--expose-gc'];
}

/** No rate to be ideal against. */
export function idealSeconds() {
  return undefined;
}

export function timeoutMs({ recipients }) {
  // About 60 µs per recipient at worst plus start-up; a million take about a minute on 2 CPUs.
  return Math.max(180_000, Math.round(recipients * 1.2));
}

export const clients = {
  'expo-push-edge': {
    prepare: ({ url, config }) =>
      prepareExpoPushEdgeStream({
        url,
        total: config.recipients,
        source: () => generateMessages(config.recipients),
        clientOptions: { rateLimit: false },
        checkpointEvery: config.checkpointEvery,
      }),
  },
  'expo-server-sdk': {
    prepare: ({ url, config }) =>
      prepareExpoServerSdkReadmeLoop({
        url,
        total: config.recipients,
        ...buildMessages(config.recipients),
        checkpointEvery: config.checkpointEvery,
      }),
  },
};

const int = (n) => Math.round(n).toLocaleString('en-US');
const mb = (n) => n.toFixed(0);

/** A Markdown section for RESULTS.md: memory during each run, and the emulator's. */
export function details({ config, results }) {
  const steps = Array.from({ length: CHECKPOINTS }, (_, i) => (i + 1) * config.checkpointEvery);
  const header = ['Client', 'Run', 'Recipients/s', 'RSS before send', ...steps.map((n) => `RSS at ${int(n / 1000)}k`), 'Heap at end', 'Peak RSS'];
  const rows = [];
  for (const [client, runs] of Object.entries(results)) {
    runs.forEach((run, i) => {
      const at = (n) => run.checkpoints?.find((point) => point.recipients >= n);
      const last = run.checkpoints?.at(-1);
      rows.push([
        client,
        String(i + 1),
        int(config.recipients / (run.wallMs / 1000)),
        mb(run.rssBeforeSendMb),
        ...steps.map((n) => (at(n) ? mb(at(n).rssMb) : '—')),
        last ? mb(last.heapUsedMb) : '—',
        mb(run.maxRssMb),
      ]);
    });
  }
  const emulatorHeader = ['After the run of', 'Run', 'Heap used (after GC)', 'Heap limit', 'RSS'];
  const emulatorRows = [];
  for (const [client, runs] of Object.entries(results)) {
    runs.forEach((run, i) => {
      emulatorRows.push([client, String(i + 1), mb(run.emulatorHeapMb), mb(run.emulatorHeapLimitMb), mb(run.emulatorRssMb)]);
    });
  }
  const emulatorPeak = Math.max(...Object.values(results).flatMap((runs) => runs.map((run) => run.emulatorMaxRssMb)));
  const table = (head, body) =>
    [head, head.map((_, i) => (i < 1 ? '---' : '---:')), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  return [
    `## ${title}: memory during the send (MB, client process)`,
    '',
    `RSS (process.memoryUsage().rss) once prepared, then each time another ${int(config.checkpointEvery)} recipients had come back;`,
    'V8 heap used at the last checkpoint; peak = maxRSS over the whole process. expo-server-sdk holds every message',
    'before the send (its "RSS before send") and every ticket after it; expo-push-edge holds neither.',
    '',
    table(header, rows),
    '',
    `### ${title}: the emulator process (MB)`,
    '',
    'Read after each client run, before the reset drops its receipts: one stored receipt per accepted recipient.',
    `Peak RSS of the emulator process over the whole scenario: ${mb(emulatorPeak)} MB.`,
    '',
    table(emulatorHeader, emulatorRows),
  ].join('\n');
}
