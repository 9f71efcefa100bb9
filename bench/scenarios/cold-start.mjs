// Cold start: a fresh Node process that imports the package and constructs a client, then exits,
// against a bare Node process that does nothing. Every variant is the same ES module program shape
// (`node --input-type=module -e …`), and each one reports, as it exits, its own peak RSS
// (process.resourceUsage().maxRSS) and its own CPU (process.cpuUsage(), user + system since start).
// The wall time is measured by the harness from spawn to exit. Variants take turns, order flipping
// each round, like the client runs of the other scenarios.
//
// Goal (issue 7): expo-push-edge within 1.15× of bare Node (the official SDK is about 2.5×).

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { verdict } from '../lib/figures.mjs';
import { median } from '../lib/table.mjs';

export const name = 'cold-start';
export const title = 'Cold start';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORT =
  "process.on('exit',()=>{const c=process.cpuUsage();process.stdout.write(JSON.stringify({maxRssKb:process.resourceUsage().maxRSS,cpuMs:(c.user+c.system)/1000}))});";

const VARIANTS = {
  'bare node (nothing imported)': REPORT,
  'expo-push-edge': `${REPORT}const { PushClient } = await import('expo-push-edge'); new PushClient();`,
  'expo-server-sdk': `${REPORT}const { Expo } = await import('expo-server-sdk'); new Expo();`,
};

export function runs({ quick }) {
  return quick ? 3 : 15;
}

function once(code) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', (status) => {
      const wallMs = performance.now() - started;
      if (status !== 0) return reject(new Error(`cold-start child exited with ${status}\n${err}`));
      const { maxRssKb, cpuMs } = JSON.parse(out);
      resolve({ wallMs, cpuMs, maxRssMb: maxRssKb / 1024 });
    });
  });
}

export async function measure({ runs: count, log }) {
  const names = Object.keys(VARIANTS);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await once(VARIANTS[n]); // warm the file cache, not counted
  for (let round = 0; round < count; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const n of order) results[n].push(await once(VARIANTS[n]));
  }
  const med = (n, key) => median(results[n].map((r) => r[key]));
  const bare = names[0];
  const rows = [];
  for (const n of names) {
    const wall = med(n, 'wallMs');
    const ratio = wall / med(bare, 'wallMs');
    log(`  ${title} · ${n}: ${wall.toFixed(1)} ms (${ratio.toFixed(2)}× bare), rss ${med(n, 'maxRssMb').toFixed(1)} MB`);
    const isBare = n === bare;
    const against = isBare ? undefined : { label: 'bare', value: med(bare, 'wallMs') };
    rows.push({
      client: n,
      metric: 'wall time to import + construct + exit',
      value: wall,
      unit: 'ms',
      digits: 1,
      against,
      goal: n === 'expo-push-edge' ? `≤ 1.15× bare: ${verdict(ratio <= 1.15)}` : undefined,
    });
    rows.push({ client: n, metric: 'CPU (user + sys)', value: med(n, 'cpuMs'), unit: 'ms', digits: 1, against: isBare ? undefined : { label: 'bare', value: med(bare, 'cpuMs') } });
    rows.push({ client: n, metric: 'peak RSS', value: med(n, 'maxRssMb'), unit: 'MB', digits: 1, against: isBare ? undefined : { label: 'bare', value: med(bare, 'maxRssMb') } });
  }
  return { rows };
}
