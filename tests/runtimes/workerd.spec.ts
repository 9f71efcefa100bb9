import { Miniflare } from 'miniflare';
import { describe, expect, it } from 'vitest';
import { bundle, COMPATIBILITY_DATE, configFor, expectRun, startEmulator } from './harness.ts';

describe('Cloudflare Workers (workerd through miniflare, without nodejs_compat)', () => {
  it('sends, validates and fetches receipts with the Worker’s global fetch', async () => {
    const script = await bundle('worker.mjs', { format: 'esm', conditions: ['workerd', 'worker', 'browser'] });
    const server = await startEmulator();
    const mf = new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: [] });
    try {
      const response = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify(configFor(server)) });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expectRun(JSON.parse(text), server, { gzip: true, abortSignalAny: true });
    } finally {
      await mf.dispose();
      await server.close();
    }
  });
});
