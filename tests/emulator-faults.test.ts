import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveEmulator, type EmulatorServer } from '../src/cli/serve-emulator.ts';
import {
  EMULATOR_FAULTS,
  createPushEmulator,
  isEmulatorConnectionReset,
  tooManyRequestsFault,
  type EmulatorFault,
  type EmulatorNotification,
  type InjectFaultOptions,
  type PushEmulator,
  type PushEmulatorOptions,
} from '../src/emulator/index.ts';

const SEND_PATH = '/--/api/v2/push/send';
const RECEIPTS_PATH = '/--/api/v2/push/getReceipts';
const SEND = `https://exp.host${SEND_PATH}`;
const RECEIPTS = `https://exp.host${RECEIPTS_PATH}`;
const JSON_TYPE = 'application/json; charset=utf-8';
const AN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const tok = (name: string | number): string => `ExponentPushToken[${name}]`;
const tokens = (count: number, prefix = 't'): string[] => Array.from({ length: count }, (_, index) => tok(`${prefix}${index}`));

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const NGINX_504 =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const ENVOY_503 = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const TOO_MANY_600 = '{"errors":[{"code":"TOO_MANY_REQUESTS","message":"Exceeded 600 notifications per second, please try again."}]}';
const INTERNAL = '{"errors":[{"code":"INTERNAL_SERVER_ERROR","message":"An unknown error occurred."}]}';

