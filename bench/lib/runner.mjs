// The shared runner: one emulator child per scenario, one client child per run, results collected
// and reduced to medians. Scenario modules (bench/scenarios/*.mjs) only describe what to run.

import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnNode } from './children.mjs';
import { RESULT_MARKER } from './protocol.mjs';

const EMULATOR_SCRIPT = fileURLToPath(new URL('./emulator-server.mjs', import.meta.url));
const CLIENT_SCRIPT = fileURLToPath(new URL('./client-process.mjs', import.meta.url));

/**
 * Starts the emulator in its own process (with extra Node flags `execArgv`, e.g. a larger heap)
 * and waits for its URL.
 * @returns {Promise<{ url: string, stats(): Promise<object>, memory(): Promise<object>, reset(): Promise<void>, close(): Promise<void> }>}
 */
export async function startEmulator(options, { execArgv = [] } = {}) {
  const proc = spawnNode(EMULATOR_SCRIPT, [JSON.stringify(options)], { execArgv });
  const lines = createInterface({ input: proc.child.stdout });
  const waiting = [];
  let failure;
  lines.on('line', (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      return; // not ours
    }
    waiting.shift()?.resolve(message);
  });
  proc.exited.then(({ code, signal }) => {
    failure = new Error(`emulator process exited (code ${code}, signal ${signal})\n${proc.stderr()}`);
    for (const pending of waiting.splice(0)) pending.reject(failure);
  });
  const next = () =>
    new Promise((resolve, reject) => {
      if (failure) reject(failure);
      else waiting.push({ resolve, reject });
    });
  const command = async (name) => {
    const answer = next();
    proc.child.stdin.write(`${name}\n`);
    return answer;
  };

  const { url } = await withTimeout(next(), 15_000, 'emulator did not report its URL');
  return {
    url,
    stats: async () => (await command('stats')).stats,
    memory: async () => (await command('memory')).memory,
    reset: async () => {
      await command('reset');
    },
    close: async () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      proc.child.stdin.end(); // the child closes the server and exits
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs one client of a scenario once, in its own process, and returns what it reported.
 * EXPO_BASE_URL is set for every client child: expo-server-sdk reads it at import.
 */
export async function runClientOnce({ scenarioFile, client, context, timeoutMs }) {
  const proc = spawnNode(CLIENT_SCRIPT, [scenarioFile, client, JSON.stringify(context)], {
    env: { EXPO_BASE_URL: context.url },
  });
  let stdout = '';
  proc.child.stdout.setEncoding('utf8');
  proc.child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.child.kill('SIGKILL');
  }, timeoutMs);
  const { code, signal } = await proc.exited;
  clearTimeout(timer);
  proc.child.stdin.destroy();
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (code !== 0 || !line) {
    const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with code ${code}, signal ${signal}`;
    throw new Error(`${client} run ${why}\n${proc.stderr()}`);
  }
  return JSON.parse(line.slice(RESULT_MARKER.length));
}

/**
 * How many runs per client a scenario gets: `--runs` when given, else the scenario's own
 * `runs({ quick })` when it has one (a long scenario runs fewer times), else the harness default.
 */
export function runsFor(scenario, { quick, runsOption, defaultRuns }) {
  return runsOption ?? scenario.runs?.({ quick }) ?? defaultRuns;
}

/**
 * Runs every client of `scenario` `runs` times against one emulator process, alternating which
 * client goes first in each round so slow drifts of a noisy machine hit both alike. The emulator
 * is reset before every client run (fresh counters, full rate-limit bucket). After each run the
 * emulator's memory (RSS, heap) is read too, before the reset drops its receipts.
 */
export async function runScenario({ scenario, scenarioFile, quick, runs, log }) {
  const config = scenario.config({ quick });
  const clientNames = Object.keys(scenario.clients);
  const server = await startEmulator(scenario.emulatorOptions(config), { execArgv: scenario.emulatorExecArgv?.(config) ?? [] });
  const results = Object.fromEntries(clientNames.map((name) => [name, []]));
  try {
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? clientNames : [...clientNames].reverse();
      for (const client of order) {
        await server.reset();
        const result = await runClientOnce({
          scenarioFile,
          client,
          context: { url: server.url, config },
          timeoutMs: scenario.timeoutMs(config),
        });
        const stats = await server.stats();
        result.rateLimited = stats.rateLimited;
        result.sendRequests = stats.sendRequests;
        result.serverAccepted = stats.recipientsAccepted;
        const memory = await server.memory();
        result.emulatorRssMb = memory.rssMb;
        result.emulatorHeapMb = memory.heapUsedMb;
        result.emulatorHeapLimitMb = memory.heapLimitMb;
        result.emulatorMaxRssMb = memory.maxRssMb;
        if (stats.recipientsAccepted !== result.ok) {
          log(`  warning: ${client} counted ${result.ok} ok tickets but the emulator accepted ${stats.recipientsAccepted}`);
        }
        results[client].push(result);
        log(
          `  ${scenario.title} · ${client} · run ${round + 1}/${runs}: ${(result.wallMs / 1000).toFixed(2)} s, ` +
            `lost ${result.lost}, 429s ${result.rateLimited}, cpu ${(result.cpuMs / 1000).toFixed(2)} s, rss ${result.maxRssMb.toFixed(0)} MB` +
            ` (emulator: heap ${result.emulatorHeapMb.toFixed(0)} of ${result.emulatorHeapLimitMb.toFixed(0)} MB, rss ${result.emulatorRssMb.toFixed(0)} MB)`,
        );
      }
    }
  } finally {
    await server.close();
  }
  return { scenario, config, results };
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

