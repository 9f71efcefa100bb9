// Child process: one client run of one scenario, measured in isolation.
//
//   node bench/lib/client-process.mjs <scenario file> <client name> '<{"url":…,"config":…} as JSON>'
//
// The scenario's client prepares (builds messages, imports its SDK, constructs the client), then
// only the send itself is timed. CPU time is the process's user+system time during the send;
// peak RSS is the process's maxRSS over its whole life (imports and messages included);
// rssBeforeSendMb is the RSS once prepared, just before the send.
// Prints one line `@@bench-result {…}` on stdout and exits.

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { RESULT_MARKER } from './protocol.mjs';

const [scenarioFile, clientName, contextJson] = process.argv.slice(2);
// Parent gone (stdin closed): stop at once instead of sending on to a dead emulator.
process.stdin.on('end', () => process.exit(1)).resume();
process.stdin.unref?.();

try {
  const scenario = await import(pathToFileURL(scenarioFile).href);
  const client = scenario.clients[clientName];
  if (!client) throw new Error(`scenario ${scenario.name} has no client ${clientName}`);
  const context = JSON.parse(contextJson);
  const send = await client.prepare(context);
  const rssBeforeSendMb = process.memoryUsage.rss() / (1024 * 1024);

  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const outcome = await send();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);

  const result = {
    ...outcome,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeSendMb,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`, () => process.exit(0));
} catch (error) {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
}
