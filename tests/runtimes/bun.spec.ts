import { describe, expect, it } from 'vitest';
import { bin, configFor, expectRun, installedVersion, lastJsonLine, run, startEmulator } from './harness.ts';

describe('Bun (the bun npm package)', () => {
  it('sends, validates and fetches receipts', async () => {
    const server = await startEmulator();
    try {
      const { stdout } = await run(bin('bun'), ['--no-install', 'bun.mjs', JSON.stringify(configFor(server))]);
      const summary = lastJsonLine(stdout);
      expect(summary).toMatchObject({ runtime: { name: 'bun', version: installedVersion('bun') } });
      expectRun(summary, server, { gzip: true, abortSignalAny: true });
    } finally {
      await server.close();
    }
  });
});