/** Every preset with what a client must see in process: status, all headers, body text. */
const PRESETS: ReadonlyArray<[name: keyof typeof EMULATOR_FAULTS, status: number, headers: Record<string, string>, body: string]> = [
  ['badGateway', 502, { 'content-type': 'text/html' }, NGINX_502],
  ['gatewayTimeout', 504, { 'content-type': 'text/html' }, NGINX_504],
  ['upstreamReset', 503, { 'content-type': 'text/plain' }, ENVOY_503],
  ['tooManyRequests', 429, { 'content-type': JSON_TYPE }, TOO_MANY_600],
  ['internalServerError', 500, { 'content-type': JSON_TYPE }, INTERNAL],
  ['emptyOk', 200, { 'content-type': JSON_TYPE }, ''],
  ['emptyObjectOk', 200, { 'content-type': JSON_TYPE }, '{}'],
];

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function seen(response: Response): Promise<Seen> {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

const sendInit = (to: string[], init: RequestInit = {}): RequestInit => ({ method: 'POST', body: JSON.stringify([{ to }]), ...init });
const receiptsInit = (ids: string[]): RequestInit => ({ method: 'POST', body: JSON.stringify({ ids }) });

/** Sends one message addressed to `to` and returns the status the client saw. */
async function sendStatus(emulator: PushEmulator, to: string[]): Promise<number> {
  const response = await emulator.fetch(SEND, sendInit(to));
  await response.arrayBuffer();
  return response.status;
}

/** What a rejected promise rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

function resetShape(error: unknown): unknown {
  const { cause } = error as { cause?: { code?: unknown; syscall?: unknown; message?: unknown } };
  return {
    isTypeError: error instanceof TypeError,
    message: (error as Error).message,
    cause: { isError: cause instanceof Error, message: cause?.message, code: cause?.code, syscall: cause?.syscall },
  };
}

const RESET_SHAPE = { isTypeError: true, message: 'fetch failed', cause: { isError: true, message: 'read ECONNRESET', code: 'ECONNRESET', syscall: 'read' } };

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

/** Most notifications whose `receivedAt` falls in any window `[t, t + windowMs)`. */
function maxInWindow(notifications: readonly EmulatorNotification[], windowMs: number): number {
  const times = notifications.map((notification) => notification.receivedAt).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('createPushEmulator', () => {
  describe('injectFault with a respond fault', () => {
    it.each(PRESETS)('answers the %s preset with exactly its status, headers and body', async (name, status, headers, body) => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS[name]);
      expect(await seen(await emulator.fetch(SEND, sendInit([tok('a')])))).toEqual({ status, headers, body });
    });

    it('answers a custom fault without adding a content type, and with an empty body by default', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault({ kind: 'respond', status: 418, headers: { 'X-Why': 'teapot' } });
      expect(await seen(await emulator.fetch(SEND, sendInit([tok('a')])))).toEqual({ status: 418, headers: { 'x-why': 'teapot' }, body: '' });
    });

    it('accepts nothing and stores no receipt, but records the request with the status the client saw', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.gatewayTimeout);
      const body = JSON.stringify([{ to: [tok('a'), tok('b')] }]);
      await (await emulator.fetch(SEND, { method: 'POST', body })).text();
      expect({
        notifications: emulator.notifications,
        requests: emulator.requests.map(({ endpoint, bodyText, status }) => ({ endpoint, bodyText, status })),
        stats: emulator.stats,
      }).toEqual({
        notifications: [],
        requests: [{ endpoint: 'send', bodyText: body, status: 504 }],
        stats: { sendRequests: 1, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 0, faultsApplied: 1 },
      });
    });

    it('answers with the fault even on a path the service does not serve when no endpoint is given', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.badGateway);
      const response = await emulator.fetch('https://exp.host/elsewhere');
      expect({ status: response.status, body: await response.text() }).toEqual({ status: 502, body: NGINX_502 });
    });
  });

  describe('injectFault targeting', () => {
    it('applies a fault to the next times requests only, then serves normally', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.badGateway, { times: 2 });
      const statuses = [];
      for (const name of ['a', 'b', 'c']) statuses.push(await sendStatus(emulator, [tok(name)]));
      expect({ statuses, accepted: emulator.notifications.map((n) => n.token) }).toEqual({ statuses: [502, 502, 200], accepted: [tok('c')] });
    });

    it('consumes faults first in, first out', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.upstreamReset, { times: 2 });
      emulator.injectFault(EMULATOR_FAULTS.tooManyRequests);
      emulator.injectFault(EMULATOR_FAULTS.internalServerError);
      const statuses = [];
      for (let n = 0; n < 5; n++) statuses.push(await sendStatus(emulator, [tok(n)]));
      expect(statuses).toEqual([503, 503, 429, 500, 200]);
    });

    it('lets requests to the other endpoint pass an endpoint-targeted fault by, and serves them the next untargeted one', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.badGateway, { endpoint: 'receipts' });
      emulator.injectFault(EMULATOR_FAULTS.internalServerError);
      const first = (await emulator.fetch(SEND, sendInit([tok('a')]))).status;
      const second = (await emulator.fetch(SEND, sendInit([tok('b')]))).status;
      const receipts = (await emulator.fetch(RECEIPTS, receiptsInit([]))).status;
      const afterwards = (await emulator.fetch(RECEIPTS, receiptsInit([]))).status;
      expect([first, second, receipts, afterwards]).toEqual([500, 200, 502, 200]);
    });

    it('keeps a fault with times Infinity until clearFaults', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.tooManyRequests, { times: Infinity, endpoint: 'send' });
      const limited = [];
      for (let n = 0; n < 4; n++) limited.push(await sendStatus(emulator, [tok(n)]));
      emulator.clearFaults();
      expect({ limited, after: await sendStatus(emulator, [tok('x')]) }).toEqual({ limited: [429, 429, 429, 429], after: 200 });
    });

    it('drops queued faults and zeroes the counters on reset', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.badGateway, { times: 3 });
      await sendStatus(emulator, [tok('a')]);
      emulator.reset();
      expect({ status: await sendStatus(emulator, [tok('b')]), stats: emulator.stats }).toEqual({
        status: 200,
        stats: { sendRequests: 1, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 1, faultsApplied: 0 },
      });
    });

    it.each<[string, EmulatorFault, InjectFaultOptions | undefined]>([
      ['times 0', EMULATOR_FAULTS.badGateway, { times: 0 }],
      ['fractional times', EMULATOR_FAULTS.badGateway, { times: 1.5 }],
      ['an unknown endpoint', EMULATOR_FAULTS.badGateway, { endpoint: 'unknown' as 'send' }],
      ['status 199', { kind: 'respond', status: 199 }, undefined],
      ['status 600', { kind: 'respond', status: 600 }, undefined],
      ['a body on a 204', { kind: 'respond', status: 204, body: 'x' }, undefined],
      ['a negative delay', { kind: 'delay', ms: -1 }, undefined],
      ['a NaN delay', { kind: 'delay', ms: Number.NaN }, undefined],
      ['a delay beyond the timer range', { kind: 'delay', ms: 2 ** 31 }, undefined],
      ['a non-boolean afterProcessing', { kind: 'reset', afterProcessing: 'yes' as unknown as boolean }, undefined],
      ['an unknown kind', { kind: 'explode' } as unknown as EmulatorFault, undefined],
    ])('throws a RangeError for %s and queues nothing', async (_label, fault, options) => {
      const emulator = createPushEmulator();
      expect(() => emulator.injectFault(fault, options)).toThrow(RangeError);
      expect(await sendStatus(emulator, [tok('a')])).toBe(200);
    });

    it('uses the fault as it was when injected, not as later edited', async () => {
      const emulator = createPushEmulator();
      const fault = { kind: 'respond' as const, status: 503, headers: { 'x-a': '1' }, body: 'before' };
      emulator.injectFault(fault);
      fault.status = 200;
      fault.headers['x-a'] = '2';
      fault.body = 'after';
      expect(await seen(await emulator.fetch(SEND, sendInit([tok('a')])))).toEqual({ status: 503, headers: { 'x-a': '1' }, body: 'before' });
    });
  });

  describe('injectFault with a delay fault', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('waits exactly ms before handling the request normally', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const emulator = createPushEmulator();
      emulator.injectFault({ kind: 'delay', ms: 1_000 });
      let settled = false;
      const pending = emulator.fetch(SEND, sendInit([tok('a')])).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(999);
      expect({ settled, notifications: emulator.notifications.length }).toEqual({ settled: false, notifications: 0 });
      await vi.advanceTimersByTimeAsync(1);
      expect(await seen(await pending)).toEqual({
        status: 200,
        headers: { 'content-type': JSON_TYPE },
        body: JSON.stringify({ data: [{ status: 'ok', id: emulator.notifications[0]?.id }] }),
      });
    });

    it('rejects with the signal reason, clears its timer and processes nothing when the client aborts', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const emulator = createPushEmulator();
      emulator.injectFault({ kind: 'delay', ms: 60_000 });
      const controller = new AbortController();
      const pending = emulator.fetch(SEND, sendInit([tok('a')], { signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(10);
      expect(vi.getTimerCount()).toBe(1);
      const reason = new Error('client gave up');
      controller.abort(reason);
      expect(await rejection(pending)).toBe(reason);
      expect({
        timers: vi.getTimerCount(),
        notifications: emulator.notifications,
        statuses: emulator.requests.map((r) => r.status),
        stats: emulator.stats,
      }).toEqual({
        timers: 0,
        notifications: [],
        statuses: [0],
        stats: { sendRequests: 1, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 0, faultsApplied: 1 },
      });
    });

    it('rejects with TimeoutError when the client uses AbortSignal.timeout against an endless delay', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault({ kind: 'delay', ms: Infinity });
      const error = await rejection(emulator.fetch(SEND, sendInit([tok('a')], { signal: AbortSignal.timeout(5) })));
      expect({ isDomException: error instanceof DOMException, name: (error as DOMException).name }).toEqual({ isDomException: true, name: 'TimeoutError' });
      expect(emulator.notifications).toEqual([]);
    });

    it('rejects at once with the reason when the signal is already aborted', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault({ kind: 'delay', ms: 60_000 });
      const reason = new Error('already cancelled');
      expect(await rejection(emulator.fetch(SEND, sendInit([tok('a')], { signal: AbortSignal.abort(reason) })))).toBe(reason);
    });
  });

  describe('injectFault with a reset fault', () => {
    it('rejects like undici after accepting the notifications and storing their receipts by default', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault({ kind: 'reset' });
      const body = JSON.stringify([{ to: [tok('a'), tok('b')] }]);
      const error = await rejection(emulator.fetch(SEND, { method: 'POST', body }));
      expect(resetShape(error)).toEqual(RESET_SHAPE);
      const ids = emulator.notifications.map((n) => n.id);
      const receipts = await (await emulator.fetch(RECEIPTS, receiptsInit(ids))).json();
      expect({
        accepted: emulator.notifications.map((n) => n.token),
        receipts,
        requests: emulator.requests.map(({ endpoint, bodyText, status }) => ({ endpoint, bodyText, status })),
      }).toEqual({
        accepted: [tok('a'), tok('b')],
        receipts: { data: { [ids[0] as string]: { status: 'ok' }, [ids[1] as string]: { status: 'ok' } } },
        requests: [
          { endpoint: 'send', bodyText: body, status: 0 },
          { endpoint: 'receipts', bodyText: JSON.stringify({ ids }), status: 200 },
        ],
      });
    });

    it('rejects the same way without accepting anything when afterProcessing is false', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.resetBeforeProcessing);
      const body = JSON.stringify([{ to: [tok('a')] }]);
      const error = await rejection(emulator.fetch(SEND, { method: 'POST', body }));
      expect({
        shape: resetShape(error),
        notifications: emulator.notifications,
        requests: emulator.requests.map(({ bodyText, status }) => ({ bodyText, status })),
        stats: emulator.stats,
      }).toEqual({
        shape: RESET_SHAPE,
        notifications: [],
        requests: [{ bodyText: body, status: 0 }],
        stats: { sendRequests: 1, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 0, faultsApplied: 1 },
      });
    });

    it('accepts the notifications with the resetAfterProcessing preset', async () => {
      const emulator = createPushEmulator();
      emulator.injectFault(EMULATOR_FAULTS.resetAfterProcessing);
      await rejection(emulator.fetch(SEND, sendInit([tok('a')])));
      expect(emulator.notifications.map((n) => n.token)).toEqual([tok('a')]);
    });
  });

  describe('rateLimit option', () => {
    const limited = (perSecond: number, extra: PushEmulatorOptions = {}) => {
      const time = clock();
      return { time, emulator: createPushEmulator({ rateLimit: { perSecond }, now: time.now, ...extra }) };
    };

    it('admits a burst of perSecond recipients, then refills continuously at perSecond per second', async () => {
      const { time, emulator } = limited(10);
      const statuses: Array<[string, number]> = [];
      const step = async (label: string, count: number) => statuses.push([label, await sendStatus(emulator, tokens(count, `s${statuses.length}-`))]);
      await step('burst of 10', 10);
      await step('one more at once', 1);
      time.advance(100); // +1 token
      await step('one after 100 ms', 1);
      await step('another at once', 1);
      time.advance(250); // +2.5 tokens
      await step('three after 250 ms', 3);
      await step('two instead', 2);
      await step('one with half a token left', 1);
      time.advance(50); // 0.5 + 0.5
      await step('one after 50 ms more', 1);
      time.advance(60_000); // refills to capacity, never beyond
      await step('eleven after a minute', 11);
      await step('ten after a minute', 10);
      await step('one more at once again', 1);
      expect(statuses).toEqual([
        ['burst of 10', 200],
        ['one more at once', 429],
        ['one after 100 ms', 200],
        ['another at once', 429],
        ['three after 250 ms', 429],
        ['two instead', 200],
        ['one with half a token left', 429],
        ['one after 50 ms more', 200],
        ['eleven after a minute', 429],
        ['ten after a minute', 200],
        ['one more at once again', 429],
      ]);
      expect(emulator.stats).toEqual({ sendRequests: 11, receiptRequests: 0, rateLimited: 6, recipientsAccepted: 24, faultsApplied: 0 });
    });

    it('refuses the whole request with the service body and no Retry-After, accepting nothing', async () => {
      const { emulator } = limited(3);
      await sendStatus(emulator, tokens(2, 'first'));
      const refused = await seen(await emulator.fetch(SEND, sendInit(tokens(2, 'second'))));
      expect(refused).toEqual({
        status: 429,
        headers: { 'content-type': JSON_TYPE },
        body: '{"errors":[{"code":"TOO_MANY_REQUESTS","message":"Exceeded 3 notifications per second, please try again."}]}',
      });
      expect(emulator.notifications.map((n) => n.token)).toEqual(tokens(2, 'first'));
    });

    it('uses the observed message verbatim at the service rate of 600', async () => {
      const { emulator } = limited(600);
      for (let n = 0; n < 6; n++) await sendStatus(emulator, tokens(100, `r${n}-`));
      expect(await (await emulator.fetch(SEND, sendInit([tok('over')]))).text()).toBe(TOO_MANY_600);
    });

    it('adds Retry-After when retryAfterSeconds is set', async () => {
      const time = clock();
      const emulator = createPushEmulator({ rateLimit: { perSecond: 1, retryAfterSeconds: 7 }, now: time.now });
      await sendStatus(emulator, [tok('a')]);
      const refused = await emulator.fetch(SEND, sendInit([tok('b')]));
      expect({ status: refused.status, retryAfter: refused.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '7' });
    });

    it('refuses a request with more recipients than perSecond however long the bucket refilled', async () => {
      const { time, emulator } = limited(5);
      const first = await sendStatus(emulator, tokens(6));
      time.advance(3_600_000);
      const second = await sendStatus(emulator, tokens(6));
      const fits = await sendStatus(emulator, tokens(5));
      expect([first, second, fits]).toEqual([429, 429, 200]);
    });

    it('counts every recipient of every message, malformed and unregistered tokens included', async () => {
      const { emulator } = limited(4, { unregisteredTokens: [tok('gone')] });
      const body = JSON.stringify([{ to: [tok('a'), 'not-a-token'] }, { to: tok('gone') }, { to: [tok('b')] }]);
      const ok = (await emulator.fetch(SEND, { method: 'POST', body })).status;
      expect({ ok, next: await sendStatus(emulator, [tok('c')]), accepted: emulator.stats.recipientsAccepted }).toEqual({ ok: 200, next: 429, accepted: 2 });
    });

    it('never limits or charges receipt requests', async () => {
      const { time, emulator } = limited(2);
      await sendStatus(emulator, tokens(2));
      const receipts = [];
      for (let n = 0; n < 3; n++) receipts.push((await emulator.fetch(RECEIPTS, receiptsInit([]))).status);
      time.advance(1_000);
      expect({ receipts, send: await sendStatus(emulator, tokens(2, 'again')) }).toEqual({ receipts: [200, 200, 200], send: 200 });
    });

    it('answers an invalid request with its 400 and charges nothing for it', async () => {
      const { emulator } = limited(2);
      const invalid = (await emulator.fetch(SEND, { method: 'POST', body: JSON.stringify([{ to: [tok('a'), tok('b')], badge: 'x' }]) })).status;
      expect({ invalid, valid: await sendStatus(emulator, tokens(2)) }).toEqual({ invalid: 400, valid: 200 });
    });

    it('refills the bucket on reset', async () => {
      const { emulator } = limited(2);
      await sendStatus(emulator, tokens(2));
      emulator.reset();
      expect(await sendStatus(emulator, tokens(2))).toBe(200);
    });

    it('mints no tokens when the injected clock runs backwards', async () => {
      const { time, emulator } = limited(10);
      await sendStatus(emulator, tokens(10));
      time.advance(-5_000);
      const rewound = await sendStatus(emulator, [tok('a')]);
      time.advance(5_100); // back to 100 ms after the burst: 1 token
      expect({ rewound, after: await sendStatus(emulator, [tok('b')]), more: await sendStatus(emulator, [tok('c')]) }).toEqual({
        rewound: 429,
        after: 200,
        more: 429,
      });
    });

    it('lets a test check from notifications how many recipients any 1-second window saw', async () => {
      const { time, emulator } = limited(10);
      // A sender pacing itself at 5 recipients every 500 ms stays within 10 per second.
      for (let n = 0; n < 8; n++) {
        expect(await sendStatus(emulator, tokens(5, `p${n}-`))).toBe(200);
        time.advance(500);
      }
      expect(maxInWindow(emulator.notifications, 1_000)).toBe(10);
      // The bucket itself admits a full burst plus its refill: 10 + 9 within one second.
      emulator.reset();
      time.advance(1_000);
      await sendStatus(emulator, tokens(10, 'burst'));
      time.advance(999);
      expect(await sendStatus(emulator, tokens(9, 'refill'))).toBe(200);
      expect(maxInWindow(emulator.notifications, 1_000)).toBe(19);
    });

    it('keeps counting when record is off', async () => {
      const { emulator } = limited(1, { record: false });
      await sendStatus(emulator, [tok('a')]);
      await sendStatus(emulator, [tok('b')]);
      await emulator.fetch(RECEIPTS, receiptsInit([]));
      expect({ stats: emulator.stats, notifications: emulator.notifications }).toEqual({
        stats: { sendRequests: 2, receiptRequests: 1, rateLimited: 1, recipientsAccepted: 1, faultsApplied: 0 },
        notifications: [],
      });
    });

    it.each<[string, PushEmulatorOptions['rateLimit']]>([
      ['perSecond 0', { perSecond: 0 }],
      ['perSecond below 1', { perSecond: 0.5 }],
      ['perSecond NaN', { perSecond: Number.NaN }],
      ['perSecond Infinity', { perSecond: Infinity }],
      ['fractional retryAfterSeconds', { perSecond: 10, retryAfterSeconds: 1.5 }],
      ['negative retryAfterSeconds', { perSecond: 10, retryAfterSeconds: -1 }],
    ])('throws a RangeError for %s', (_label, rateLimit) => {
      expect(() => createPushEmulator({ rateLimit })).toThrow(RangeError);
    });

    it('limits nothing when rateLimit is false', async () => {
      const emulator = createPushEmulator({ rateLimit: false });
      const statuses = [];
      for (let n = 0; n < 8; n++) statuses.push(await sendStatus(emulator, tokens(100, `x${n}-`)));
      expect(statuses).toEqual(Array(8).fill(200));
    });
  });
});

