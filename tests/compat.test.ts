import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import CompatDefault, {
  Expo,
  type ExpoClientOptions,
  type ExpoPushErrorTicket,
  type ExpoPushMessage,
  type ExpoPushReceipt,
  type ExpoPushReceiptId,
  type ExpoPushSuccessTicket,
  type ExpoPushTicket,
  type ExpoPushToken,
} from '../src/compat/index.ts';
import { createPushEmulator } from '../src/emulator/index.ts';
import { json, scriptedFetch, text } from './helpers/scripted-fetch.ts';

// ---------------------------------------------------------------------------------------------
// A scripted loopback service that both the official expo-server-sdk (through EXPO_BASE_URL, read
// when it is first imported) and the compat Expo (through baseUrl) talk to, so every scenario runs
// through both and the outcomes are compared.
// ---------------------------------------------------------------------------------------------

interface ScriptedReply {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}
interface WireRequest {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly gzip: boolean;
  readonly bodyText: string;
}

let server: Server;
let baseUrl: string;
let script: ScriptedReply[] = [];
let wire: WireRequest[] = [];
let Official: typeof import('expo-server-sdk').Expo;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const gzip = request.headers['content-encoding'] === 'gzip';
    wire.push({ path: request.url ?? '', headers: request.headers, gzip, bodyText: (gzip ? gunzipSync(raw) : raw).toString('utf8') });
    const reply = script.length > 1 ? script.shift() : script[0];
    if (!reply) throw new Error('no scripted reply');
    response.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.EXPO_BASE_URL = baseUrl;
  Official = (await import('expo-server-sdk')).Expo;
});

