import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PushBatchError, PushNetworkError, PushRateLimitError, PushReceipt, PushServerError, PushTicket } from '../src/index.ts';
import {
  decideReceiptActions,
  decideSendActions,
  enqueuePushMessages,
  PushEnqueueError,
  PushValidationError,
  type QueueItem,
  PushRateLimiter,
  retryDelaySeconds,
  SlidingWindow,
} from './cloudflare-entry.ts';

const T = (n: number) => `ExponentPushToken[unit-${n}]`;
const item = (n: number, attempts = 1, body: unknown = { to: T(n), body: `hi ${n}` }): QueueItem => ({ id: `q${n}`, attempts, body });
const ticketFor = (i: QueueItem, init: { status: 'ok' | 'error'; id?: string; message?: string; details?: Record<string, unknown> }) =>
  new PushTicket({ ...init, token: (i.body as { to: string }).to, pushMessage: i.body as never });
const serverError = (status: number, extra: Partial<ConstructorParameters<typeof PushServerError>[1]> = {}) =>
  new PushServerError(`HTTP ${status}`, { endpoint: 'send', status, ...extra });

describe('decideSendActions', () => {
  it('acks ok tickets and schedules their receipts; routes error tickets by code', () => {
    const items = [item(0), item(1), item(2), item(3), item(4, 3)];
    const tickets = [
      ticketFor(items[0] as QueueItem, { status: 'ok', id: 'r0' }),
      ticketFor(items[1] as QueueItem, { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered', expoPushToken: T(1) } }),
      ticketFor(items[2] as QueueItem, { status: 'error', message: 'creds', details: { error: 'InvalidCredentials' } }),
      ticketFor(items[3] as QueueItem, { status: 'error', message: 'big', details: { error: 'MessageTooBig' } }),
      ticketFor(items[4] as QueueItem, { status: 'error', message: 'slow', details: { error: 'MessageRateExceeded' } }),
    ];
    const body = (n: number) => (items[n] as QueueItem).body;
    expect(decideSendActions(items, { tickets })).toEqual({
      actions: [{ action: 'ack' }, { action: 'ack' }, { action: 'ack' }, { action: 'ack' }, { action: 'retry', delaySeconds: 8 }],
      effects: [
        { type: 'scheduleReceipt', messageId: 'q0', receipt: { id: 'r0', token: T(0) } },
        { type: 'invalidToken', messageId: 'q1', token: T(1), message: body(1), code: 'DeviceNotRegistered' },
        { type: 'credentialProblem', messageId: 'q2', token: T(2), message: body(2), code: 'InvalidCredentials', reason: 'creds' },
        { type: 'deliveryError', messageId: 'q3', token: T(3), message: body(3), code: 'MessageTooBig', reason: 'big' },
      ],
    });
  });

  it('acks and reports bodies that are not push messages, or retries them towards the dead-letter queue', () => {
    const items = [item(0, 1, { to: 'nope' }), item(1, 1, 'a string'), item(2, 1, { to: [T(2), T(3)] }), item(3)];
    const tickets = [ticketFor(items[3] as QueueItem, { status: 'ok', id: 'r3' })];
    const decision = decideSendActions(items, { tickets });
    expect(decision.actions).toEqual([{ action: 'ack' }, { action: 'ack' }, { action: 'ack' }, { action: 'ack' }]);
    expect(decision.effects.map((e) => [e.type, e.messageId])).toEqual([
      ['invalidMessage', 'q0'],
      ['invalidMessage', 'q1'],
      ['invalidMessage', 'q2'],
      ['scheduleReceipt', 'q3'],
    ]);
    expect(decision.effects[2]).toMatchObject({ reason: 'to: a push queue message addresses exactly one token' });
    expect(decideSendActions(items, { tickets }, { poisonMessages: 'dead-letter' }).actions).toEqual([
      { action: 'retry', delaySeconds: 0 },
      { action: 'retry', delaySeconds: 0 },
      { action: 'retry', delaySeconds: 0 },
      { action: 'ack' },
    ]);
  });

  it('retries every valid message after the delay the rate limiter asked for', () => {
    const items = [item(0, 5), item(1, 1, 42)];
    expect(decideSendActions(items, { rateLimited: { retryAfterMs: 1300 } })).toEqual({
      actions: [{ action: 'retry', delaySeconds: 2 }, { action: 'ack' }],
      effects: [{ type: 'invalidMessage', messageId: 'q1', body: 42, reason: expect.any(String), issues: expect.any(Array) }],
    });
  });

  it('matches a PushBatchError to messages: tickets, a 429 (Retry-After honoured), a 401, a 400, an unknown outcome', () => {
    const items = [item(0), item(1, 2), item(2), item(3), item(4), item(5)];
    const recipient = (n: number) => ({ token: T(n), message: (items[n] as QueueItem).body as never });
    const error = new PushBatchError(
      [ticketFor(items[0] as QueueItem, { status: 'ok', id: 'r0' })],
      [
        { recipients: [recipient(1)], error: new PushRateLimitError('429', { endpoint: 'send', status: 429, retryAfterMs: 30_000 }) },
        { recipients: [recipient(2)], error: serverError(401) },
        { recipients: [recipient(3)], error: serverError(400, { code: 'PUSH_TOO_MANY_EXPERIENCE_IDS' }) },
        { recipients: [recipient(4)], error: new PushNetworkError('reset', 'send', true) },
        { recipients: [recipient(5)], error: new PushNetworkError('refused', 'send', false) },
      ],
    );
    const decision = decideSendActions(items, { error });
    expect(decision.actions).toEqual([
      { action: 'ack' },
      { action: 'retry', delaySeconds: 30 },
      { action: 'retry', delaySeconds: 2 },
      { action: 'ack' },
      { action: 'ack' },
      { action: 'retry', delaySeconds: 2 },
    ]);
    expect(decision.effects.map((e) => [e.type, e.messageId])).toEqual([
      ['scheduleReceipt', 'q0'],
      ['credentialProblem', 'q2'],
      ['invalidMessage', 'q3'],
      ['unknownOutcome', 'q4'],
    ]);
    expect(decision.effects[3]).toMatchObject({ resent: false, token: T(4) });
    // At-least-once: the unknown outcome is retried instead.
    const retried = decideSendActions(items, { error }, { unknownOutcome: 'retry' });
    expect(retried.actions[4]).toEqual({ action: 'retry', delaySeconds: 2 });
    expect(retried.effects[3]).toMatchObject({ type: 'unknownOutcome', resent: true });
  });

  it('treats an error that is not the service’s or the network’s as an unknown outcome for every message', () => {
    const items = [item(0), item(1)];
    const decision = decideSendActions(items, { error: new TypeError('boom') });
    expect(decision.actions).toEqual([{ action: 'ack' }, { action: 'ack' }]);
    expect(decision.effects.map((e) => e.type)).toEqual(['unknownOutcome', 'unknownOutcome']);
    // A 503 for the whole call: the service may have accepted it.
    expect(decideSendActions(items, { error: serverError(503, { outcomeUnknown: true }) }, { unknownOutcome: 'retry' }).actions).toEqual([
      { action: 'retry', delaySeconds: 2 },
      { action: 'retry', delaySeconds: 2 },
    ]);
    // A 429 for the whole call: nothing was accepted.
    expect(decideSendActions(items, { error: new PushRateLimitError('429', { endpoint: 'send', status: 429 }) }).effects).toEqual([]);
  });

  it('reports a message the tickets do not cover as an unknown outcome', () => {
    const decision = decideSendActions([item(0), item(1)], { tickets: [{ status: 'ok', id: 'r0', token: T(0) }] });
    expect(decision.actions).toEqual([{ action: 'ack' }, { action: 'ack' }]);
    expect(decision.effects.map((e) => e.type)).toEqual(['scheduleReceipt', 'unknownOutcome']);
  });

  it('property: every message gets exactly one action, and no recipient is dropped without an effect', () => {
    const kinds = ['ok', 'dnr', 'creds', 'big', 'rate', 'fail401', 'fail429', 'fail400', 'unknown', 'invalid'] as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 1, max: 20 })), { maxLength: 100 }), fc.constantFrom('ack', 'retry'), (plan, mode) => {
        const items = plan.map(([kind, attempts], n) => item(n, attempts, kind === 'invalid' ? { to: 5 } : { to: T(n), body: kind }));
        const tickets: PushTicket[] = [];
        const failures: Array<{ recipients: Array<{ token: string; message: never }>; error: unknown }> = [];
        plan.forEach(([kind], n) => {
          const i = items[n] as QueueItem;
          const fail = (error: unknown) => failures.push({ recipients: [{ token: T(n), message: i.body as never }], error });
          if (kind === 'ok') tickets.push(ticketFor(i, { status: 'ok', id: `r${n}` }));
          if (kind === 'dnr') tickets.push(ticketFor(i, { status: 'error', message: 'x', details: { error: 'DeviceNotRegistered' } }));
          if (kind === 'creds') tickets.push(ticketFor(i, { status: 'error', message: 'x', details: { error: 'InvalidCredentials' } }));
          if (kind === 'big') tickets.push(ticketFor(i, { status: 'error', message: 'x', details: { error: 'MessageTooBig' } }));
          if (kind === 'rate') tickets.push(ticketFor(i, { status: 'error', message: 'x', details: { error: 'MessageRateExceeded' } }));
          if (kind === 'fail401') fail(serverError(401));
          if (kind === 'fail429') fail(new PushRateLimitError('429', { endpoint: 'send', status: 429, retryAfterMs: 100_000_000 }));
          if (kind === 'fail400') fail(serverError(400));
          if (kind === 'unknown') fail(new PushNetworkError('timeout', 'send', true));
        });
        const decision = decideSendActions(items, failures.length ? { error: new PushBatchError(tickets, failures as never) } : { tickets }, { unknownOutcome: mode });
        expect(decision.actions).toHaveLength(items.length);
        for (const action of decision.actions) {
          if (action.action === 'retry') expect(action.delaySeconds).toBeGreaterThanOrEqual(0);
          if (action.action === 'retry') expect(action.delaySeconds).toBeLessThanOrEqual(43_200);
        }
        // Every acked message has exactly one effect that says what became of it.
        decision.actions.forEach((action, n) => {
          const effects = decision.effects.filter((e) => e.messageId === `q${n}`);
          if (action.action === 'ack') expect(effects).toHaveLength(1);
          else expect(effects.length).toBeLessThanOrEqual(1);
        });
      }),
    );
  });
});

