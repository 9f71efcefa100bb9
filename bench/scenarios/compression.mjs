// Compression: what gzipping request bodies costs and saves. The throughput scenario's messages,
// split into realistic 100-recipient request bodies (the JSON both SDKs post), are gzipped one at a
// time, two ways:
//   - CompressionStream('gzip') through a Blob stream, exactly as expo-push-edge does it
//     (src/gzip-body.ts), awaited request by request;
//   - node:zlib gzipSync(Buffer.from(json)), as expo-server-sdk 6.1.0 does it.
// Reported per request: CPU (process.cpuUsage(), user + system, all threads: zlib work on the libuv
// pool counts too), wall time, and the bytes before and after. It runs in its own child process
// (this file, executed directly), once per run; values are medians over the runs.
// When the throughput scenario ran in the same bench run, the gzip CPU per request is also put
// against each SDK's CPU per request there: the share of its throughput CPU that gzip explains.

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildMessages } from '../lib/messages.mjs';
import { chunkBodies } from '../lib/senders.mjs';
import { median } from '../lib/table.mjs';

export const name = 'compression';
export const title = 'Compression';

const SELF = fileURLToPath(import.meta.url);
const RECIPIENTS = { quick: 10_000, full: 100_000 };

export function runs({ quick }) {
  return quick ? 2 : 5;
}

async function compressionStreamGzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** In the child: gzip every body both ways, report per-request figures. */
async function child(recipients) {
  const encoder = new TextEncoder();
  const bodies = chunkBodies(buildMessages(recipients).messages).map((b) => encoder.encode(b.json));
  const raw = bodies.reduce((sum, b) => sum + b.byteLength, 0);
  // Warm both paths up (JIT, zlib init), not counted.
  for (const b of bodies.slice(0, 20)) {
    await compressionStreamGzip(b);
    gzipSync(Buffer.from(b));
  }
  const time = async (fn) => {
    let bytes = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const b of bodies) bytes += (await fn(b)).byteLength;
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000 / bodies.length, wallMs: wallMs / bodies.length, bytes: bytes / bodies.length };
  };
  const stream = await time(compressionStreamGzip);
  const zlib = await time(async (b) => gzipSync(Buffer.from(b)));
  process.stdout.write(JSON.stringify({ requests: bodies.length, rawBytes: raw / bodies.length, stream, zlib }));
}

if (process.argv[1] === SELF) await child(Number(process.argv[2]));

function runChild(recipients) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SELF, String(recipients)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    proc.once('error', reject);
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`compression child exited with ${code}\n${err}`))));
  });
}

export async function measure({ quick, runs: count, log, previous }) {
  const recipients = quick ? RECIPIENTS.quick : RECIPIENTS.full;
  const all = [];
  for (let i = 0; i < count; i++) all.push(await runChild(recipients));
  const med = (pick) => median(all.map(pick));
  const raw = all[0].rawBytes;
  const requests = all[0].requests;
  const throughput = previous.find((r) => r.scenario.name === 'throughput');
  const perRequestCpu = (client) => {
    if (!throughput) return undefined;
    const cpu = median(throughput.results[client].map((r) => r.cpuMs));
    return cpu / (throughput.config.recipients / 100);
  };
  const rows = [{ client: '(request body)', metric: 'JSON, per 100-recipient request', value: raw / 1000, unit: 'kB', digits: 2, runs: 1 }];
  for (const [client, how, key] of [
    ['expo-push-edge', 'CompressionStream gzip', 'stream'],
    ['expo-server-sdk', 'zlib gzipSync', 'zlib'],
  ]) {
    const cpu = med((r) => r[key].cpuMs);
    const wall = med((r) => r[key].wallMs);
    const bytes = med((r) => r[key].bytes);
    log(`  ${title} · ${how}: ${cpu.toFixed(3)} ms CPU, ${wall.toFixed(3)} ms wall per request, ${raw.toFixed(0)} → ${bytes.toFixed(0)} B`);
    const zlibCpu = med((r) => r.zlib.cpuMs);
    rows.push({
      client,
      metric: `${how}: CPU per request`,
      value: cpu,
      unit: 'ms',
      digits: 3,
      against: key === 'stream' ? { label: 'gzipSync', value: zlibCpu } : undefined,
    });
    rows.push({ client, metric: `${how}: wall per request`, value: wall, unit: 'ms', digits: 3 });
    rows.push({
      client,
      metric: `${how}: bytes saved per request`,
      value: (raw - bytes) / 1000,
      unit: 'kB',
      digits: 2,
      goal: `${((1 - bytes / raw) * 100).toFixed(0)} % smaller (${(bytes / 1000).toFixed(2)} kB sent)`,
    });
    const total = perRequestCpu(client);
    if (total !== undefined) {
      rows.push({
        client,
        metric: `share of its throughput CPU per request (${total.toFixed(3)} ms) that gzip explains`,
        value: `${((cpu / total) * 100).toFixed(0)} %`,
      });
    }
  }
  if (throughput) {
    // How much of the CPU gap between the SDKs gzip explains.
    const gap = perRequestCpu('expo-push-edge') - perRequestCpu('expo-server-sdk');
    const gzipGap = med((r) => r.stream.cpuMs) - med((r) => r.zlib.cpuMs);
    rows.push({
      client: 'expo-push-edge − expo-server-sdk',
      metric: `CPU gap per request in throughput (${gap.toFixed(3)} ms) explained by CompressionStream vs gzipSync`,
      value: gap > 0 ? `${((gzipGap / gap) * 100).toFixed(0)} %` : 'no gap',
    });
  }
  return {
    rows,
    details: `${title}: ${requests} request bodies of 100 recipients (${recipients.toLocaleString('en-US')} recipients) per run, gzipped one after another in a child process.`,
  };
}
