import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { expect, inject } from 'vitest';
import type { EmulatorServer } from '../../src/cli/node-entry.ts';
import { ACCESS_TOKEN, expectedSendBodies, makeBatch, recipientsOf, UNREGISTERED_TOKEN } from './consumer/batch.mjs';

export const root = resolve(import.meta.dirname, '../..');
export const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** The scratch consumer that global-setup.ts installed the packed tarball into. */
export const consumerDir = (): string => inject('consumerDir');

/** A binary installed by a devDependency (deno, bun). */
export const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

/** The installed version of a devDependency. */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Serves a fresh emulator on 127.0.0.1 and an ephemeral port, from the tarball's own
 * `expo-push-edge/node` entry. It requires the access token and knows one unregistered token.
 */
export async function startEmulator(): Promise<EmulatorServer> {
  const entry = join(consumerDir(), 'node_modules', 'expo-push-edge', 'dist', 'node.js');
  const { serveEmulator } = (await import(pathToFileURL(entry).href)) as typeof import('../../src/cli/node-entry.ts');
  return serveEmulator({ accessToken: ACCESS_TOKEN, unregisteredTokens: [UNREGISTERED_TOKEN] });
}

/** Runs a program to completion; rejects with its stderr when it fails. */
export async function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(command, args, {
      cwd: consumerDir(),
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', NO_COLOR: '1', ...env },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${(error as Error).message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** The JSON object a program printed on its last line. */
export function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '');
}

/**
 * Bundles a file of the scratch consumer with esbuild, resolving `expo-push-edge` from its
 * node_modules (the tarball). The `browser` platform refuses any `node:` built-in, so a Node API
 * in the package fails the bundle.
 */
export async function bundle(
  entry: string,
  options: { format: 'esm' | 'iife'; conditions: string[]; globalName?: string },
): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(consumerDir(), entry)],
    absWorkingDir: consumerDir(),
    bundle: true,
    write: false,
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    ...options,
  });
  return result.outputFiles[0]?.text ?? '';
}

/** For workerd: within what the installed workerd supports. No compatibility flags are set (no nodejs_compat). */
export const COMPATIBILITY_DATE = '2026-04-01';

/** The configuration the runtime under test receives: only where the emulator is. */
export const configFor = (server: EmulatorServer) => ({ baseUrl: server.url });

interface Expectations {
  /** Whether the runtime has CompressionStream, so request bodies over 1 KiB go out gzipped. */
  readonly gzip: boolean;
  /** Whether the runtime has AbortSignal.any (the SDK must not need it). */
  readonly abortSignalAny: boolean;
}

/**
 * The assertions every runtime run must pass: the summary the runtime printed, and the emulator's
 * own log of what arrived on the wire.
 */