describe('retryDelaySeconds', () => {
  it('doubles per attempt, caps, honours a longer requested delay, and clamps to 12 hours', () => {
    const backoff = { baseDelaySeconds: 2, maxDelaySeconds: 300 };
    expect([1, 2, 3, 4, 9, 10, 1000].map((a) => retryDelaySeconds(a, backoff))).toEqual([2, 4, 8, 16, 300, 300, 300]);
    expect(retryDelaySeconds(1, backoff, 4500)).toBe(5);
    expect(retryDelaySeconds(1, backoff, 1e12)).toBe(43_200);
    expect(retryDelaySeconds(1, { baseDelaySeconds: 0, maxDelaySeconds: 0 })).toBe(0);
  });
});

describe('decideReceiptActions', () => {
  const r = (n: number, attempts = 1) => ({ id: `q${n}`, attempts, body: { id: `r${n}`, token: T(n) } });
  const receipt = (n: number, init: { status: 'ok' | 'error'; message?: string; details?: Record<string, unknown> }) => new PushReceipt({ ...init, id: `r${n}`, token: T(n) });

  it('routes receipts by status and code, retries the missing ones, then reports them', () => {
    const items = [r(0), r(1), r(2), r(3), r(4), r(5), r(6, 4), { id: 'q7', attempts: 1, body: { id: '' } }];
    const receipts = [
      receipt(0, { status: 'ok' }),
      receipt(1, { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered', expoPushToken: 'ExponentPushToken[other]' } }),
      receipt(2, { status: 'error', message: 'sender', details: { error: 'ProviderError', fcm: { error: 'MismatchSenderId' } } }),
      receipt(3, { status: 'error', message: 'slow', details: { error: 'MessageRateExceeded' } }),
      receipt(4, { status: 'error', message: 'big', details: { error: 'MessageTooBig' } }),
    ];
    const decision = decideReceiptActions(items, { receipts }, { maxReceiptAttempts: 4, receiptRetryDelaySeconds: 60 });
    expect(decision).toEqual({
      actions: [{ action: 'ack' }, { action: 'ack' }, { action: 'ack' }, { action: 'ack' }, { action: 'ack' }, { action: 'retry', delaySeconds: 60 }, { action: 'ack' }, { action: 'ack' }],
      effects: [
        { type: 'delivered', messageId: 'q0', id: 'r0', token: T(0), receipt: receipts[0] },
        { type: 'invalidToken', messageId: 'q1', id: 'r1', token: 'ExponentPushToken[other]', receipt: receipts[1] },
        { type: 'credentialProblem', messageId: 'q2', id: 'r2', token: T(2), receipt: receipts[2], code: 'MismatchSenderId', reason: 'sender' },
        { type: 'deliveryError', messageId: 'q3', id: 'r3', token: T(3), receipt: receipts[3], code: 'MessageRateExceeded', retryable: true },
        { type: 'deliveryError', messageId: 'q4', id: 'r4', token: T(4), receipt: receipts[4], code: 'MessageTooBig', retryable: false },
        { type: 'missingReceipt', messageId: 'q6', id: 'r6', token: T(6), attempts: 4 },
        { type: 'invalidMessage', messageId: 'q7', body: { id: '' }, reason: 'a receipts queue message must be { id, token } with two non-empty strings' },
      ],
    });
  });

  it('retries the whole batch with backoff when the lookup failed', () => {
    const error = new PushServerError('busy', { endpoint: 'receipts', status: 503, retryAfterMs: 9000 });
    expect(decideReceiptActions([r(0), r(1, 3)], { error })).toEqual({
      actions: [
        { action: 'retry', delaySeconds: 9 },
        { action: 'retry', delaySeconds: 9 },
      ],
      effects: [],
    });
    expect(decideReceiptActions([r(0, 3)], { error: new TypeError('x') }).actions).toEqual([{ action: 'retry', delaySeconds: 8 }]);
  });
  it('reports a credentialProblem per message and retries with backoff when the lookup was refused with 401 or 403', () => {
    const unauthorized = new PushServerError('HTTP 401 from the Expo push service (receipts): UNAUTHORIZED: bad access token', {
      endpoint: 'receipts',
      status: 401,
      code: 'UNAUTHORIZED',
    });
    expect(decideReceiptActions([r(0), r(1, 3)], { error: unauthorized })).toEqual({
      actions: [
        { action: 'retry', delaySeconds: 2 },
        { action: 'retry', delaySeconds: 8 },
      ],
      effects: [
        { type: 'credentialProblem', messageId: 'q0', id: 'r0', token: T(0), receipt: undefined, code: 'UNAUTHORIZED', reason: unauthorized.message },
        { type: 'credentialProblem', messageId: 'q1', id: 'r1', token: T(1), receipt: undefined, code: 'UNAUTHORIZED', reason: unauthorized.message },
      ],
    });
    const forbidden = new PushServerError('HTTP 403 from the Expo push service (receipts): forbidden', { endpoint: 'receipts', status: 403 });
    expect(decideReceiptActions([r(0)], { error: forbidden })).toEqual({
      actions: [{ action: 'retry', delaySeconds: 2 }],
      effects: [{ type: 'credentialProblem', messageId: 'q0', id: 'r0', token: T(0), receipt: undefined, code: 'HTTP 403', reason: forbidden.message }],
    });
  });
});

describe('SlidingWindow', () => {
  it('grants within the rate, refuses with the wait until room is made, and releases a second after the answer', () => {
    const window = new SlidingWindow();
    expect(window.take(400, 600, 1000, 0)).toEqual({ granted: true, grantId: 1 });
    expect(window.take(200, 600, 1000, 10)).toEqual({ granted: true, grantId: 2 });
    // Grants stay until released: the first is released at 300, so it leaves at 1300.
    window.release(1, 1000, 300);
    window.release(2, 1000, 400);
    expect(window.take(100, 600, 1000, 500)).toEqual({ granted: false, retryAfterMs: 800 });
    expect(window.take(100, 600, 1000, 1300)).toEqual({ granted: true, grantId: 3 });
    // The second grant (released at 400) leaves at 1400; the third, not released yet, stays.
    expect(window.take(500, 600, 1000, 1301, 5000)).toEqual({ granted: false, retryAfterMs: 99 });
    // A request larger than the rate is granted alone once the window is empty.
    const empty = new SlidingWindow();
    expect(empty.take(700, 600, 1000, 0)).toEqual({ granted: true, grantId: 1 });
  });

  it('tells a refused request to wait about one window when the grants are still in flight, not until their lease ends', () => {
    // 8 concurrent batches of 100 at 600 per second: 6 granted, 2 refused.
    const window = new SlidingWindow();
    const answers = Array.from({ length: 8 }, (_, n) => window.take(100, 600, 1000, n * 10, 60_000));
    expect(answers).toEqual([
      ...Array.from({ length: 6 }, (_, n) => ({ granted: true, grantId: n + 1 })),
      { granted: false, retryAfterMs: 1000 },
      { granted: false, retryAfterMs: 1000 },
    ]);
  });

  it('tells a refused request to wait for the real end of released grants, and for the lease of an in-flight grant about to expire', () => {
    const window = new SlidingWindow();
    expect(window.take(300, 600, 1000, 0, 100)).toEqual({ granted: true, grantId: 1 });
    expect(window.take(300, 600, 1000, 0, 60_000)).toEqual({ granted: true, grantId: 2 });
    window.release(2, 1000, 200);
    // Grant 2 was released at 200: it leaves at 1200. Grant 1 is in flight: assumed released now, it would
    // leave at 1500, but its lease ends at 1100 first.
    expect(window.take(300, 600, 1000, 500)).toEqual({ granted: false, retryAfterMs: 600 });
    // Once grant 1 expired, only the released grant 2 is in the way.
    expect(window.take(400, 600, 1000, 1100)).toEqual({ granted: false, retryAfterMs: 100 });
    expect(window.take(400, 600, 1000, 1200)).toEqual({ granted: true, grantId: 3 });
  });
});

describe('PushRateLimiter', () => {
  const call = async (limiter: PushRateLimiter, method: string, path: string, body?: unknown) => {
    const response = await limiter.fetch(new Request(`https://push-rate-limiter${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }));
    return { status: response.status, allow: response.headers.get('allow'), body: response.status === 204 ? null : await response.json() };
  };
  const grant = { count: 100, perSecond: 600, windowMs: 1000, leaseMs: 60_000 };

  it('answers POST /grant and POST /release', async () => {
    const limiter = new PushRateLimiter();
    expect(await call(limiter, 'POST', '/grant', grant)).toEqual({ status: 200, allow: null, body: { granted: true, grantId: 1 } });
    expect(await call(limiter, 'POST', '/release', { grantId: 1, windowMs: 1000 })).toEqual({ status: 204, allow: null, body: null });
  });

  it('answers 404 for another path and 405 for another method, with a JSON error', async () => {
    const limiter = new PushRateLimiter();
    expect(await call(limiter, 'POST', '/grants', grant)).toEqual({
      status: 404,
      allow: null,
      body: { error: 'not found: the push rate limiter answers POST /grant and POST /release' },
    });
    expect(await call(limiter, 'GET', '/grant')).toEqual({ status: 405, allow: 'POST', body: { error: 'GET is not allowed: use POST /grant' } });
    expect(await call(limiter, 'PUT', '/release', { grantId: 1, windowMs: 1000 })).toEqual({ status: 405, allow: 'POST', body: { error: 'PUT is not allowed: use POST /release' } });
  });

  it('answers 400 when count or grantId is not a positive integer, or a duration is out of range', async () => {
    const limiter = new PushRateLimiter();
    const grantError = { error: 'count must be a positive integer, perSecond a positive number, windowMs one up to 60000 and leaseMs one up to 3600000' };
    for (const body of [{ ...grant, count: 1.5 }, { ...grant, count: 0 }, { ...grant, count: '100' }, { ...grant, windowMs: 60_001 }, { ...grant, leaseMs: 3_600_001 }]) {
      expect(await call(limiter, 'POST', '/grant', body)).toEqual({ status: 400, allow: null, body: grantError });
    }
    expect(await call(limiter, 'POST', '/release', { grantId: 0.5, windowMs: 1000 })).toEqual({
      status: 400,
      allow: null,
      body: { error: 'grantId must be a positive integer and windowMs a positive number up to 60000' },
    });
    // Nothing was granted by the refused requests.
    expect(await call(limiter, 'POST', '/grant', grant)).toEqual({ status: 200, allow: null, body: { granted: true, grantId: 1 } });
  });
});

describe('enqueuePushMessages', () => {
  const producer = () => {
    const calls: unknown[][] = [];
    return { calls, queue: { send: async () => undefined, sendBatch: async (list: Iterable<unknown>) => void calls.push([...list]) } };
  };

  it('expands recipients into one queue message each, in calls of at most 100, as JSON', async () => {
    const { calls, queue } = producer();
    const tokens = Array.from({ length: 250 }, (_, n) => T(n));
    expect(await enqueuePushMessages(queue, [{ to: tokens, title: 'a', data: null }, { to: T(999), body: 'b' }], { delaySeconds: 30 })).toEqual({ enqueued: 251, batches: 3 });
    expect(calls.map((c) => c.length)).toEqual([100, 100, 51]);
    expect(calls[0]?.[0]).toEqual({ body: { to: T(0), title: 'a' }, contentType: 'json', delaySeconds: 30 });
    expect(calls[2]?.[50]).toEqual({ body: { to: T(999), body: 'b' }, contentType: 'json', delaySeconds: 30 });
  });

  it('splits calls by bytes and refuses, before enqueueing anything, invalid or too-large messages', async () => {
    const { calls, queue } = producer();
    const big = 'x'.repeat(60_000);
    await enqueuePushMessages(queue, [{ to: [T(0), T(1), T(2), T(3), T(4)], body: big }]);
    expect(calls.map((c) => c.length)).toEqual([4, 1]);
    const { calls: none, queue: q2 } = producer();
    await expect(enqueuePushMessages(q2, [{ to: T(0) }, { to: 'bad' }])).rejects.toBeInstanceOf(PushValidationError);
    const error = await enqueuePushMessages(q2, [{ to: T(0) }, { to: [T(1), T(2)], data: { blob: 'y'.repeat(130_000) } }]).catch((e: unknown) => e);
    expect((error as PushValidationError).issues).toEqual([
      { index: 1, path: 'to[0]', message: expect.stringContaining('Cloudflare Queues take at most 128000') },
      { index: 1, path: 'to[1]', message: expect.stringContaining('bytes as a queue message') },
    ]);
    expect(none).toEqual([]);
  });

  it('says how far it got when a sendBatch call fails', async () => {
    let n = 0;
    const failing = { send: async () => undefined, sendBatch: async () => { if (n++ === 1) throw new Error('down'); } };
    const error = await enqueuePushMessages(failing, [{ to: Array.from({ length: 150 }, (_, i) => T(i)) }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushEnqueueError);
    expect((error as PushEnqueueError).enqueued).toBe(100);
  });
});
