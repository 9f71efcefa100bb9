import { describe, expect, it } from 'vitest';
import {
  defaultShouldRetry,
  PushClient,
  PushNetworkError,
  PushServerError,
  PushTimeoutError,
  type RetryContext,
} from '../src/index.ts';
import { backoffDelay, DEFAULT_RETRY_OPTIONS, parseRetryAfter } from '../src/retry-policy.ts';
import { json, okTickets, scriptedFetch, text, token } from './helpers/scripted-fetch.ts';

const base = { attempt: 1, error: new Error('x'), retryAfterMs: undefined };
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
const reset = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }) });
const receiptsOk = json({ data: {} });
const fast = { baseDelayMs: 1 };

describe('defaultShouldRetry', () => {
  it.each<[Partial<RetryContext>, boolean]>([
    [{ endpoint: 'send', status: 429, outcomeUnknown: false }, true],
    [{ endpoint: 'receipts', status: 429, outcomeUnknown: false }, true],
    [{ endpoint: 'send', status: undefined, outcomeUnknown: false }, true],
    [{ endpoint: 'send', status: undefined, outcomeUnknown: true }, false],
    [{ endpoint: 'receipts', status: undefined, outcomeUnknown: false }, true],
    [{ endpoint: 'send', status: 500, outcomeUnknown: true }, false],
    [{ endpoint: 'send', status: 502, outcomeUnknown: true }, false],
    [{ endpoint: 'receipts', status: 500, outcomeUnknown: false }, true],
    [{ endpoint: 'receipts', status: 503, outcomeUnknown: false }, true],
    [{ endpoint: 'send', status: 400, outcomeUnknown: false }, false],
    [{ endpoint: 'receipts', status: 401, outcomeUnknown: false }, false],
    [{ endpoint: 'send', status: 200, outcomeUnknown: true }, false],
    [{ endpoint: 'receipts', status: 200, outcomeUnknown: false }, false],
  ])('decides %o → %s', (context, expected) => {
    expect(defaultShouldRetry({ ...base, ...context } as RetryContext)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('draws uniformly below an exponentially growing ceiling, capped at maxDelayMs', () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, options, () => 0.999999))).toEqual([99, 199, 399, 799, 999]);
    expect([1, 2, 3].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([0, 0, 0]);
    expect(backoffDelay(2, options, () => 0.5)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  it.each<[string | null, number | undefined]>([
    ['120', 120_000],
    ['0', 0],
    [' 2 ', 2_000],
    ['1.5', 1_500],
    ['Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['Wednesday, 21-Oct-26 07:29:00 GMT', 60_000],
    ['Wed Oct 21 07:28:10 2026', 10_000 + new Date(0).getTimezoneOffset() * 60_000],
    ['Wed, 21 Oct 2026 07:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    [null, undefined],
  ])('reads %o as %o ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('PushClient retry policy', () => {
  it('does not retry a send answered 5xx, and marks its outcome unknown', async () => {
    const fake = scriptedFetch(json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] }, 500), okTickets);
    const error = await new PushClient({ fetch: fake.fetch, retry: fast }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushServerError);
    expect(error).toMatchObject({ status: 500, outcomeUnknown: true });
    expect(fake.seen).toHaveLength(1);
  });

  it('does not retry a send answered 4xx, and says the service did not accept it', async () => {
    const fake = scriptedFetch(json({ errors: [{ code: 'VALIDATION_ERROR', message: '"to" must be a string' }] }, 400), okTickets);
    const error = await new PushClient({ fetch: fake.fetch, retry: fast }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PushServerError', status: 400, code: 'VALIDATION_ERROR', outcomeUnknown: false });
    expect(fake.seen).toHaveLength(1);
  });

  it('marks a garbled 200 to a send as outcome unknown, and an errors envelope on 200 as refused', async () => {
    const garbled = await new PushClient({ fetch: scriptedFetch(text('<html>ok</html>', 200)).fetch }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(garbled).toMatchObject({ status: 200, outcomeUnknown: true });
    const refusedOn200 = await new PushClient({ fetch: scriptedFetch(json({ errors: [{ code: 'X', message: 'no' }] })).fetch })
      .publish({ to: token(1) })
      .catch((e: unknown) => e);
    expect(refusedOn200).toMatchObject({ status: 200, outcomeUnknown: false });
  });

  it('retries a send whose connection was refused, since it provably never reached the service', async () => {
    const fake = scriptedFetch(
      () => {
        throw refused();
      },
      okTickets,
    );
    const ticket = await new PushClient({ fetch: fake.fetch, retry: fast }).publish({ to: token(1) });
    expect(ticket.status).toBe('ok');
    expect(fake.seen).toHaveLength(2);
  });

  it('does not retry a send whose connection was reset, and marks its outcome unknown', async () => {
    const fake = scriptedFetch(() => {
      throw reset();
    }, okTickets);
    const error = await new PushClient({ fetch: fake.fetch, retry: fast }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushNetworkError);
    expect(error).toMatchObject({ name: 'PushNetworkError', endpoint: 'send', outcomeUnknown: true });
    expect(fake.seen).toHaveLength(1);
  });

  it('retries receipt lookups on 5xx, resets and timeouts, which are read-only', async () => {
    let calls = 0;
    const flaky = async (request: Request) => {
      calls++;
      if (calls === 1) return text('<html>502 Bad Gateway</html>', 502);
      if (calls === 2) throw reset();
      if (calls === 3) return new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
      return receiptsOk.clone();
    };
    const client = new PushClient({ fetch: flaky, timeoutMs: 30, retry: { retries: 3, baseDelayMs: 1 } });
    expect(await client.checkReceipts(['a'])).toEqual([]);
    expect(calls).toBe(4);
  });

  it('reports the last error with its class when receipt retries run out', async () => {
    const fake = scriptedFetch(text('upstream connect error', 503, 'text/plain'));
    const error = await new PushClient({ fetch: fake.fetch, retry: { retries: 2, baseDelayMs: 1 } }).checkReceipts(['a']).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PushServerError', endpoint: 'receipts', status: 503, outcomeUnknown: false });
    expect(fake.seen).toHaveLength(3);
  });

  it('does not retry a timed-out send, whose outcome is unknown', async () => {
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    let calls = 0;
    const error = await new PushClient({ fetch: (r) => (calls++, hanging(r)), timeoutMs: 20, retry: fast })
      .publish({ to: token(1) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushTimeoutError);
    expect(error).toMatchObject({ outcomeUnknown: true, timeoutMs: 20 });
    expect(calls).toBe(1);
  });

  it('asks a custom shouldRetry with the whole context, and obeys it (a Promise too)', async () => {
    const contexts: RetryContext[] = [];
    const fake = scriptedFetch(json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'x' }] }, 500, { 'retry-after': '0' }), okTickets);
    const client = new PushClient({
      fetch: fake.fetch,
      retry: {
        baseDelayMs: 1,
        shouldRetry: async (context) => {
          contexts.push(context);
          return true;
        },
      },
    });
    expect((await client.publish({ to: token(1) })).status).toBe('ok');
    expect(contexts).toEqual([
      { attempt: 1, endpoint: 'send', status: 500, error: expect.any(PushServerError), retryAfterMs: 0, outcomeUnknown: true },
    ]);
    expect(fake.seen).toHaveLength(2);
  });

  it('never asks shouldRetry beyond `retries`', async () => {
    let asked = 0;
    const fake = scriptedFetch(json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'x' }] }, 429));
    const client = new PushClient({ fetch: fake.fetch, retry: { retries: 1, baseDelayMs: 1, shouldRetry: () => (asked++, true) } });
    await expect(client.publish({ to: token(1) })).rejects.toMatchObject({ status: 429 });
    expect({ asked, attempts: fake.seen.length }).toEqual({ asked: 1, attempts: 2 });
  });

  it('waits for a retry without holding a concurrency slot', async () => {
    const order: string[] = [];
    const fake = scriptedFetch((request, index) => {
      const body = (request.body as Array<{ body: string }>)[0]?.body ?? '';
      order.push(`${body}#${index}`);
      return index === 0 ? json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'x' }] }, 429, { 'retry-after': '0.2' }) : okTickets(request);
    });
    const client = new PushClient({ fetch: fake.fetch, concurrency: 1, rateLimit: false });
    const first = client.publish({ to: token(1), body: 'A' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = client.publish({ to: token(2), body: 'B' });
    await Promise.all([first, second]);
    expect(order).toEqual(['A#0', 'B#1', 'A#2']);
  });
});