export function expectRun(summary: unknown, server: EmulatorServer, { gzip, abortSignalAny }: Expectations): void {
  const messages = makeBatch();
  const recipients = recipientsOf(messages);
  const accepted = recipients.filter((token) => token !== UNREGISTERED_TOKEN);
  const idOf = new Map(server.emulator.notifications.map((n) => [n.token, n.id]));
  const issuedIds = accepted.map((token) => idOf.get(token));

  expect(summary).toMatchObject({
    globals: { CompressionStream: gzip, 'AbortSignal.any': abortSignalAny },
    sdkVersion: version,
  });
  const s = summary as Record<string, unknown>;
  expect(s.tickets).toEqual({
    count: 260,
    allPushTickets: true,
    tokensInOrder: true,
    messagesInOrder: true,
    ok: 259,
    okHaveIds: true,
    uniqueIds: 259,
    okValidates: true,
    failed: [{ token: UNREGISTERED_TOKEN, status: 'error', error: 'DeviceNotRegistered', expoPushToken: UNREGISTERED_TOKEN }],
    // The ids the emulator issued, each on its recipient's ticket.
    ids: issuedIds,
  });
  expect(s.ticketError).toEqual({
    thrown: true,
    name: 'DeviceNotRegisteredError',
    instanceOf: { Error: true, DeviceNotRegisteredError: true, PushTicketError: true, PushError: true, PushServerError: false },
    isPushError: true,
  });
  expect(s.ticketErrorCode).toBe('DeviceNotRegistered');
  expect(s.ticketErrorResponseIsTicket).toBe(true);
  expect(s.serverError).toEqual({
    thrown: true,
    name: 'PushServerError',
    instanceOf: { Error: true, PushServerError: true, PushError: true, PushRateLimitError: false, PushNetworkError: false },
    isPushError: true,
  });
  expect(s.serverErrorFields).toEqual({ status: 401, code: 'invalid_token', endpoint: 'send', outcomeUnknown: false });
  expect(s.receipts).toEqual({ count: 259, allPushReceipts: true, statuses: ['ok'], idsInOrder: true, tokensInOrder: true });
  // The loopback server gzips every response (the SDK asks for it): the runtime's fetch decoded
  // them and left Content-Encoding in place, and the SDK parsed them without decoding again.
  expect(s.responseEncodingsSeenBySdk).toEqual(['receipts: gzip', 'send: gzip']);
  expect(s.rawFetch).toEqual({ status: 200, contentEncoding: 'gzip', body: '{"data":{}}' });

  // What arrived on the wire, as the emulator logged it.
  const log = server.emulator.requests;
  const userAgent = `expo-push-edge/${version}`;
  const sdkRequests = log.filter((r) => r.headers['user-agent'] === userAgent);
  expect(sdkRequests).toHaveLength(5);
  for (const request of sdkRequests) {
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['accept-encoding']).toMatch(/\bgzip\b/);
  }
  const sends = sdkRequests.filter((r) => r.endpoint === 'send' && r.status === 200);
  expect(sends).toHaveLength(3);
  const receipts = sdkRequests.filter((r) => r.endpoint === 'receipts');
  expect(receipts).toHaveLength(1);
  for (const request of [...sends, ...receipts]) {
    expect(request.status).toBe(200);
    expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    // Every body is over 1 KiB: gzipped exactly where the runtime has CompressionStream.
    expect(request.gzip).toBe(gzip);
    expect(request.headers['content-encoding']).toBe(gzip ? 'gzip' : undefined);
  }
  // Decompressed by the emulator and compared byte for byte with the JSON the client meant to send
  // (requests go out concurrently, so in any order).
  expect(sends.map((r) => r.bodyText).sort()).toEqual(expectedSendBodies(messages).sort());
  expect(receipts[0]?.bodyText).toBe(JSON.stringify({ ids: issuedIds }));

  const refused = sdkRequests.filter((r) => r.status === 401);
  expect(refused).toHaveLength(1);
  expect(refused[0]).toMatchObject({ endpoint: 'send', gzip: false, bodyText: JSON.stringify([{ to: recipients[0], body: 'refused' }]) });
  expect(refused[0]?.headers.authorization).toBe('Bearer not-the-token');

  // The one request that did not come from the SDK: the runtime's raw fetch.
  expect(log.filter((r) => r.headers['user-agent'] !== userAgent)).toHaveLength(1);

  // expo-push-edge/compat, run after the checks above against an in-memory emulator standing in
  // for globalThis.fetch (see consumer/compat-check.mjs).
  expect(s.compat).toEqual({
    defaultIsExpo: true,
    limits: [100, 300],
    isToken: [true, false],
    chunkSizes: [100, 20],
    tickets: { count: 120, plain: true, failed: ['DeviceNotRegistered'] },
    receipts: { count: 119, keyedByTicketIds: true },
    error: { isError: true, statusCode: 401, message: 'Expo responded with an error with status code 401' },
    requests: ['send 200', 'send 200', 'receipts 200', 'send 401'],
  });
}
