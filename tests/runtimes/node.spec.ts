import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configFor, consumerDir, expectRun, lastJsonLine, root, run, startEmulator, version } from './harness.ts';

describe('Node: the packed tarball installed into a scratch consumer', () => {
  it.concurrent.each([
    ['ESM import', 'node-esm.mjs'],
    ['CJS require', 'node-cjs.cjs'],
  ])('sends, validates and fetches receipts through %s', async (_kind, entry) => {
    const server = await startEmulator();
    try {
      const { stdout } = await run(process.execPath, [entry, JSON.stringify(configFor(server))]);
      const summary = lastJsonLine(stdout);
      expect(summary).toMatchObject({ runtime: { version: process.versions.node } });
      expectRun(summary, server, { gzip: true, abortSignalAny: true });
    } finally {
      await server.close();
    }
  });

  it('exposes the same names through import and require, and every entry point loads both ways', async () => {
    const probe = (load: string) =>
      `${load}\nconsole.log(JSON.stringify({ core: Object.keys(core).sort(), emulator: typeof emulator.createPushEmulator, node: typeof node.serveEmulator, version: core.SDK_VERSION }));`;
    const esm = probe(
      "import * as core from 'expo-push-edge'; import * as emulator from 'expo-push-edge/emulator'; import * as node from 'expo-push-edge/node';",
    );
    const cjs = probe(
      "const core = require('expo-push-edge'), emulator = require('expo-push-edge/emulator'), node = require('expo-push-edge/node');",
    );
    const fromEsm = lastJsonLine((await run(process.execPath, ['--input-type=module', '-e', esm])).stdout);
    const fromCjs = lastJsonLine((await run(process.execPath, ['--input-type=commonjs', '-e', cjs])).stdout);
    expect(fromEsm).toEqual(fromCjs);
    expect(fromEsm).toMatchObject({ emulator: 'function', node: 'function', version });
    expect((fromEsm as { core: string[] }).core).toEqual(
      expect.arrayContaining([
        'PushClient',
        'PushError',
        'PushServerError',
        'PushRateLimitError',
        'PushNetworkError',
        'PushTimeoutError',
        'PushBatchError',
        'PushValidationError',
        'PushTicketError',
        'DeviceNotRegisteredError',
        'MessageTooBigError',
        'MessageRateExceededError',
        'InvalidCredentialsError',
        'PushTicket',
        'PushReceipt',
        'isExpoPushToken',
        'SDK_VERSION',
      ]),
    );
  });

  it('shares one copy of each class between the core and expo-push-edge/cloudflare, through import and require', async () => {
    // The producer refuses an invalid message with the core's PushValidationError, not a copy of it.
    const probe = (load: string) => `${load}
const queue = { sendBatch: async () => { throw new Error('nothing may be enqueued'); } };
enqueuePushMessages(queue, [{ to: 'not a token' }]).then(
  () => console.log(JSON.stringify({ rejected: false })),
  (error) => console.log(JSON.stringify({ rejected: true, sameClass: error instanceof PushValidationError, name: error.name })),
);`;
    const esm = probe("import { PushValidationError } from 'expo-push-edge'; import { enqueuePushMessages } from 'expo-push-edge/cloudflare';");
    const cjs = probe("const { PushValidationError } = require('expo-push-edge'); const { enqueuePushMessages } = require('expo-push-edge/cloudflare');");
    const expected = { rejected: true, sameClass: true, name: 'PushValidationError' };
    expect(lastJsonLine((await run(process.execPath, ['--input-type=module', '-e', esm])).stdout)).toEqual(expected);
    expect(lastJsonLine((await run(process.execPath, ['--input-type=commonjs', '-e', cjs])).stdout)).toEqual(expected);
  });
});

/** The consumer programs: the same checks written as an ES module and as a CommonJS module. */
const ESM_CONSUMER = `
import { DeviceNotRegisteredError, PushClient, PushServerError, isExpoPushToken, type PushReceipt, type PushTicket } from 'expo-push-edge';
import { createPushEmulator } from 'expo-push-edge/emulator';
import { serveEmulator, type EmulatorServer } from 'expo-push-edge/node';

export const serve: () => Promise<EmulatorServer> = () => serveEmulator(createPushEmulator());
const client = new PushClient({ baseUrl: 'http://127.0.0.1:1', concurrency: 2, gzipThreshold: false });
export async function main(): Promise<string> {
  const tickets: PushTicket[] = await client.publishMultiple([{ to: ['ExponentPushToken[a]'], priority: 'high' }]);
  const receipts: PushReceipt[] = await client.checkReceipts(tickets);
  // @ts-expect-error priority is a closed set
  await client.publish({ to: 'ExponentPushToken[a]', priority: 'urgent' });
  // @ts-expect-error to is required
  await client.publish({ body: 'no recipient' });
  try {
    tickets[0]?.validateResponse();
  } catch (error) {
    if (error instanceof DeviceNotRegisteredError) return error.pushResponse.status;
    if (error instanceof PushServerError) return String(error.status);
  }
  return \`\${isExpoPushToken(tickets[0]?.token)} \${receipts.length}\`;
}
`;

