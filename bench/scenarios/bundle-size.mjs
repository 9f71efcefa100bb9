// Bundle size: a one-send program (create a client, send one message) bundled with esbuild, all
// dependencies included, minified, ESM; its gzip (level 9) and brotli (quality 11) sizes. Once for a
// neutral platform (what an edge runtime such as Cloudflare Workers or Vercel Edge gets) and once
// for Node. Deterministic, so measured once. The logic is that of tests/runtimes/size-compare.mjs
// (`npm run size:compare`). expo-server-sdk does not bundle for a neutral platform at all (it needs
// Node built-ins); its first error is reported instead of a size.
//
// Goal (issue 7): expo-push-edge at most 6 kB brotli for the edge (neutral) bundle.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSizes } from '../lib/bundle.mjs';
import { verdict } from '../lib/figures.mjs';

export const name = 'bundle-size';
export const title = 'Bundle size';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OWN = `import { PushClient } from '${join(ROOT, 'dist/index.js')}';\nawait new PushClient().publish({ to: 'ExponentPushToken[a]', body: 'hi' });`;
const SDK = "import Expo from 'expo-server-sdk';\nawait new Expo().sendPushNotificationsAsync([{ to: 'ExponentPushToken[a]', body: 'hi' }]);";

export function runs() {
  return 1;
}

async function bundle(platform, contents) {
  const size = await bundleSizes(platform, contents, ROOT);
  // The message goes into a Markdown table cell.
  return size.error ? { error: `fails: ${size.error.replaceAll('|', '\\|')}` } : size;
}

export async function measure({ log }) {
  const esbuildVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version;
  const rows = [];
  const sizes = {};
  for (const platform of ['neutral', 'node']) {
    for (const [client, program] of [
      ['expo-push-edge', OWN],
      ['expo-server-sdk', SDK],
    ]) {
      const size = await bundle(platform, program);
      sizes[`${client}/${platform}`] = size;
      const where = platform === 'neutral' ? 'edge (esbuild --platform=neutral)' : 'Node (esbuild --platform=node)';
      log(`  ${title} · ${client} · ${platform}: ${size.error ?? `${size.minified} B min, ${size.gzip} B gz, ${size.brotli} B br`}`);
      if (size.error) {
        rows.push({ client, metric: `${where}: bundle`, value: size.error });
        continue;
      }
      const official = sizes[`expo-server-sdk/${platform}`];
      const against = (key) => (client === 'expo-push-edge' && official && !official.error ? { label: 'official', value: official[key] / 1000 } : undefined);
      rows.push({ client, metric: `${where}: minified`, value: size.minified / 1000, unit: 'kB', digits: 2, against: against('minified') });
      rows.push({ client, metric: `${where}: gzip`, value: size.gzip / 1000, unit: 'kB', digits: 2, against: against('gzip') });
      rows.push({
        client,
        metric: `${where}: brotli`,
        value: size.brotli / 1000,
        unit: 'kB',
        digits: 2,
        against: against('brotli'),
        goal: client === 'expo-push-edge' && platform === 'neutral' ? `≤ 6 kB: ${verdict(size.brotli <= 6000)}` : undefined,
      });
    }
  }
  // The official SDK measured after ours on each platform: fill in ratios against it afterwards.
  for (const row of rows) {
    if (row.client !== 'expo-push-edge' || row.against) continue;
    const platform = row.metric.startsWith('edge') ? 'neutral' : 'node';
    const key = row.metric.split(': ').at(-1);
    const official = sizes[`expo-server-sdk/${platform}`];
    if (official && !official.error && key in official) row.against = { label: 'official', value: official[key] / 1000 };
  }
  return { rows, details: `Bundled with esbuild ${esbuildVersion}; kB = 1,000 bytes; gzip level 9, brotli quality 11.` };
}
