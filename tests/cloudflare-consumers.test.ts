import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { json, okTickets, scriptedFetch, type SeenRequest, token } from './helpers/scripted-fetch.ts';
import { createReceiptConsumer, createSendConsumer, type QueueMessage, type ReceiptQueueBody, type SendConsumerOptions } from './cloudflare-entry.ts';

const ACCESS_TOKEN = 'secret-access-token-123';

/** A batch of fake queue messages that records what the consumer did with each. */
function batchOf(bodies: readonly unknown[], attempts: unknown = 1) {
  const settled: Array<{ id: string; action: 'ack' } | { id: string; action: 'retry'; delaySeconds: number | undefined }> = [];
  const messages: QueueMessage[] = bodies.map((body, n) => ({
    id: `m${n}`,
    timestamp: new Date(0),
    body,
    attempts: attempts as number,
    ack: () => void settled.push({ id: `m${n}`, action: 'ack' }),
    retry: (options) => void settled.push({ id: `m${n}`, action: 'retry', delaySeconds: options?.delaySeconds }),
  }));
  return { batch: { queue: 'expo-push', messages }, settled };
}

/** A receipts queue producer that records what it was given. */
function receiptsQueue() {
  const sent: unknown[] = [];
  return { sent, queue: { send: async () => undefined, sendBatch: async (list: Iterable<unknown>) => void sent.push(...list) } };
}

/** A rate limiter namespace that grants everything and records the paths asked. */
function grantingLimiter() {
  const paths: string[] = [];
  const namespace = {
    idFromName: (name: string) => name,
    get: () => ({
      fetch: async (input: Request | string) => {
        paths.push(new URL(String(input)).pathname);
        return String(input).endsWith('/grant') ? Response.json({ granted: true, grantId: 1 }) : new Response(null, { status: 204 });
      },
    }),
  };
  return { paths, namespace };
}

type Env = { EXPO_ACCESS_TOKEN?: string };
const body = (n: number) => ({ to: token(n), body: `hello ${n}` });
const dnr = () => json({ data: [{ status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } }] });

