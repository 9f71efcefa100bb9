import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import { Miniflare } from 'miniflare';
import { describe, expect, it } from 'vitest';
import type { EmulatorServer } from '../../src/cli/node-entry.ts';
import { ACCESS_TOKEN, UNREGISTERED_TOKEN } from './consumer/batch.mjs';
import { bin, bundle, COMPATIBILITY_DATE, installedVersion, lastJsonLine, root, run, startEmulator } from './harness.ts';

// Every example in examples/ runs here, copied into the scratch consumer (so `expo-push-edge` is
// the packed tarball), against the emulator on loopback. They read the emulator's URL from
// EXPO_PUSH_BASE_URL, which is unset in production.

const TOKENS = ['ExponentPushToken[example-a]', UNREGISTERED_TOKEN, 'ExponentPushToken[example-b]'];

async function withEmulator<T>(body: (server: EmulatorServer, env: Record<string, string>) => Promise<T>): Promise<T> {
  const server = await startEmulator();
  try {
    return await body(server, { EXPO_ACCESS_TOKEN: ACCESS_TOKEN, EXPO_PUSH_BASE_URL: server.url });
  } finally {
    await server.close();
  }
}

/** What every command-line example prints for TOKENS: the counts, then the token to remove. */
function expectScriptOutput(stdout: string, server: EmulatorServer): void {
  expect(stdout.trim().split('\n')[0]).toBe('2 of 3 accepted');
  expect(lastJsonLine(stdout)).toEqual({ receipts: 2, tokensToRemove: [UNREGISTERED_TOKEN] });
  expect(server.emulator.notifications.map((n) => n.token)).toEqual([TOKENS[0], TOKENS[2]]);
  expect(server.emulator.requests.map((r) => [r.endpoint, r.status, r.headers.authorization])).toEqual([
    ['send', 200, `Bearer ${ACCESS_TOKEN}`],
    ['receipts', 200, `Bearer ${ACCESS_TOKEN}`],
  ]);
}

