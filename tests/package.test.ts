import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// These tests exercise the built package (`npm test` builds it first), resolved by its own name
// through the exports map, the way a consumer's Node and TypeScript see it.
const root = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const scratch = mkdtempSync(join(tmpdir(), 'expo-push-edge-consumer-'));
mkdirSync(join(scratch, 'node_modules'));
symlinkSync(root, join(scratch, 'node_modules', 'expo-push-edge'), 'dir');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the project's own tsc on a consumer folder; resolves with its diagnostics ('' when clean). */
async function typeCheck(dir: string): Promise<string> {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', '.'], { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

const EXPECTED_EXPORTS = [
  'DeviceNotRegisteredError',
  'InvalidCredentialsError',
  'MAX_RECEIPT_IDS_PER_REQUEST',
  'MAX_RECIPIENTS_PER_REQUEST',
  'MessageRateExceededError',
  'MessageTooBigError',
  'PushBatchError',
  'PushClient',
  'PushError',
  'PushNetworkError',
  'PushRateLimitError',
  'PushReceipt',
  'PushResult',
  'PushServerError',
  'PushTicket',
  'PushTicketError',
  'PushTimeoutError',
  'PushValidationError',
  'SDK_VERSION',
  'createDeliveryReport',
  'defaultShouldRetry',
  'isExpoPushToken',
];

/** Sends to the in-process emulator and prints what a consumer would check. */
const program = (load: string) => `
${load}
const emulator = createPushEmulator({ unregisteredTokens: ['ExponentPushToken[gone]'] });
const client = new PushClient({ fetch: emulator.fetch });
(async () => {
  const tickets = await client.publishMultiple([
    { to: ['ExponentPushToken[a]', 'ExponentPushToken[gone]'], body: 'hi' },
  ]);
  let thrown;
  try { tickets[1].validateResponse(); } catch (error) { thrown = error; }
  const receipts = await client.checkReceipts(tickets);
  const names = Object.keys(core).sort();
  console.log(JSON.stringify({
    names,
    version: core.SDK_VERSION,
    userAgent: emulator.requests[0].headers['user-agent'],
    statuses: tickets.map((t) => t.status),
    thrown: [thrown instanceof DeviceNotRegisteredError, thrown.name],
    receipts: receipts.map((r) => r.status),
    serveEmulator: typeof serveEmulator,
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

function run(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: scratch, encoding: 'utf8' }));
}

const expectedRun = {
  names: EXPECTED_EXPORTS,
  version,
  userAgent: `expo-push-edge/${version}`,
  statuses: ['ok', 'error'],
  thrown: [true, 'DeviceNotRegisteredError'],
  receipts: ['ok'],
  serveEmulator: 'function',
};

describe('the built package', () => {
  it('works through ESM import, with the version inlined at build time', () => {
    const load = `import * as core from 'expo-push-edge';
import { PushClient, DeviceNotRegisteredError } from 'expo-push-edge';
import { createPushEmulator } from 'expo-push-edge/emulator';
import { serveEmulator } from 'expo-push-edge/node';`;
    expect(run(['--input-type=module', '-e', program(load)])).toEqual(expectedRun);
  });

  it('works through CJS require', () => {
    const load = `const core = require('expo-push-edge');
const { PushClient, DeviceNotRegisteredError } = require('expo-push-edge');
const { createPushEmulator } = require('expo-push-edge/emulator');
const { serveEmulator } = require('expo-push-edge/node');`;
    expect(run(['--input-type=commonjs', '-e', program(load)])).toEqual(expectedRun);
  });

  const consumer = `
import { PushClient, PushServerError, type PushTicket, type PushReceipt, isExpoPushToken } from 'expo-push-edge';
import { createPushEmulator } from 'expo-push-edge/emulator';
import { serveEmulator, type EmulatorServer } from 'expo-push-edge/node';
const emulator = createPushEmulator();
export const serve: () => Promise<EmulatorServer> = () => serveEmulator(emulator);
const client = new PushClient({ fetch: emulator.fetch, concurrency: 2, gzipThreshold: false });
export async function main(): Promise<string> {
  const ticket: PushTicket = await client.publish({ to: 'ExponentPushToken[a]', priority: 'high' });
  const receipts: PushReceipt[] = await client.checkReceipts([ticket]);
  const valid: boolean = isExpoPushToken(ticket.token);
  // @ts-expect-error priority is a closed set
  await client.publish({ to: 'ExponentPushToken[a]', priority: 'urgent' });
  // @ts-expect-error to is required
  await client.publish({ body: 'no recipient' });
  const error: unknown = undefined;
  if (error instanceof PushServerError) { const status: number = error.status; void status; }
  return \`\${valid} \${receipts.length}\`;
}
`;

  it.concurrent.each([
    ['node16', 'node16', 'index.mts'],
    ['node16', 'node16', 'index.cts'],
    ['nodenext', 'nodenext', 'index.mts'],
    ['nodenext', 'nodenext', 'index.cts'],
    ['esnext', 'bundler', 'index.ts'],
  ])('type-checks a TypeScript consumer (module %s, moduleResolution %s, %s)', async (module, moduleResolution, file) => {
    const dir = mkdtempSync(join(scratch, 'ts-'));
    symlinkSync(join(scratch, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module, moduleResolution, target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, types: [] },
        files: [file],
      }),
    );
    writeFileSync(join(dir, file), consumer);
    expect(await typeCheck(dir)).toBe('');
  });

  it.concurrent('fails the consumer type-check when the types are wrong, so the check above can fail', async () => {
    const dir = mkdtempSync(join(scratch, 'ts-'));
    symlinkSync(join(scratch, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: [] }, files: ['index.mts'] }));
    writeFileSync(join(dir, 'index.mts'), "import { PushClient } from 'expo-push-edge';\nconst n: number = new PushClient();\n");
    expect(await typeCheck(dir)).toBe(
      "index.mts(2,7): error TS2322: Type 'PushClient' is not assignable to type 'number'.\n",
    );
  });
});
