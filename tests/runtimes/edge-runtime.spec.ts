import { EdgeRuntime } from 'edge-runtime';
import { describe, expect, it } from 'vitest';
import { bundle, configFor, expectRun, startEmulator } from './harness.ts';

describe('Vercel Edge (the edge-runtime VM)', () => {
  it('sends uncompressed bodies, validates and fetches receipts without CompressionStream and AbortSignal.any', async () => {
    const initialCode = await bundle('edge.mjs', { format: 'iife', conditions: ['edge-light', 'worker', 'browser'] });
    const runtime = new EdgeRuntime({ initialCode });
    expect(runtime.evaluate('[typeof process, typeof require, typeof CompressionStream, typeof AbortSignal.any]')).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
    const server = await startEmulator();
    try {
      const json = await runtime.evaluate<Promise<string>>(`runtimeCheck(${JSON.stringify(configFor(server))}).then(JSON.stringify)`);
      expectRun(JSON.parse(json), server, { gzip: false, abortSignalAny: false });
    } finally {
      await server.close();
    }
  });
});
