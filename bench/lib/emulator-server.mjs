// Child process: serves one push emulator (the BUILT package) on 127.0.0.1, port 0.
//
//   node bench/lib/emulator-server.mjs '<PushEmulatorOptions as JSON>'
//
// Prints one line `{"url":"http://127.0.0.1:…"}` on stdout once listening, then answers
// line commands on stdin, one JSON line each on stdout:
//   stats  -> {"stats":{…emulator.stats}}
//   reset  -> {"reset":true}   (clears receipts, counters, refills the rate-limit bucket)
//   memory -> {"memory":{"rssMb":…,"heapUsedMb":…,"heapLimitMb":…,"maxRssMb":…}}   (this process: now,
//             its V8 heap limit, and its peak RSS so far; after a full GC if started with --expose-gc)
// It closes the server and exits when stdin ends (the parent closed it, or died) or on SIGINT/SIGTERM.

import { createInterface } from 'node:readline';
import { getHeapStatistics } from 'node:v8';
import { serveEmulator } from 'expo-push-edge/node';

const options = JSON.parse(process.argv[2] ?? '{}');
const server = await serveEmulator(options, { port: 0, hostname: '127.0.0.1' });

let stopping;
const stop = (code = 0) =>
  (stopping ??= server
    .close()
    .catch(() => {})
    .finally(() => process.exit(code)));

process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = line.trim();
  if (command === 'stats') reply({ stats: server.emulator.stats });
  else if (command === 'memory') {
    // With --expose-gc (a scenario's emulatorExecArgv), collect first so heapUsed is what is live.
    globalThis.gc?.();
    const MB = 1024 * 1024;
    const { rss, heapUsed } = process.memoryUsage();
    reply({
      memory: {
        rssMb: rss / MB,
        heapUsedMb: heapUsed / MB,
        heapLimitMb: getHeapStatistics().heap_size_limit / MB,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      },
    });
  } else if (command === 'reset') {
    server.emulator.reset();
    reply({ reset: true });
  } else if (command !== '') reply({ error: `unknown command ${JSON.stringify(command)}` });
});
lines.on('close', () => stop(0));

reply({ url: server.url });
