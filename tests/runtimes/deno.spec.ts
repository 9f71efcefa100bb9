import { describe, expect, it } from 'vitest';
import { bin, configFor, expectRun, installedVersion, lastJsonLine, run, startEmulator } from './harness.ts';

describe('Deno (the deno npm package)', () => {
  it('sends, validates and fetches receipts with --allow-net=127.0.0.1 as its only permission', async () => {
    const server = await startEmulator();
    try {
      // --cached-only and an unreachable registry: the package must come from node_modules.
      const { stdout } = await run(
        bin('deno'),
        ['run', '--no-prompt', '--no-lock', '--cached-only', '--allow-net=127.0.0.1', 'deno.mjs', JSON.stringify(configFor(server))],
        { NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/' },
      );
      const summary = lastJsonLine(stdout);
      expect(summary).toMatchObject({ runtime: { name: 'deno', version: installedVersion('deno') } });
      expectRun(summary, server, { gzip: true, abortSignalAny: true });
    } finally {
      await server.close();
    }
  });
});