describe('examples/', () => {
  it.concurrent.each([['node-esm/send.mjs'], ['node-cjs/send.cjs']])('node examples/%s', async (file) => {
    await withEmulator(async (server, env) => {
      const { stdout } = await run(process.execPath, [join('examples', file), ...TOKENS], env);
      expectScriptOutput(stdout, server);
    });
  });

  it.concurrent('deno run examples/deno/send.ts (and it passes deno check)', async () => {
    await run(bin('deno'), ['check', '--no-lock', '--cached-only', 'examples/deno/send.ts'], { NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/' });
    await withEmulator(async (server, env) => {
      const { stdout } = await run(
        bin('deno'),
        [
          'run',
          '--no-prompt',
          '--no-lock',
          '--cached-only',
          '--allow-net=127.0.0.1',
          '--allow-env=EXPO_ACCESS_TOKEN,EXPO_PUSH_BASE_URL',
          'examples/deno/send.ts',
          ...TOKENS,
        ],
        { ...env, NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/' },
      );
      expectScriptOutput(stdout, server);
    });
  });

  it.concurrent('bun examples/bun/send.ts', async () => {
    await withEmulator(async (server, env) => {
      const { stdout } = await run(bin('bun'), ['--no-install', 'examples/bun/send.ts', ...TOKENS], env);
      expectScriptOutput(stdout, server);
    });
  });

  it.concurrent('examples/cloudflare-worker/worker.js in workerd, the access token from a binding', async () => {
    const script = await bundle('examples/cloudflare-worker/worker.js', { format: 'esm', conditions: ['workerd', 'worker', 'browser'] });
    await withEmulator(async (server, env) => {
      const worker = (name: string, token: string) => ({
        name,
        modules: true,
        script,
        compatibilityDate: COMPATIBILITY_DATE,
        bindings: { ...env, EXPO_ACCESS_TOKEN: token },
      });
      const mf = new Miniflare({ workers: [worker('right', ACCESS_TOKEN), worker('wrong', 'revoked-token')] });
      try {
        const post = { method: 'POST', body: JSON.stringify({ tokens: TOKENS, title: 'Hi', body: 'From a Worker' }) };
        const ok = await mf.dispatchFetch('http://worker.test/', post);
        expect(ok.status).toBe(200);
        const { tickets } = (await ok.json()) as { tickets: Array<{ status: string; token: string; details?: { error?: string } }> };
        expect(tickets.map((t) => [t.token, t.status, t.details?.error])).toEqual([
          [TOKENS[0], 'ok', undefined],
          [UNREGISTERED_TOKEN, 'error', 'DeviceNotRegistered'],
          [TOKENS[2], 'ok', undefined],
        ]);
        // A wrong secret: the service refuses it, the Worker answers 502 with the failed tokens.
        const wrong = (await mf.getWorker('wrong')) as unknown as { fetch: (url: string, init: RequestInit) => Promise<Response> };
        const refused = await wrong.fetch('http://worker.test/', post);
        expect(refused.status).toBe(502);
        expect(await refused.json()).toEqual({ tickets: [], failed: TOKENS });
        expect(server.emulator.requests.map((r) => [r.status, r.headers.authorization])).toEqual([
          [200, `Bearer ${ACCESS_TOKEN}`],
          [401, 'Bearer revoked-token'],
        ]);
      } finally {
        await mf.dispose();
      }
    });
  });

  it.concurrent('examples/nextjs-edge/route.ts in the edge-runtime VM', async () => {
    const initialCode = await bundle('examples/nextjs-edge/route.ts', {
      format: 'iife',
      globalName: 'route',
      conditions: ['edge-light', 'worker', 'browser'],
    });
    await withEmulator(async (server, env) => {
      // Next.js gives edge routes a process.env holding the project's variables; the VM itself has
      // no process, so the test adds just that.
      const runtime = new EdgeRuntime({
        initialCode,
        extend: (context) => Object.assign(context, { process: { env } }),
      });
      const request = `new Request('http://localhost/api/notify', { method: 'POST', body: ${JSON.stringify(JSON.stringify({ tokens: TOKENS, title: 'Hi', body: 'From the edge' }))} })`;
      const answer = await runtime.evaluate<Promise<string>>(
        `route.POST(${request}).then(async (r) => JSON.stringify({ runtime: route.runtime, status: r.status, body: await r.json() }))`,
      );
      const { runtime: declared, status, body } = JSON.parse(answer) as { runtime: string; status: number; body: { tickets: Array<{ token: string; status: string }> } };
      expect(declared).toBe('edge');
      expect(status).toBe(200);
      expect(body.tickets.map((t) => [t.token, t.status])).toEqual([
        [TOKENS[0], 'ok'],
        [UNREGISTERED_TOKEN, 'error'],
        [TOKENS[2], 'ok'],
      ]);
      expect(server.emulator.requests.map((r) => [r.endpoint, r.status, r.gzip])).toEqual([['send', 200, false]]);
    });
  });

  it('are the README quick starts, verbatim', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const file of [
      'node-esm/send.mjs',
      'node-cjs/send.cjs',
      'cloudflare-worker/worker.js',
      'deno/send.ts',
      'bun/send.ts',
      'nextjs-edge/route.ts',
    ]) {
      const source = readFileSync(join(root, 'examples', file), 'utf8').trimEnd();
      expect(readme.includes(`\`examples/${file}\``), `README names examples/${file}`).toBe(true);
      expect(readme.includes(`\n${source}\n\`\`\``), `README shows examples/${file} verbatim in a code block`).toBe(true);
    }
  });

  it('the README compatibility table names the exact versions installed from the lockfile', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Runtime compatibility'), readme.indexOf('### Size'));
    const row = (runtime: string) => table.split('\n').find((line) => line.startsWith(`| ${runtime} |`)) ?? '';
    expect(row('Deno')).toContain(`| ${installedVersion('deno')} (npm package \`deno\`) |`);
    expect(row('Bun')).toContain(`| ${installedVersion('bun')} (npm package \`bun\`) |`);
    expect(row('Cloudflare Workers')).toContain(`workerd ${installedVersion('workerd')} through miniflare ${installedVersion('miniflare')}`);
    expect(row('Cloudflare Workers')).toContain(`compatibility date ${COMPATIBILITY_DATE}`);
    expect(row('Vercel Edge')).toContain(`edge-runtime ${installedVersion('edge-runtime')} (\`@edge-runtime/vm\` ${installedVersion('@edge-runtime/vm')})`);
    expect(row('TypeScript consumers')).toContain(`TypeScript ${installedVersion('typescript')}`);
    // Node comes from the machine, not the lockfile: the row names the CI machine's version.
    expect(row('Node')).toMatch(/^\| Node \| \d+\.\d+\.\d+ \|/);
  });
});