describe('tooManyRequestsFault', () => {
  it('builds the 429 with a Retry-After header when given seconds, and without one otherwise', () => {
    expect([tooManyRequestsFault(30), tooManyRequestsFault()]).toEqual([
      { kind: 'respond', status: 429, headers: { 'retry-after': '30', 'content-type': JSON_TYPE }, body: TOO_MANY_600 },
      { kind: 'respond', status: 429, headers: { 'content-type': JSON_TYPE }, body: TOO_MANY_600 },
    ]);
  });
});

describe('isEmulatorConnectionReset', () => {
  it('recognises an injected reset and nothing that merely looks like one', async () => {
    const emulator = createPushEmulator();
    emulator.injectFault({ kind: 'reset' });
    const injected = await rejection(emulator.fetch(SEND, sendInit([tok('a')])));
    const lookalike = new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    expect([injected, lookalike, null, 'fetch failed', undefined].map(isEmulatorConnectionReset)).toEqual([true, false, false, false, false]);
  });
});

/** A raw POST through node:http, to see a response body exactly as written on the wire. */
function rawPost(url: string, body: string): Promise<{ status: number; bytes: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'accept-encoding': 'gzip' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks).toString('latin1') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serveEmulator', () => {
  let server: EmulatorServer;
  let emulator: PushEmulator;
  const post = (path: string, init: RequestInit) => fetch(`${server.url}${path}`, init);

  beforeAll(async () => {
    server = await serveEmulator();
    emulator = server.emulator;
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    emulator.reset();
  });

  it.each(PRESETS)('passes the %s preset through to a real fetch', async (name, status, headers, body) => {
    emulator.injectFault(EMULATOR_FAULTS[name]);
    const response = await post(SEND_PATH, sendInit([tok('a')]));
    const { headers: all, ...rest } = await seen(response);
    expect({ ...rest, contentType: all['content-type'], retryAfter: all['retry-after'] }).toEqual({
      status,
      body,
      contentType: headers['content-type'],
      retryAfter: undefined,
    });
    expect({ notifications: emulator.notifications, statuses: emulator.requests.map((r) => r.status) }).toEqual({ notifications: [], statuses: [status] });
  });

  it('sends exactly the fault headers, plus the ones HTTP itself needs, when gzip is not accepted', async () => {
    emulator.injectFault(tooManyRequestsFault(5));
    const response = await post(SEND_PATH, sendInit([tok('a')], { headers: { 'accept-encoding': 'identity' } }));
    expect(await seen(response)).toEqual({
      status: 429,
      headers: {
        'content-type': JSON_TYPE,
        'retry-after': '5',
        'content-length': String(TOO_MANY_600.length),
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        date: expect.any(String),
      },
      body: TOO_MANY_600,
    });
  });

  it('answers the rate limit 429 with Retry-After over HTTP', async () => {
    const time = clock();
    const limitedServer = await serveEmulator({ rateLimit: { perSecond: 2, retryAfterSeconds: 1 }, now: time.now });
    try {
      const first = await fetch(`${limitedServer.url}${SEND_PATH}`, sendInit(tokens(2)));
      const second = await fetch(`${limitedServer.url}${SEND_PATH}`, sendInit([tok('x')]));
      expect([
        { status: first.status, body: await first.json() },
        { status: second.status, retryAfter: second.headers.get('retry-after'), body: await second.json() },
      ]).toEqual([
        { status: 200, body: { data: [{ status: 'ok', id: AN_ID }, { status: 'ok', id: AN_ID }] } },
        { status: 429, retryAfter: '1', body: { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Exceeded 2 notifications per second, please try again.' }] } },
      ]);
    } finally {
      await limitedServer.close();
    }
  });

  it('writes a fault body that declares its own content-encoding as is, without gzipping it again', async () => {
    emulator.injectFault({ kind: 'respond', status: 200, headers: { 'content-encoding': 'gzip' }, body: 'not gzip' });
    expect(await rawPost(`${server.url}${SEND_PATH}`, '[]')).toEqual({ status: 200, bytes: 'not gzip' });
  });

  it('handles a delayed request normally once the delay is over', async () => {
    emulator.injectFault({ kind: 'delay', ms: 20 });
    const response = await post(SEND_PATH, sendInit([tok('a')]));
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { data: [{ status: 'ok', id: AN_ID }] } });
  });

  it('holds a delayed request unprocessed, drops it when the client aborts, and keeps serving', async () => {
    emulator.injectFault({ kind: 'delay', ms: 600_000 }, { endpoint: 'send' });
    const controller = new AbortController();
    const delayed = post(SEND_PATH, sendInit([tok('delayed')], { signal: controller.signal }));
    // Another request overtakes the delayed one: it was received but not processed.
    await vi.waitFor(() => expect(emulator.stats.sendRequests).toBe(1));
    const overtaking = await post(SEND_PATH, sendInit([tok('overtaking')]));
    await overtaking.arrayBuffer();
    expect(emulator.notifications.map((n) => n.token)).toEqual([tok('overtaking')]);

    const reason = new Error('client timeout');
    controller.abort(reason);
    expect(await rejection(delayed)).toBe(reason);
    // The server sees the hang-up, stops waiting and logs the request as never answered.
    await vi.waitFor(() => expect(emulator.requests.map((r) => r.status)).toEqual([200, 0]), { timeout: 5_000 });
    expect(emulator.notifications.map((n) => n.token)).toEqual([tok('overtaking')]);
    expect(await (await post(SEND_PATH, sendInit([tok('after')]))).json()).toEqual({ data: [{ status: 'ok', id: AN_ID }] });
  });

  it('resets the connection after accepting the notifications, and keeps serving', async () => {
    emulator.injectFault({ kind: 'reset' });
    const error = await rejection(post(SEND_PATH, sendInit([tok('a'), tok('b')])));
    expect(resetShape(error)).toEqual(RESET_SHAPE);
    expect({ accepted: emulator.notifications.map((n) => n.token), statuses: emulator.requests.map((r) => r.status) }).toEqual({
      accepted: [tok('a'), tok('b')],
      statuses: [0],
    });
    const next = await post(SEND_PATH, sendInit([tok('c')]));
    expect({ status: next.status, body: await next.json() }).toEqual({ status: 200, body: { data: [{ status: 'ok', id: AN_ID }] } });
  });

  it('resets the connection without accepting anything when afterProcessing is false', async () => {
    emulator.injectFault({ kind: 'reset', afterProcessing: false });
    const error = await rejection(post(SEND_PATH, sendInit([tok('a')])));
    expect({ isTypeError: error instanceof TypeError, notifications: emulator.notifications, statuses: emulator.requests.map((r) => r.status) }).toEqual({
      isTypeError: true,
      notifications: [],
      statuses: [0],
    });
    expect((await post(RECEIPTS_PATH, receiptsInit([]))).status).toBe(200);
  });

  it('ends a pending delay when the server closes, so nothing outlives it', async () => {
    const own = await serveEmulator();
    own.emulator.injectFault({ kind: 'delay', ms: Infinity });
    const pending = fetch(`${own.url}${SEND_PATH}`, sendInit([tok('a')]));
    await vi.waitFor(() => expect(own.emulator.stats.sendRequests).toBe(1));
    await own.close();
    expect(await rejection(pending)).toBeInstanceOf(TypeError);
    await vi.waitFor(() => expect(own.emulator.requests.map((r) => r.status)).toEqual([0]), { timeout: 5_000 });
    expect(own.emulator.notifications).toEqual([]);
  });
});