const CJS_CONSUMER = `
import sdk = require('expo-push-edge');
import emulatorEntry = require('expo-push-edge/emulator');
import nodeEntry = require('expo-push-edge/node');

export const serve: () => Promise<nodeEntry.EmulatorServer> = () => nodeEntry.serveEmulator(emulatorEntry.createPushEmulator());
const client = new sdk.PushClient({ baseUrl: 'http://127.0.0.1:1', concurrency: 2, gzipThreshold: false });
export async function main(): Promise<string> {
  const tickets: sdk.PushTicket[] = await client.publishMultiple([{ to: ['ExponentPushToken[a]'], priority: 'high' }]);
  const receipts: sdk.PushReceipt[] = await client.checkReceipts(tickets);
  // @ts-expect-error priority is a closed set
  await client.publish({ to: 'ExponentPushToken[a]', priority: 'urgent' });
  // @ts-expect-error to is required
  await client.publish({ body: 'no recipient' });
  try {
    tickets[0]?.validateResponse();
  } catch (error) {
    if (error instanceof sdk.DeviceNotRegisteredError) return error.pushResponse.status;
    if (error instanceof sdk.PushServerError) return String(error.status);
  }
  return \`\${sdk.isExpoPushToken(tickets[0]?.token)} \${receipts.length}\`;
}
`;

/**
 * Type-checks `source` as `file` in a fresh folder of the scratch consumer with the project's own
 * tsc; resolves with the diagnostics ('' when clean) and the package's declaration files tsc read.
 */
async function typeCheck(module: string, moduleResolution: string, file: string, source: string) {
  const dir = mkdtempSync(join(consumerDir(), 'ts-'));
  symlinkSync(join(consumerDir(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true }));
  // skipDefaultLibCheck skips checking lib.dom.d.ts and friends (seconds per run); the package's own
  // declaration files are still checked.
  const compilerOptions = { module, moduleResolution, target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, types: [], skipDefaultLibCheck: true };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [file] }));
  writeFileSync(join(dir, file), source);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  let output: string;
  try {
    output = (await promisify(execFile)(process.execPath, [tsc, '-p', '.', '--listFiles'], { cwd: dir, encoding: 'utf8' })).stdout;
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  const lines = output.trim().split('\n');
  const declarations = lines.filter((line) => line.includes('/node_modules/expo-push-edge/')).map((line) => line.replace(/.*\/node_modules\/expo-push-edge\//, '').replace(/\/client-options-[\w-]+\./, '/client-options-*.'));
  return { errors: lines.filter((line) => /error TS\d+/.test(line)).join('\n'), declarations: declarations.sort() };
}

describe('TypeScript consumers of the packed tarball', () => {
  // client-options-*.d.ts holds the declarations the core and expo-push-edge/cloudflare share.
  const esmTypes = ['dist/client-options-*.d.ts', 'dist/emulator.d.ts', 'dist/index.d.ts', 'dist/node.d.ts'];
  const cjsTypes = ['dist/client-options-*.d.cts', 'dist/emulator.d.cts', 'dist/index.d.cts', 'dist/node.d.cts'];
  it.concurrent.each([
    ['node16', 'node16', 'ESM import', 'index.mts', ESM_CONSUMER, esmTypes],
    ['node16', 'node16', 'CJS require', 'index.cts', CJS_CONSUMER, cjsTypes],
    ['nodenext', 'nodenext', 'ESM import', 'index.mts', ESM_CONSUMER, esmTypes],
    ['nodenext', 'nodenext', 'CJS require', 'index.cts', CJS_CONSUMER, cjsTypes],
    ['preserve', 'bundler', 'ESM import', 'index.ts', ESM_CONSUMER, esmTypes],
    ['preserve', 'bundler', 'CJS require', 'index.cts', CJS_CONSUMER, cjsTypes],
  ])('module %s, moduleResolution %s: %s (%s) type-checks against the right declarations', async (module, resolution, _kind, file, source, types) => {
    expect(await typeCheck(module, resolution, file, source)).toEqual({ errors: '', declarations: types });
  });

  it.concurrent('fails when the types are wrong, so the checks above can fail', async () => {
    const result = await typeCheck('nodenext', 'nodenext', 'index.mts', "import { PushClient } from 'expo-push-edge';\nconst n: number = new PushClient();\n");
    expect(result.errors).toBe("index.mts(2,7): error TS2322: Type 'PushClient' is not assignable to type 'number'.");
  });
});