let warn: MockInstance<typeof console.warn>;
let error: MockInstance<typeof console.error>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('createSendConsumer', () => {
  const minimal = (extra: Partial<SendConsumerOptions<Env>> = {}): SendConsumerOptions<Env> => ({ receiptsQueue: receiptsQueue().queue, rateLimit: false, ...extra });

  it('throws a TypeError that says what to pass when called without options', () => {
    expect(() => (createSendConsumer as (options?: unknown) => unknown)()).toThrow(
      new TypeError(
        'createSendConsumer() expects options such as { receiptsQueue: (env) => env.PUSH_RECEIPTS, rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER } } (got undefined)',
      ),
    );
  });

  it('throws a TypeError when rateLimit is missing, true, or without a namespace', () => {
    const how = 'rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER } (a PushRateLimiter Durable Object binding), or rateLimit: false to send without project-wide pacing';
    const create = (rateLimit: unknown) => () => createSendConsumer({ receiptsQueue: receiptsQueue().queue, rateLimit } as never);
    expect(create(undefined)).toThrow(new TypeError(`createSendConsumer() needs ${how} (got undefined)`));
    expect(create(true)).toThrow(new TypeError(`createSendConsumer() needs ${how} (got true)`));
    expect(create({})).toThrow(new TypeError(`rateLimit.namespace is missing: set ${how}`));
    expect(create({ namespace: undefined })).toThrow(new TypeError(`rateLimit.namespace is missing: set ${how}`));
    expect(create({ namespace: {} })).toThrow(
      new TypeError('rateLimit.namespace must be a Durable Object namespace binding with idFromName() and get(), or a function of env returning one (got an object without any methods)'),
    );
    expect(create({ namespace: () => undefined, perSecnd: 5 })).toThrow(
      new TypeError('Unknown rateLimit option "perSecnd" (did you mean "perSecond"?); known: namespace, perSecond, windowMs, leaseMs, name'),
    );
    expect(create({ namespace: () => undefined, perSecond: '600' })).toThrow(new TypeError('rateLimit.perSecond must be a positive number (got "600")'));
  });

  it('throws a TypeError naming the maximum when rateLimit.windowMs or leaseMs is too long', () => {
    const create = (extra: object) => () => createSendConsumer({ receiptsQueue: receiptsQueue().queue, rateLimit: { namespace: () => undefined as never, ...extra } });
    expect(create({ windowMs: 60_001 })).toThrow(new TypeError('rateLimit.windowMs must be at most 60000 milliseconds (one minute) (got 60001)'));
    expect(create({ leaseMs: 3_600_001 })).toThrow(new TypeError('rateLimit.leaseMs must be at most 3600000 milliseconds (one hour) (got 3600001)'));
    expect(create({ windowMs: Number.POSITIVE_INFINITY })).toThrow(new TypeError('rateLimit.windowMs must be a positive number of milliseconds (got Infinity)'));
    expect(create({ windowMs: 60_000, leaseMs: 3_600_000 })).not.toThrow();
  });

  it('throws a TypeError when backoff.baseDelaySeconds exceeds backoff.maxDelaySeconds', () => {
    expect(() => createSendConsumer(minimal({ backoff: { baseDelaySeconds: 600, maxDelaySeconds: 10 } }))).toThrow(
      new TypeError('backoff.baseDelaySeconds (600) must not exceed backoff.maxDelaySeconds (10)'),
    );
    expect(() => createReceiptConsumer({ backoff: { baseDelaySeconds: 600 } })).toThrow(
      new TypeError('backoff.baseDelaySeconds (600) must not exceed the default backoff.maxDelaySeconds (300)'),
    );
  });

  it('throws a TypeError naming the option and showing the value when an option is unknown or invalid', () => {
    const attempt = (extra: Record<string, unknown>) => () => createSendConsumer(minimal(extra as never));
    expect(attempt({ receiptQueue: 1 })).toThrow(
      new TypeError(
        'Unknown createSendConsumer() option "receiptQueue" (did you mean "receiptsQueue"?); known: client, receiptsQueue, receiptDelaySeconds, rateLimit, receiptScheduleAttempts, onInvalidToken, onCredentialProblem, onDeliveryError, onInvalidMessage, onUnknownOutcome, onReceiptsScheduled, onReceiptsNotScheduled, onError, unknownOutcome, poisonMessages, backoff',
      ),
    );
    expect(attempt({ receiptDelaySeconds: '900' })).toThrow(new TypeError('receiptDelaySeconds must be a non-negative number of seconds (got "900")'));
    expect(attempt({ receiptDelaySeconds: -1 })).toThrow(new TypeError('receiptDelaySeconds must be a non-negative number of seconds (got -1)'));
    expect(attempt({ receiptDelaySeconds: 50_000 })).toThrow(
      new TypeError('receiptDelaySeconds must be at most 43200 seconds (12 hours), the longest delay Cloudflare Queues accept (got 50000)'),
    );
    expect(attempt({ receiptScheduleAttempts: 0 })).toThrow(new TypeError('receiptScheduleAttempts must be a positive integer (got 0)'));
    expect(attempt({ unknownOutcome: 'resend' })).toThrow(new TypeError(`unknownOutcome must be 'ack' or 'retry' (got "resend")`));
    expect(attempt({ poisonMessages: 'dlq' })).toThrow(new TypeError(`poisonMessages must be 'ack' or 'dead-letter' (got "dlq")`));
    expect(attempt({ onInvalidToken: 'delete' })).toThrow(new TypeError('onInvalidToken must be a function (got "delete")'));
    expect(attempt({ onError: {} })).toThrow(new TypeError('onError must be a function (got an object)'));
    expect(attempt({ backoff: { baseDelaySecond: 1 } })).toThrow(
      new TypeError('Unknown backoff option "baseDelaySecond" (did you mean "baseDelaySeconds"?); known: baseDelaySeconds, maxDelaySeconds'),
    );
    expect(attempt({ backoff: { maxDelaySeconds: 86_400 } })).toThrow(
      new TypeError('backoff.maxDelaySeconds must be at most 43200 seconds (12 hours), the longest delay Cloudflare Queues accept (got 86400)'),
    );
    expect(attempt({ receiptsQueue: undefined })).toThrow(new TypeError('receiptsQueue is required: the producer binding of the receipts queue, such as (env) => env.PUSH_RECEIPTS'));
    expect(attempt({ receiptsQueue: 'PUSH_RECEIPTS' })).toThrow(
      new TypeError('receiptsQueue must be a queue producer binding with sendBatch(), or a function of env returning one (got string)'),
    );
  });

  it('refuses a client option that is neither an object nor a function, without showing its value', () => {
    expect(() => createSendConsumer(minimal({ client: ACCESS_TOKEN as never }))).toThrow(
      new TypeError('client must be PushClient options, an object such as { baseUrl } (got string)'),
    );
    expect(() => createSendConsumer(minimal({ client: { acessToken: 'x' } as never }))).toThrow(
      new TypeError(
        'Unknown PushClient option "acessToken" (did you mean "accessToken"?); known: accessToken, baseUrl, fetch, concurrency, gzipThreshold, timeoutMs, allowHttp, retry, hooks, rateLimit',
      ),
    );
    expect(() => createSendConsumer(minimal({ client: { accessToken: `${ACCESS_TOKEN}\n` } }))).toThrow(
      new TypeError('accessToken contains characters an HTTP header cannot carry (whitespace, a line break, or non-ASCII)'),
    );
  });

  it('throws out of queue() before sending or settling anything when the client cannot be built', async () => {
    const service = scriptedFetch(okTickets);
    const consumer = createSendConsumer<Env>(minimal({ client: () => ({ fetch: service.fetch, baseUrl: 'http://example.com' }) }));
    const { batch, settled } = batchOf([body(0)]);
    const rejection = await consumer.queue(batch, {}).catch((e: unknown) => e);
    expect(rejection).toBeInstanceOf(TypeError);
    expect(service.seen).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('throws out of queue() before sending when the receipts queue or the rate limiter binding resolves to nothing', async () => {
    const service = scriptedFetch(okTickets);
    const client = { fetch: service.fetch };
    const noReceipts = createSendConsumer<Env>({ client, receiptsQueue: () => undefined as never, rateLimit: false });
    const { batch, settled } = batchOf([body(0)]);
    await expect(noReceipts.queue(batch, {})).rejects.toThrow(
      new TypeError("receiptsQueue resolved to undefined, not a queue producer with sendBatch(): check the receipts queue's producer binding"),
    );
    const noLimiter = createSendConsumer<Env>({ client, receiptsQueue: receiptsQueue().queue, rateLimit: { namespace: () => undefined as never } });
    await expect(noLimiter.queue(batch, {})).rejects.toThrow(
      new TypeError(
        'rateLimit.namespace resolved to undefined, not a Durable Object namespace with idFromName() and get(): bind the PushRateLimiter class, or set rateLimit: false to send without project-wide pacing',
      ),
    );
    expect(service.seen).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('throws out of queue() before asking the rate limiter or sending when a message’s attempts is not a positive integer', async () => {
    const service = scriptedFetch(okTickets);
    const limiter = grantingLimiter();
    const consumer = createSendConsumer<Env>({ client: { fetch: service.fetch }, receiptsQueue: receiptsQueue().queue, rateLimit: { namespace: limiter.namespace } });
    const { batch, settled } = batchOf([body(0), body(1)], 0);
    await expect(consumer.queue(batch, {})).rejects.toThrow(new TypeError('createSendConsumer().queue() messages[0].attempts must be a positive integer (got 0)'));
    expect(limiter.paths).toEqual([]);
    expect(service.seen).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('throws a TypeError naming the expected batch before sending when queue() is given no batch, or one without messages', async () => {
    const service = scriptedFetch(okTickets);
    const consumer = createSendConsumer<Env>(minimal({ client: { fetch: service.fetch } }));
    const expects = "createSendConsumer().queue() expects a queue batch with a messages array, as a Worker's queue() handler receives it";
    await expect(consumer.queue(undefined as never, {})).rejects.toThrow(new TypeError(`${expects} (got undefined)`));
    await expect(consumer.queue({ queue: 'x' } as never, {})).rejects.toThrow(new TypeError(`${expects} (got an object with keys queue)`));
    await expect(consumer.queue({ queue: 'x', messages: [{ id: 'm0', attempts: 1, body: body(0) }] } as never, {})).rejects.toThrow(
      new TypeError('createSendConsumer().queue() messages[0] must be a queue message with ack() and retry()'),
    );
    expect(service.seen).toEqual([]);
  });

  it('throws out of queue() before sending when the rate limiter gives an unreadable answer', async () => {
    const service = scriptedFetch(okTickets);
    const answering = (text: string) => ({
      idFromName: (name: string) => name,
      get: () => ({ fetch: async () => new Response(text, { headers: { 'content-type': 'application/json' } }) }),
    });
    const problemOf = async (text: string) => {
      const consumer = createSendConsumer<Env>({ client: { fetch: service.fetch }, receiptsQueue: receiptsQueue().queue, rateLimit: { namespace: answering(text) } });
      const { batch, settled } = batchOf([body(0)]);
      const rejection = await consumer.queue(batch, {}).catch((e: unknown) => e);
      expect(settled).toEqual([]);
      return rejection;
    };
    const unreadable = 'The push rate limiter gave an unreadable answer: ';
    expect(await problemOf('{"granted":false,"retryAfterMs":-5}')).toEqual(new Error(`${unreadable}retryAfterMs must be a finite number of milliseconds, 0 or more (got -5)`));
    expect(await problemOf('{"granted":false,"retryAfterMs":1e400}')).toEqual(new Error(`${unreadable}retryAfterMs must be a finite number of milliseconds, 0 or more (got Infinity)`));
    expect(await problemOf('{"granted":false,"retryAfterMs":null}')).toEqual(new Error(`${unreadable}retryAfterMs must be a finite number of milliseconds, 0 or more (got null)`));
    expect(await problemOf('{"granted":true,"grantId":"7"}')).toEqual(new Error(`${unreadable}grantId must be a positive integer (got "7")`));
    expect(await problemOf('{"allowed":true}')).toEqual(new Error(`${unreadable}expected { granted: true, grantId } or { granted: false, retryAfterMs } (got an object with keys allowed)`));
    expect(await problemOf('OK')).toEqual(new Error(`${unreadable}not JSON`));
    expect(service.seen).toEqual([]);
  });

  it('uses env.EXPO_ACCESS_TOKEN under the caller’s client options, which win when they set accessToken', async () => {
    const authorizationOf = async (client: SendConsumerOptions<Env>['client']) => {
      const service = scriptedFetch(okTickets);
      const withFetch = typeof client === 'function' ? (env: Env) => ({ ...client(env), fetch: service.fetch }) : { ...client, fetch: service.fetch };
      await createSendConsumer<Env>(minimal({ client: withFetch })).queue(batchOf([body(0)]).batch, { EXPO_ACCESS_TOKEN: ACCESS_TOKEN });
      return (service.seen[0] as SeenRequest).headers.authorization;
    };
    expect(await authorizationOf({})).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(await authorizationOf({ accessToken: 'callers-token' })).toBe('Bearer callers-token');
    expect(await authorizationOf((env) => ({ accessToken: env.EXPO_ACCESS_TOKEN === undefined ? 'x' : undefined }))).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(await authorizationOf({ accessToken: '' })).toBeUndefined();
  });

  it('acks as decided and logs to the console when onError itself throws', async () => {
    const service = scriptedFetch(dnr());
    const consumer = createSendConsumer<Env>(
      minimal({
        client: { fetch: service.fetch },
        onInvalidToken: () => {
          throw new Error('database down');
        },
        onError: () => {
          throw new Error('reporter down');
        },
      }),
    );
    const { batch, settled } = batchOf([body(0)]);
    await consumer.queue(batch, { EXPO_ACCESS_TOKEN: ACCESS_TOKEN });
    expect(settled).toEqual([{ id: 'm0', action: 'ack' }]);
    expect(error.mock.calls).toEqual([['expo-push-edge/cloudflare: the invalidToken callback threw, and so did onError', new Error('database down'), new Error('reporter down')]]);
    expect(JSON.stringify(error.mock.calls)).not.toContain(ACCESS_TOKEN);
  });

  it('writes one console.warn line per effect type when a notification was not delivered and no callback is set', async () => {
    const service = scriptedFetch(
      json({
        data: [
          { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } },
          { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } },
          { status: 'error', message: 'big', details: { error: 'MessageTooBig' } },
          { status: 'ok', id: 'r3' },
        ],
      }),
    );
    const receipts = receiptsQueue();
    const consumer = createSendConsumer<Env>({ client: { fetch: service.fetch }, receiptsQueue: receipts.queue, rateLimit: false });
    const { batch, settled } = batchOf([body(0), body(1), body(2), body(3), { to: 'not a token' }]);
    await consumer.queue(batch, { EXPO_ACCESS_TOKEN: ACCESS_TOKEN });
    expect(settled.map((s) => s.action)).toEqual(['ack', 'ack', 'ack', 'ack', 'ack']);
    expect(receipts.sent).toEqual([{ body: { id: 'r3', token: token(3) }, delaySeconds: 900, contentType: 'json' }]);
    expect(warn.mock.calls).toEqual([
      ['expo-push-edge/cloudflare: 2 recipients got DeviceNotRegistered and no onInvalidToken callback is set (queue message ids: m0, m1)'],
      ['expo-push-edge/cloudflare: 1 recipient got an error ticket (MessageTooBig) and no onDeliveryError callback is set (queue message ids: m2)'],
      ['expo-push-edge/cloudflare: 1 queue message could not be sent (not a valid push message, or refused as invalid) and no onInvalidMessage callback is set (queue message ids: m4)'],
    ]);
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/ExponentPushToken|hello|secret/);
  });

  it('writes the warning in the singular when one recipient is concerned', async () => {
    const service = scriptedFetch(dnr());
    await createSendConsumer<Env>(minimal({ client: { fetch: service.fetch } })).queue(batchOf([body(0)]).batch, {});
    expect(warn.mock.calls).toEqual([['expo-push-edge/cloudflare: 1 recipient got DeviceNotRegistered and no onInvalidToken callback is set (queue message ids: m0)']]);
  });

  it('writes no warning for an effect type that has a callback, and accepts callbacks that return any promise', async () => {
    const service = scriptedFetch(dnr());
    const deleted: string[] = [];
    // A D1-style callback returns Promise<D1Result>, not Promise<void>: it must type-check.
    const db = { run: async (t: string) => ({ success: true, meta: { changes: deleted.push(t) } }) };
    const consumer = createSendConsumer<Env>(minimal({ client: { fetch: service.fetch }, onInvalidToken: ({ token }) => db.run(token) }));
    await consumer.queue(batchOf([body(0)]).batch, {});
    expect(deleted).toEqual([token(0)]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('asks the rate limiter before sending and releases the grant after', async () => {
    const service = scriptedFetch(okTickets);
    const calls: Array<{ path: string; body: unknown }> = [];
    const namespace = {
      idFromName: (name: string) => name,
      get: () => ({
        fetch: async (input: Request | string, init?: RequestInit) => {
          calls.push({ path: new URL(String(input)).pathname, body: JSON.parse(String(init?.body)) });
          return String(input).endsWith('/grant') ? Response.json({ granted: true, grantId: 7 }) : new Response(null, { status: 204 });
        },
      }),
    };
    const consumer = createSendConsumer<Env>({ client: { fetch: service.fetch }, receiptsQueue: receiptsQueue().queue, rateLimit: { namespace, perSecond: 100 } });
    const { batch, settled } = batchOf([body(0), body(1)]);
    await consumer.queue(batch, {});
    expect(calls).toEqual([
      { path: '/grant', body: { count: 2, perSecond: 100, windowMs: 1000, leaseMs: 60_000 } },
      { path: '/release', body: { grantId: 7, windowMs: 1000 } },
    ]);
    expect(settled).toEqual([
      { id: 'm0', action: 'ack' },
      { id: 'm1', action: 'ack' },
    ]);
  });
});

describe('createReceiptConsumer', () => {
  const receiptBody = (n: number): ReceiptQueueBody => ({ id: `r${n}`, token: token(n) });

  it('throws a TypeError for unknown or invalid options', () => {
    expect(() => createReceiptConsumer({ maxReceiptAttempt: 3 } as never)).toThrow(
      new TypeError(
        'Unknown createReceiptConsumer() option "maxReceiptAttempt" (did you mean "maxReceiptAttempts"?); known: client, onDelivered, onInvalidToken, onCredentialProblem, onDeliveryError, onMissingReceipt, onInvalidMessage, onError, maxReceiptAttempts, receiptRetryDelaySeconds, backoff',
      ),
    );
    expect(() => createReceiptConsumer({ receiptRetryDelaySeconds: 43_201 })).toThrow(
      new TypeError('receiptRetryDelaySeconds must be at most 43200 seconds (12 hours), the longest delay Cloudflare Queues accept (got 43201)'),
    );
    expect(() => createReceiptConsumer({ maxReceiptAttempts: 1.5 })).toThrow(new TypeError('maxReceiptAttempts must be a positive integer (got 1.5)'));
    expect(() => createReceiptConsumer({ onMissingReceipt: null as never })).toThrow(new TypeError('onMissingReceipt must be a function (got null)'));
    expect(() => createReceiptConsumer({ client: 42 as never })).toThrow(new TypeError('client must be PushClient options, an object such as { baseUrl } (got number)'));
  });

  it('throws out of queue() before looking anything up when the client cannot be built', async () => {
    const service = scriptedFetch(json({ data: {} }));
    const consumer = createReceiptConsumer<Env>({ client: () => ({ fetch: service.fetch, accessToken: 'with space' }) });
    const { batch, settled } = batchOf([receiptBody(0)]);
    await expect(consumer.queue(batch, {})).rejects.toThrow(
      new TypeError('accessToken contains characters an HTTP header cannot carry (whitespace, a line break, or non-ASCII)'),
    );
    expect(service.seen).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('throws out of queue() before looking anything up when a message’s attempts is not a positive integer', async () => {
    const service = scriptedFetch(json({ data: {} }));
    const consumer = createReceiptConsumer<Env>({ client: { fetch: service.fetch } });
    const { batch, settled } = batchOf([receiptBody(0)], Number.NaN);
    await expect(consumer.queue(batch, {})).rejects.toThrow(new TypeError('createReceiptConsumer().queue() messages[0].attempts must be a positive integer (got NaN)'));
    expect(service.seen).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('throws a TypeError naming the expected batch before looking anything up when queue() is given no batch, or one without messages', async () => {
    const service = scriptedFetch(json({ data: {} }));
    const consumer = createReceiptConsumer<Env>({ client: { fetch: service.fetch } });
    const expects = "createReceiptConsumer().queue() expects a queue batch with a messages array, as a Worker's queue() handler receives it";
    await expect(consumer.queue(undefined as never, {})).rejects.toThrow(new TypeError(`${expects} (got undefined)`));
    await expect(consumer.queue({ queue: 'x' } as never, {})).rejects.toThrow(new TypeError(`${expects} (got an object with keys queue)`));
    expect(service.seen).toEqual([]);
  });

  it('calls onCredentialProblem per message and retries with backoff when the lookup is refused with 401', async () => {
    const service = scriptedFetch(json({ errors: [{ code: 'UNAUTHORIZED', message: 'bad access token' }] }, 401));
    const problems: unknown[] = [];
    const consumer = createReceiptConsumer<Env>({ client: { fetch: service.fetch }, onCredentialProblem: (effect) => void problems.push(effect) });
    const { batch, settled } = batchOf([receiptBody(0), receiptBody(1)]);
    await consumer.queue(batch, {});
    const reason = 'HTTP 401 from the Expo push service (receipts): UNAUTHORIZED: bad access token';
    expect(problems).toEqual([
      { type: 'credentialProblem', messageId: 'm0', id: 'r0', token: token(0), receipt: undefined, code: 'UNAUTHORIZED', reason },
      { type: 'credentialProblem', messageId: 'm1', id: 'r1', token: token(1), receipt: undefined, code: 'UNAUTHORIZED', reason },
    ]);
    expect(settled).toEqual([
      { id: 'm0', action: 'retry', delaySeconds: 2 },
      { id: 'm1', action: 'retry', delaySeconds: 2 },
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('writes one console.warn line, without tokens, when the lookup is refused with 401 and no onCredentialProblem callback is set', async () => {
    const service = scriptedFetch(json({ errors: [{ code: 'UNAUTHORIZED', message: 'bad access token' }] }, 401));
    const consumer = createReceiptConsumer<Env>({ client: { fetch: service.fetch } });
    const { batch, settled } = batchOf([receiptBody(0), receiptBody(1)]);
    await consumer.queue(batch, { EXPO_ACCESS_TOKEN: ACCESS_TOKEN });
    expect(settled.map((s) => s.action)).toEqual(['retry', 'retry']);
    expect(warn.mock.calls).toEqual([
      ['expo-push-edge/cloudflare: 2 receipt checks hit a push credential problem (UNAUTHORIZED) and no onCredentialProblem callback is set (queue message ids: m0, m1)'],
    ]);
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/ExponentPushToken|secret/);
  });

  it('looks receipts up with the env token and warns once per type for missing and failed receipts without callbacks', async () => {
    const service = scriptedFetch(json({ data: { r0: { status: 'ok' }, r1: { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } } } }));
    const delivered: string[] = [];
    const consumer = createReceiptConsumer<Env>({ client: { fetch: service.fetch }, maxReceiptAttempts: 1, onDelivered: ({ id }) => void delivered.push(id) });
    const { batch, settled } = batchOf([receiptBody(0), receiptBody(1), receiptBody(2)]);
    await consumer.queue(batch, { EXPO_ACCESS_TOKEN: ACCESS_TOKEN });
    expect((service.seen[0] as SeenRequest).headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(delivered).toEqual(['r0']);
    expect(settled.map((s) => s.action)).toEqual(['ack', 'ack', 'ack']);
    expect(warn.mock.calls).toEqual([
      ['expo-push-edge/cloudflare: 1 receipt said DeviceNotRegistered and no onInvalidToken callback is set (queue message ids: m1)'],
      ['expo-push-edge/cloudflare: 1 receipt was still missing after maxReceiptAttempts looks and no onMissingReceipt callback is set (queue message ids: m2)'],
    ]);
  });
});
