import { expect, vi } from 'vitest';
import { serveEmulator, type EmulatorServer, type PushEmulator } from '../../src/cli/node-entry.ts';
import { PushBatchError, type PushBatchFailure, PushError, type PushMessage, type PushTicket } from '../../src/index.ts';

/** A well-formed token (for the client and the emulator alike), distinct per name. */
export const tok = (name: string | number): string => `ExponentPushToken[${name}]`;

/** One recipient of a call's input: a token and the message it came from. */
export interface InputRecipient {
  readonly token: string;
  readonly message: PushMessage;
}

/** The recipients of `messages` in input order, as the client pairs them with tickets. */
export function recipientsOf(messages: readonly PushMessage[]): InputRecipient[] {
  return messages.flatMap((message) => (typeof message.to === 'string' ? [message.to] : message.to).map((token) => ({ token, message })));
}

/** What a `publishMultiple` call came to: every ticket, and the failures when it rejected. */
export interface BatchOutcome {
  readonly tickets: readonly PushTicket[];
  readonly failures: readonly PushBatchFailure[];
}

/** Settles a `publishMultiple` call into tickets and failures; any rejection but PushBatchError is rethrown. */
export async function outcomeOf(call: Promise<PushTicket[]>): Promise<BatchOutcome> {
  return batchOutcome(await call.catch((error: unknown) => error));
}

/** The tickets and failures of what a `publishMultiple` call resolved or rejected with; any other rejection is thrown. */
export function batchOutcome(result: unknown): BatchOutcome {
  if (Array.isArray(result)) return { tickets: result as PushTicket[], failures: [] };
  if (result instanceof PushBatchError) return { tickets: result.tickets, failures: result.failures };
  throw result;
}

/** What a rejected promise rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

/** The tokens of each send request the emulator logged, in log order. */
export function sendRequestTokens(emulator: PushEmulator): string[][] {
  return emulator.requests
    .filter((request) => request.endpoint === 'send')
    .map((request) => recipientsOf(JSON.parse(request.bodyText) as PushMessage[]).map(({ token }) => token));
}

/**
 * Waits until the emulator logged every request it counted. An attempt the client abandoned (a
 * timeout) is logged only once the emulator notices, which over HTTP can be after the call settled.
 */
export async function settled(emulator: PushEmulator): Promise<void> {
  await vi.waitFor(
    () => {
      const { sendRequests, receiptRequests } = emulator.stats;
      expect(emulator.requests.length).toBe(sendRequests + receiptRequests);
    },
    { timeout: 5_000, interval: 5 },
  );
}

/**
 * The delivery guarantees of one `publishMultiple` call, checked against what the emulator saw:
 * tickets come in recipient order, received + failed = input (as multisets too), every ok ticket
 * is a notification the emulator accepted for that token, and no token was accepted twice.
 */
export function expectAccounting(messages: readonly PushMessage[], outcome: BatchOutcome, emulator: PushEmulator): void {
  const input = recipientsOf(messages);
  const failed = outcome.failures.flatMap(({ recipients }) => recipients);
  const failedTokens = new Set(failed.map(({ token }) => token));

  expect(outcome.tickets.map(({ token, pushMessage }) => ({ token, message: pushMessage }))).toEqual(
    input.filter(({ token }) => !failedTokens.has(token)),
  );
  expect(outcome.tickets.length + failed.length).toBe(input.length);
  expect([...outcome.tickets.map(({ token }) => token), ...failed.map(({ token }) => token)].sort()).toEqual(
    input.map(({ token }) => token).sort(),
  );
  const messageOf = new Map(input.map(({ token, message }) => [token, message]));
  expect(failed.filter(({ token, message }) => messageOf.get(token) !== message)).toEqual([]);

  const accepted = emulator.notifications.map(({ token }) => token);
  expect(accepted.filter((token, index) => accepted.indexOf(token) !== index)).toEqual([]);
  const acceptedIds = new Map(emulator.notifications.map(({ id, token }) => [id, token]));
  const okTickets = outcome.tickets.filter(({ status }) => status === 'ok');
  expect(okTickets.map(({ id }) => acceptedIds.get(id ?? ''))).toEqual(okTickets.map(({ token }) => token));
}

/** `code` of the first error in `error`'s cause chain that has one. */
export function causeCode(error: unknown): unknown {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (code !== undefined) return code;
    current = cause;
  }
  return undefined;
}

/** An SDK error as a whole value: its exact class, its JSON (name, message, own fields) and the code in its cause. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!PushError.isPushError(error)) return { notAPushError: error };
  return { class: error.constructor, ...error.toJSON(), causeCode: causeCode(error.cause) };
}

/** Loopback servers started by a test; close them in `afterEach` with {@link closeServers}. */
const openServers: EmulatorServer[] = [];

/** Serves `emulator` on loopback; the server is closed by {@link closeServers}. */
export async function serve(emulator: PushEmulator): Promise<EmulatorServer> {
  const server = await serveEmulator(emulator, { port: 0 });
  openServers.push(server);
  return server;
}

/** Closes every server {@link serve} started. */
export async function closeServers(): Promise<void> {
  await Promise.all(openServers.splice(0).map((server) => server.close()));
}

/** The undici-style rejection of a fetch whose connection was refused: provably never sent. */
export function connectionRefused(): TypeError {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', syscall: 'connect' });
  return new TypeError('fetch failed', { cause });
}