afterAll(async () => {
  delete process.env.EXPO_BASE_URL;
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A settled outcome as plain data: the value, or the error's class, message and own fields. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function describeError(error: unknown): unknown {
  if (!(error instanceof Error)) return { notAnError: error };
  const fields = Object.fromEntries(
    Object.entries(error).map(([key, value]) => [key, key === 'others' ? (value as unknown[]).map(describeError) : value]),
  );
  return { constructor: error.constructor.name, message: error.message, fields };
}

async function settle(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

type Call = (expo: { sendPushNotificationsAsync: Expo['sendPushNotificationsAsync']; getPushNotificationReceiptsAsync: Expo['getPushNotificationReceiptsAsync'] }) => Promise<unknown>;

/** Runs `call` through the official SDK and then the compat class against the same replies. */
async function both(replies: ScriptedReply[], call: Call, options: ExpoClientOptions = {}) {
  const run = async (expo: Parameters<Call>[0]) => {
    script = [...replies];
    wire = [];
    const outcome = await settle(() => call(expo));
    return { outcome, wire };
  };
  const { baseUrl: _ignored, ...officialOptions } = options;
  const official = await run(new Official(officialOptions as ConstructorParameters<typeof Official>[0]));
  const compat = await run(new Expo({ ...options, baseUrl }));
  return { official, compat };
}

const jsonReply = (body: unknown, status = 200): ScriptedReply => ({ status, body: JSON.stringify(body) });
const tok = (n: number) => `ExponentPushToken[${String(n).padStart(22, '0')}]`;
const send = (messages: ExpoPushMessage[]): Call => (expo) => expo.sendPushNotificationsAsync(messages);
const receipts = (ids: string[]): Call => (expo) => expo.getPushNotificationReceiptsAsync(ids);
const twoRecipients: ExpoPushMessage[] = [{ to: tok(1), body: 'a' }];

describe('expo-push-edge/compat answers exactly like expo-server-sdk 6.1.0 against the same service', () => {
  it.each<[string, ScriptedReply[], Call]>([
    ['tickets in order', [jsonReply({ data: [{ status: 'ok', id: 'a' }, { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered', expoPushToken: tok(2) } }, { status: 'ok', id: 'c' }] })], send([{ to: tok(1) }, { to: [tok(2), tok(3)], title: 't' }])],
    ['an empty array of messages, sent as []', [jsonReply({ data: [] })], send([])],
    ['a token the official SDK would not reject', [jsonReply({ data: [{ status: 'error', message: 'not a token', details: { error: 'DeviceNotRegistered' } }] })], send([{ to: 'not-a-token' }])],
    ['200 with errors (and others, details, stack)', [jsonReply({ errors: [{ code: 'PUSH_TOO_MANY_EXPERIENCE_IDS', message: 'mixed', details: { '@a/b': [tok(1)] }, stack: 'at server' }, { code: 'SECOND', message: 'second' }, { message: 'third without code' }] })], send(twoRecipients)],
    ['200 with errors and data', [jsonReply({ data: [{ status: 'ok', id: 'x' }], errors: [{ code: 'E', message: 'm' }] })], send(twoRecipients)],
    ['400 with errors', [jsonReply({ errors: [{ code: 'PUSH_TOO_MANY_NOTIFICATIONS', message: 'You can send a maximum of 100 notifications per request' }] }, 400)], send(twoRecipients)],
    ['400 with arbitrary JSON', [jsonReply({ foo: 'bar' }, 400)], send(twoRecipients)],
    ['400 with an empty errors array', [jsonReply({ errors: [] }, 400)], send(twoRecipients)],
    ['400 with text', [{ status: 400, body: '<html>Bad Request</html>', contentType: 'text/html' }], send(twoRecipients)],
    ['502 gateway HTML, not retried', [{ status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' }, jsonReply({ data: [{ status: 'ok', id: 'x' }] })], send(twoRecipients)],
    ['500 with errors, not retried', [jsonReply({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] }, 500), jsonReply({ data: [{ status: 'ok', id: 'x' }] })], send(twoRecipients)],
    ['401 invalid_token (OAuth-style body)', [jsonReply({ error: 'invalid_token', error_description: 'The bearer token is invalid' }, 401)], send(twoRecipients)],
    ['201 is not 200', [jsonReply({ data: [{ status: 'ok', id: 'x' }] }, 201)], send(twoRecipients)],
    ['malformed JSON on 200', [{ status: 200, body: '{"data": [' }], send(twoRecipients)],
    ['too many tickets for one recipient (singular "ticket")', [jsonReply({ data: [{ status: 'ok', id: 'a' }, { status: 'ok', id: 'b' }] })], send(twoRecipients)],
    ['too few tickets for two recipients', [jsonReply({ data: [{ status: 'ok', id: 'a' }] })], send([{ to: [tok(1), tok(2)] }])],
    ['429 then success', [jsonReply({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Exceeded 600 notifications per second' }] }, 429), jsonReply({ data: [{ status: 'ok', id: 'a' }] })], send(twoRecipients)],
    ['429 twice then success', [jsonReply({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, 429), jsonReply({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, 429), jsonReply({ data: [{ status: 'ok', id: 'a' }] })], send(twoRecipients)],
    ['429 until the retries run out', [jsonReply({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, 429)], send(twoRecipients)],
    ['429 as text', [{ status: 429, body: 'Too Many Requests', contentType: 'text/plain' }, jsonReply({ data: [{ status: 'ok', id: 'a' }] })], send(twoRecipients)],
    ['receipts keyed by id', [jsonReply({ data: { a: { status: 'ok' }, b: { status: 'error', message: 'too big', details: { error: 'MessageTooBig' } } } })], receipts(['a', 'b', 'c'])],
    ['receipts: data that is not an object (an array)', [jsonReply({ data: [{ status: 'ok' }] })], receipts(['a'])],
    ['receipts: data that is a string', [jsonReply({ data: 'nope' })], receipts(['a'])],
    ['receipts: no data', [jsonReply({})], receipts(['a'])],
    ['receipts: 429 is not retried', [jsonReply({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, 429), jsonReply({ data: {} })], receipts(['a'])],
    ['receipts: 400 with errors', [jsonReply({ errors: [{ code: 'PUSH_TOO_MANY_RECEIPTS', message: 'too many' }] }, 400)], receipts(['a'])],
  ])('%s', async (_name, replies, call) => {
    const { official, compat } = await both(replies, call, { retryMinTimeout: 5 });
    expect(compat.outcome).toStrictEqual(official.outcome);
    expect(compat.wire.map((r) => [r.path, r.bodyText])).toEqual(official.wire.map((r) => [r.path, r.bodyText]));
  });

  it('200 with an empty errors array fails with the same message (the official SDK throws an AssertionError)', async () => {
    const { official, compat } = await both([jsonReply({ errors: [] })], send(twoRecipients));
    expect(official.outcome.ok).toBe(false);
    expect((compat.outcome as { error: { message: string } }).error.message).toBe((official.outcome as { error: { message: string } }).error.message);
    expect((compat.outcome as { error: { message: string } }).error.message).toBe('Expected at least one error from Expo');
  });

  it('JSON without data on 200: the official SDK crashes reading data.length; compat reports the mismatch (deliberate difference)', async () => {
    const { official, compat } = await both([jsonReply({ something: 'else' })], send(twoRecipients));
    expect(official.outcome).toMatchObject({ ok: false, error: { constructor: 'TypeError' } });
    expect(compat.outcome).toStrictEqual({
      ok: false,
      error: { constructor: 'Error', message: 'Expected Expo to respond with 1 ticket but got undefined', fields: { data: undefined } },
    });
  });

  it('the official error surface, spelled out', async () => {
    const { compat } = await both(
      [jsonReply({ errors: [{ code: 'A', message: 'first', details: { x: 1 }, stack: 'trace' }, { code: 'B', message: 'second' }] }, 400)],
      send(twoRecipients),
    );
    expect(compat.outcome).toStrictEqual({
      ok: false,
      error: {
        constructor: 'Error',
        message: 'first',
        fields: {
          code: 'A',
          details: { x: 1 },
          serverStack: 'trace',
          others: [{ constructor: 'Error', message: 'second', fields: { code: 'B' } }],
          statusCode: 400,
        },
      },
    });
    const { compat: textual } = await both([{ status: 503, body: 'upstream connect error', contentType: 'text/plain' }], send(twoRecipients));
    expect(textual.outcome).toStrictEqual({
      ok: false,
      error: {
        constructor: 'Error',
        message: 'Expo responded with an error with status code 503: upstream connect error',
        fields: { statusCode: 503, errorText: 'upstream connect error' },
      },
    });
    const { compat: mismatch } = await both([jsonReply({ data: [{ status: 'ok', id: 'a' }, { status: 'ok', id: 'b' }] })], send(twoRecipients));
    expect(mismatch.outcome).toMatchObject({ ok: false, error: { message: 'Expected Expo to respond with 1 ticket but got 2' } });
  });

  it('sends the same wire request: headers, auth, gzip above 1 KiB, body byte for byte', async () => {
    const big: ExpoPushMessage[] = Array.from({ length: 30 }, (_, i) => ({ to: tok(i), body: `message ${i} ${'x'.repeat(20)}` }));
    const reply = [jsonReply({ data: big.map((_, i) => ({ status: 'ok', id: String(i) })) })];
    const { official, compat } = await both(reply, send(big), { accessToken: 'secret-token' });
    expect(compat.outcome).toStrictEqual(official.outcome);
    for (const side of [official, compat]) {
      expect(side.wire).toHaveLength(1);
      const [request] = side.wire;
      expect(request?.gzip).toBe(true);
      expect(request?.headers.authorization).toBe('Bearer secret-token');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.headers.accept).toBe('application/json');
      expect(request?.headers['accept-encoding']).toMatch(/gzip/);
    }
    expect(compat.wire[0]?.bodyText).toBe(official.wire[0]?.bodyText);
    // A small body is not compressed, and no access token means no header.
    const small = await both([jsonReply({ data: [{ status: 'ok', id: 'a' }] })], send(twoRecipients));
    for (const side of [small.official, small.compat]) {
      expect(side.wire[0]?.gzip).toBe(false);
      expect(side.wire[0]?.headers.authorization).toBeUndefined();
    }
    // Receipt lookups post { ids }.
    const lookup = await both([jsonReply({ data: {} })], receipts(['r1', 'r2']));
    expect(lookup.compat.wire[0]).toMatchObject({ path: '/--/api/v2/push/getReceipts', bodyText: '{"ids":["r1","r2"]}' });
    expect(lookup.compat.wire[0]?.bodyText).toBe(lookup.official.wire[0]?.bodyText);
  });
});

describe('chunking, compared with the official functions (which are pure)', () => {
  const official = () => new Official();
  const compat = new Expo();
  const recipients = (n: number, from = 0) => Array.from({ length: n }, (_, i) => tok(from + i));
  const singles = (n: number, from = 0): ExpoPushMessage[] => recipients(n, from).map((to) => ({ to, body: 'hi' }));
  const sizes = (chunks: ExpoPushMessage[][]) => chunks.map((chunk) => Expo._getActualMessageCount(chunk));

  it.each<[string, () => ExpoPushMessage[], number[]]>([
    ['100 messages', () => singles(100), [100]],
    ['101 messages', () => singles(101), [100, 1]],
    ['99 messages + 2', () => singles(101), [100, 1]],
    ['one message with 101 recipients', () => [{ to: recipients(101), body: 'b' }], [100, 1]],
    ['one message with 100 recipients + 2 messages', () => [{ to: recipients(100) }, ...singles(2, 100)], [100, 2]],
    ['99 messages + one message of 2 recipients', () => [...singles(99), { to: recipients(2, 99), title: 'pair' }], [100, 1]],
    ['one message with 250 recipients', () => [{ to: recipients(250) }], [100, 100, 50]],
    ['no messages', () => [], []],
    ['a message with no recipients', () => [{ to: [] }], []],
    ['messages with no recipients among others', () => [{ to: [] }, ...singles(2), { to: [] }], [2]],
  ])('%s', (_name, make, expected) => {
    const messages = make();
    const ours = compat.chunkPushNotifications(messages);
    expect(ours).toStrictEqual(official().chunkPushNotifications(messages));
    expect(sizes(ours)).toEqual(expected);
    // A message with a string `to` stays the same object, as in the official SDK.
    for (const message of ours.flat()) if (typeof message.to === 'string') expect(messages).toContain(message);
  });

  it('matches the official chunking on arbitrary message lists', () => {
    const message = fc.oneof(
      fc.record({ to: fc.string({ maxLength: 5 }), body: fc.string({ maxLength: 3 }) }),
      fc.record({ to: fc.array(fc.string({ maxLength: 5 }), { maxLength: 230 }), title: fc.string({ maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 40 }), (messages) => {
        expect(compat.chunkPushNotifications(messages)).toStrictEqual(official().chunkPushNotifications(messages));
        expect(Expo._getActualMessageCount(messages)).toBe(Official._getActualMessageCount(messages));
      }),
      { numRuns: 300 },
    );
  });

  it.each([0, 1, 299, 300, 301, 900, 1001])('chunks %i receipt ids like the official SDK', (count) => {
    const ids = Array.from({ length: count }, (_, i) => `id-${i}`);
    expect(compat.chunkPushNotificationReceiptIds(ids)).toStrictEqual(official().chunkPushNotificationReceiptIds(ids));
  });

  it('has the official statics', () => {
    expect(Expo.pushNotificationChunkSizeLimit).toBe(100);
    expect(Expo.pushNotificationChunkSizeLimit).toBe(Official.pushNotificationChunkSizeLimit);
    expect(Expo.pushNotificationReceiptChunkSizeLimit).toBe(Official.pushNotificationReceiptChunkSizeLimit);
    expect(CompatDefault).toBe(Expo);
  });

  it('isExpoPushToken agrees with the official check', () => {
    const samples: unknown[] = [
      'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]',
      'ExpoPushToken[xxxxxxxxxxxxxxxxxxxxxx]',
      'ExponentPushToken[]',
      'ExponentPushToken[with space]',
      'ExponentPushToken[a]]',
      'ExponentPushToken[\n]',
      'ExponentPushToken[',
      'ExponentPushToken]',
      'exponentPushToken[a]',
      'F5741A13-BCDA-434B-A316-5DC0E6FFA94F',
      'f5741a13-bcda-434b-a316-5dc0e6ffa94f',
      'f5741a13-bcda-434b-a316-5dc0e6ffa94',
      'dOKpuo4qbsM:APA91bHkSmF84ROx7Y-2eMGxc0lmpQeN33ZwDMG763dkjd8yjKK-rhPtiR1OoIWNG5ZshlL8oyxsTnQ5XtahyBNS9mJAvfeE6aHzv_mOF_Ddw',
      '',
      42,
      null,
      undefined,
      { to: 'ExponentPushToken[a]' },
    ];
    expect(samples.map((s) => Expo.isExpoPushToken(s))).toEqual(samples.map((s) => Official.isExpoPushToken(s)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `ExponentPushToken[${s}]`), fc.string().map((s) => `ExpoPushToken[${s}`), fc.uuid()), (s) => {
        expect(Expo.isExpoPushToken(s)).toBe(Official.isExpoPushToken(s));
      }),
    );
  });
});

describe('the compat Expo on its own', () => {
  const okReply = (count: number) => json({ data: Array.from({ length: count }, (_, i) => ({ status: 'ok', id: `id-${i}` })) });

  it('looks globalThis.fetch up at call time, so a fetch intercepted after construction is used', async () => {
    const expo = new Expo();
    const fake = scriptedFetch(okReply(1));
    vi.stubGlobal('fetch', fake.fetch);
    const tickets = await expo.sendPushNotificationsAsync([{ to: tok(1) }]);
    expect(tickets).toEqual([{ status: 'ok', id: 'id-0' }]);
    expect(fake.seen[0]?.url).toBe('https://exp.host/--/api/v2/push/send');
    expect(fake.seen[0]?.body).toEqual([{ to: tok(1) }]);
  });

  it('uses baseUrl and the fetch option; httpAgent is accepted and has no effect', async () => {
    const fake = scriptedFetch(json({ data: { r: { status: 'ok' } } }));
    const expo = new Expo({ baseUrl: 'https://push.example.test/prefix/', fetch: fake.fetch, httpAgent: { dispatch() {} } });
    expect(await expo.getPushNotificationReceiptsAsync(['r'])).toEqual({ r: { status: 'ok' } });
    expect(fake.seen[0]?.url).toBe('https://push.example.test/prefix/--/api/v2/push/getReceipts');
  });

  it('resolves with the service data verbatim, unknown fields included', async () => {
    const data = [{ status: 'ok', id: 'a', messageEnum: 3, __debug: { x: 1 } }];
    const expo = new Expo({ fetch: scriptedFetch(json({ data })).fetch });
    expect(await expo.sendPushNotificationsAsync([{ to: tok(1) }])).toStrictEqual(data);
  });

  it('sends exactly what it is given in one request, without validating (even over 100 recipients)', async () => {
    const messages = Array.from({ length: 150 }, (_, i) => ({ to: i === 0 ? 'not-a-token' : tok(i), unknownField: true }) as ExpoPushMessage);
    const fake = scriptedFetch(okReply(150));
    const expo = new Expo({ fetch: fake.fetch });
    expect(await expo.sendPushNotificationsAsync(messages)).toHaveLength(150);
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]?.body).toEqual(messages);
    expect(fake.seen[0]?.headers['content-encoding']).toBe('gzip');
  });

  it('waits retryMinTimeout, then twice that, between 429 retries, without jitter', async () => {
    const limited = json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, 429);
    const times: number[] = [];
    const fake = scriptedFetch((_r, i) => {
      times.push(performance.now());
      return i < 2 ? limited.clone() : okReply(1);
    });
    const expo = new Expo({ fetch: fake.fetch, retryMinTimeout: 60 });
    await expo.sendPushNotificationsAsync([{ to: tok(1) }]);
    expect(fake.seen).toHaveLength(3);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    expect(t1 - t0).toBeGreaterThanOrEqual(55);
    expect(t1 - t0).toBeLessThan(110);
    expect(t2 - t1).toBeGreaterThanOrEqual(115);
  });

  it('rejects a 429 with the official error once the two retries are spent, ignoring Retry-After', async () => {
    const fake = scriptedFetch(json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, 429, { 'retry-after': '3600' }));
    const expo = new Expo({ fetch: fake.fetch, retryMinTimeout: 1 });
    await expect(expo.sendPushNotificationsAsync([{ to: tok(1) }])).rejects.toMatchObject({ message: 'slow down', code: 'TOO_MANY_REQUESTS', statusCode: 429 });
    expect(fake.seen).toHaveLength(3);
  });

  it('limits sends in flight to maxConcurrentRequests, retry waits included; receipt lookups are not limited', async () => {
    let inFlight = 0;
    let max = 0;
    const slow = async (request: Request) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return request.url.endsWith('getReceipts') ? json({ data: {} }) : okReply(1);
    };
    const expo = new Expo({ fetch: slow, maxConcurrentRequests: 2 });
    await Promise.all(Array.from({ length: 7 }, () => expo.sendPushNotificationsAsync([{ to: tok(1) }])));
    expect(max).toBe(2);
    max = 0;
    await Promise.all(Array.from({ length: 7 }, () => expo.getPushNotificationReceiptsAsync(['a'])));
    expect(max).toBe(7);

    // A send waiting out a 429 keeps its slot, as promise-limit around promise-retry does.
    const limitedOnce = scriptedFetch(json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'x' }] }, 429), okReply(1));
    const single = new Expo({ fetch: limitedOnce.fetch, maxConcurrentRequests: 1, retryMinTimeout: 40 });
    const first = single.sendPushNotificationsAsync([{ to: tok(1) }]);
    const second = single.sendPushNotificationsAsync([{ to: tok(2) }]);
    await Promise.all([first, second]);
    expect(limitedOnce.seen.map((r) => (r.body as Array<{ to: string }>)[0]?.to)).toEqual([tok(1), tok(1), tok(2)]);
  });

  it('defaults to 6 sends in flight', async () => {
    const fake = scriptedFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return okReply(1);
    });
    const expo = new Expo({ fetch: fake.fetch });
    await Promise.all(Array.from({ length: 10 }, () => expo.sendPushNotificationsAsync([{ to: tok(1) }])));
    expect(fake.maxInFlight).toBe(6);
  });

  it('rejects with the fetch’s own error when the request fails, without retrying', async () => {
    const failure = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    let calls = 0;
    const expo = new Expo({
      fetch: async () => {
        calls++;
        throw failure;
      },
    });
    await expect(expo.sendPushNotificationsAsync([{ to: tok(1) }])).rejects.toBe(failure);
    await expect(expo.getPushNotificationReceiptsAsync(['a'])).rejects.toBe(failure);
    expect(calls).toBe(2);
  });

  it('keeps long error bodies whole in errorText', async () => {
    const page = `<html>${'x'.repeat(10_000)}</html>`;
    const expo = new Expo({ fetch: scriptedFetch(text(page, 504)).fetch });
    await expect(expo.sendPushNotificationsAsync([{ to: tok(1) }])).rejects.toMatchObject({ statusCode: 504, errorText: page });
  });

  it('refuses a maxConcurrentRequests that could never send, and checks the access token and base URL like the core', () => {
    expect(() => new Expo({ maxConcurrentRequests: 0 })).toThrow(TypeError);
    expect(() => new Expo({ accessToken: 'has space' })).toThrow(TypeError);
    expect(() => new Expo({ baseUrl: 'http://push.example.test' })).toThrow(TypeError);
    expect(() => new Expo({ baseUrl: 'http://push.example.test', allowHttp: true })).not.toThrow();
  });

  it('works end to end against the in-memory emulator: send, then receipts keyed by id', async () => {
    const emulator = createPushEmulator({ accessToken: 'tok', unregisteredTokens: [tok(3)] });
    const expo = new Expo({ accessToken: 'tok', fetch: emulator.fetch });
    const messages: ExpoPushMessage[] = Array.from({ length: 5 }, (_, i) => ({ to: [tok(2 * i), tok(2 * i + 1)], body: `m${i}` }));
    const tickets: ExpoPushTicket[] = [];
    for (const chunk of expo.chunkPushNotifications(messages)) tickets.push(...(await expo.sendPushNotificationsAsync(chunk)));
    expect(tickets).toHaveLength(10);
    expect(tickets[3]).toMatchObject({ status: 'error', details: { error: 'DeviceNotRegistered' } });
    const ids: ExpoPushReceiptId[] = tickets.flatMap((t) => (t.status === 'ok' ? [t.id] : []));
    const receiptMap: Record<string, ExpoPushReceipt> = {};
    for (const chunk of expo.chunkPushNotificationReceiptIds(ids)) Object.assign(receiptMap, await expo.getPushNotificationReceiptsAsync(chunk));
    expect(Object.keys(receiptMap).sort()).toEqual([...ids].sort());
    expect(Object.values(receiptMap).every((r) => r.status === 'ok')).toBe(true);
    await expect(new Expo({ accessToken: 'wrong', fetch: emulator.fetch }).sendPushNotificationsAsync([{ to: tok(1) }])).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('accepts the official types and options (type-level)', () => {
    type OfficialModule = typeof import('expo-server-sdk');
    const officialOptions: Partial<import('expo-server-sdk').ExpoClientOptions> = { accessToken: 'a', maxConcurrentRequests: 2, retryMinTimeout: 5 };
    const expo = new Expo(officialOptions);
    const officialMessage: import('expo-server-sdk').ExpoPushMessage = { to: tok(1), sound: { critical: true }, priority: 'high' };
    const asOurs: ExpoPushMessage = officialMessage;
    const ticket: import('expo-server-sdk').ExpoPushTicket = { status: 'ok', id: 'x' } satisfies ExpoPushSuccessTicket;
    const back: ExpoPushTicket = ticket;
    const errorTicket: ExpoPushErrorTicket = { status: 'error', message: 'm', details: { error: 'DeviceNotRegistered' } };
    const token: ExpoPushToken = 'ExponentPushToken[a]';
    const sendsOfficial: (m: import('expo-server-sdk').ExpoPushMessage[]) => Promise<import('expo-server-sdk').ExpoPushTicket[]> = (m) =>
      expo.sendPushNotificationsAsync(m);
    const receiptsOfficial: ReturnType<InstanceType<OfficialModule['Expo']>['getPushNotificationReceiptsAsync']> = expo.getPushNotificationReceiptsAsync([]);
    receiptsOfficial.catch(() => {});
    expect([asOurs, back, errorTicket, token, typeof sendsOfficial]).toHaveLength(5);
  });
});
