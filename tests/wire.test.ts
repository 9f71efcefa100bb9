import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PushClient, PushNetworkError, PushRateLimitError, PushTimeoutError } from '../src/index.ts';
import { json, okTickets, scriptedFetch, token } from './helpers/scripted-fetch.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const tooManyRequests = (headers: Record<string, string> = {}) =>
  json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Exceeded 600 notifications per second, please try again.' }] }, 429, headers);

describe('PushClient requests', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('POSTs a JSON array with the documented headers and a versioned User-Agent', async () => {
    const fake = scriptedFetch(okTickets);
    await new PushClient({ fetch: fake.fetch }).publish({ to: token(1), body: 'hi' });
    const [request] = fake.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://exp.host/--/api/v2/push/send');
    expect(request?.headers).toEqual({
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'content-type': 'application/json',
      'user-agent': `expo-push-edge/${version}`,
    });
    expect(request?.bodyText).toBe(JSON.stringify([{ to: token(1), body: 'hi' }]));
  });

  it('gzips bodies larger than gzipThreshold and sends smaller ones plain', async () => {
    const fake = scriptedFetch(okTickets);
    const client = new PushClient({ fetch: fake.fetch, concurrency: 1 });
    const small = [{ to: token(1), body: 'x'.repeat(1024 - JSON.stringify([{ to: token(1), body: '' }]).length) }];
    const large = [{ to: token(1), body: 'é'.repeat(600) }];
    await client.publishMultiple(small);
    await client.publishMultiple(large);
    expect(fake.seen.map((r) => [r.rawBody.byteLength, r.headers['content-encoding']])).toEqual([
      [1024, undefined],
      [expect.any(Number), 'gzip'],
    ]);
    expect(fake.seen[0]?.bodyText).toBe(JSON.stringify(small));
    expect(gunzipSync(fake.seen[1]?.rawBody as Uint8Array).toString('utf8')).toBe(JSON.stringify(large));
    expect(fake.seen[1]?.rawBody.byteLength).toBeLessThan(200);
  });

  it('never compresses when gzipThreshold is false, and compresses everything at 0', async () => {
    const plain = scriptedFetch(okTickets);
    await new PushClient({ fetch: plain.fetch, gzipThreshold: false }).publish({ to: token(1), body: 'x'.repeat(5000) });
    expect(plain.seen[0]?.headers['content-encoding']).toBeUndefined();
    const always = scriptedFetch(okTickets);
    await new PushClient({ fetch: always.fetch, gzipThreshold: 0 }).publish({ to: token(1) });
    expect(always.seen[0]?.headers['content-encoding']).toBe('gzip');
  });

  it('sends plain bodies where the runtime has no CompressionStream', async () => {
    vi.stubGlobal('CompressionStream', undefined);
    const fake = scriptedFetch(okTickets);
    await new PushClient({ fetch: fake.fetch }).publish({ to: token(1), body: 'x'.repeat(5000) });
    expect(fake.seen[0]?.headers['content-encoding']).toBeUndefined();
    expect(fake.seen[0]?.bodyText).toBe(JSON.stringify([{ to: token(1), body: 'x'.repeat(5000) }]));
  });

  it('sends a string accessToken as a Bearer header', async () => {
    const fake = scriptedFetch(okTickets);
    await new PushClient({ fetch: fake.fetch, accessToken: 'secret-1' }).publish({ to: token(1) });
    expect(fake.seen[0]?.headers.authorization).toBe('Bearer secret-1');
  });

  it('calls an accessToken function for every request, so a rotated token is picked up', async () => {
    const fake = scriptedFetch((request) => (request.url.endsWith('/getReceipts') ? json({ data: {} }) : okTickets(request)));
    let n = 0;
    const client = new PushClient({ fetch: fake.fetch, accessToken: async () => `token-${++n}` });
    await client.publish({ to: token(1) });
    await client.checkReceipts(['a']);
    await client.publish({ to: token(1) });
    expect(fake.seen.map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
  });

  it('calls the fetch option without a this, as platform fetches require', async () => {
    const fake = scriptedFetch(okTickets);
    let receiver: unknown = 'not called';
    const fetch = function (this: unknown, request: Request) {
      receiver = this;
      return fake.fetch(request);
    };
    await new PushClient({ fetch }).publish({ to: token(1) });
    expect(receiver).toBeUndefined();
  });

  it('looks the global fetch up at call time', async () => {
    const client = new PushClient();
    const fake = scriptedFetch(okTickets);
    vi.stubGlobal('fetch', fake.fetch);
    await client.publish({ to: token(1) });
    expect(fake.seen).toHaveLength(1);
  });

  it('says how to fix a runtime without a global fetch', async () => {
    vi.stubGlobal('fetch', undefined);
    await expect(new PushClient().publish({ to: token(1) })).rejects.toThrow(
      new TypeError('This runtime has no global fetch: pass one with new PushClient({ fetch })'),
    );
  });

  it.each([
    [undefined, 'https://exp.host/--/api/v2/push/send'],
    ['', 'https://exp.host/--/api/v2/push/send'],
    ['https://push.example.com/', 'https://push.example.com/--/api/v2/push/send'],
    ['https://proxy.example.com/expo/', 'https://proxy.example.com/expo/--/api/v2/push/send'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/--/api/v2/push/send'],
    ['http://localhost:1', 'http://localhost:1/--/api/v2/push/send'],
    ['http://[::1]:9', 'http://[::1]:9/--/api/v2/push/send'],
  ])('sends to baseUrl %o at %s', async (baseUrl, url) => {
    const fake = scriptedFetch(okTickets);
    await new PushClient({ fetch: fake.fetch, ...(baseUrl === undefined ? {} : { baseUrl }) }).publish({ to: token(1) });
    expect(fake.seen[0]?.url).toBe(url);
  });

  it('refuses plain http to a non-loopback host unless allowHttp is true', () => {
    expect(() => new PushClient({ baseUrl: 'http://push.example.com' })).toThrow(
      new TypeError('baseUrl http://push.example.com uses plain http: only loopback hosts (127.0.0.1, localhost, [::1]) may, unless allowHttp is true'),
    );
    expect(() => new PushClient({ baseUrl: 'http://push.example.com', allowHttp: true })).not.toThrow();
    expect(() => new PushClient({ baseUrl: 'ftp://push.example.com' })).toThrow('baseUrl must use https (got ftp:)');
    expect(() => new PushClient({ baseUrl: 'exp.host' })).toThrow('baseUrl must be an absolute URL');
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency must be a positive integer (got 0)'],
    [{ concurrency: 1.5 }, 'concurrency must be a positive integer (got 1.5)'],
    [{ gzipThreshold: -1 }, 'gzipThreshold must be a non-negative number of bytes or false (got -1)'],
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive number of milliseconds or false (got 0)'],
    [{ retry: { retries: -1 } }, 'retry.retries must be a non-negative integer (got -1)'],
    [{ accessToken: 42 }, 'accessToken must be a string (got number)'],
    [{ concurrency: '6' }, 'concurrency must be a positive integer (got "6")'],
    [{ allowHttp: 'yes' }, 'allowHttp must be a boolean (got "yes")'],
    [{ retry: true }, 'retry must be false or an object such as { retries: 2 } (got true)'],
    [{ retry: 3 }, 'retry must be false or an object such as { retries: 2 } (got 3)'],
    [{ retry: { retires: 3 } }, 'Unknown retry option "retires" (did you mean "retries"?); known: retries, baseDelayMs, maxDelayMs, maxRetryAfterMs, shouldRetry'],
    [{ rateLimit: { perSecond: '600' } }, 'rateLimit.perSecond must be a positive number (got "600")'],
    [{ rateLimit: { persecond: 600 } }, 'Unknown rateLimit option "persecond" (did you mean "perSecond"?); known: perSecond, burst'],
    [{ hooks: { beforeRequests: [] } }, 'Unknown hooks option "beforeRequests" (did you mean "beforeRequest"?); known: beforeRequest, afterResponse, beforeRetry'],
    [{ acessToken: 'x' }, 'Unknown PushClient option "acessToken" (did you mean "accessToken"?); known: accessToken, baseUrl, fetch, concurrency, gzipThreshold, timeoutMs, allowHttp, retry, hooks, rateLimit'],
    [{ rateLimit: { per: 600 } }, 'Unknown rateLimit option "per" (did you mean "perSecond"?); known: perSecond, burst'],
    [{ retry: { maxRetryAfter: 1 } }, 'Unknown retry option "maxRetryAfter" (did you mean "maxRetryAfterMs"?); known: retries, baseDelayMs, maxDelayMs, maxRetryAfterMs, shouldRetry'],
    [{ timeout: 5 }, 'Unknown PushClient option "timeout" (did you mean "timeoutMs"?); known: accessToken, baseUrl, fetch, concurrency, gzipThreshold, timeoutMs, allowHttp, retry, hooks, rateLimit'],
    [{ fetch: {} }, 'fetch must be a function (got an object)'],
    [{ fetch: new Map() }, 'fetch must be a function (got a Map)'],
    [{ fetch: new AbortController() }, 'fetch must be a function (got an AbortController)'],
    [{ somethingElse: 1 }, 'Unknown PushClient option "somethingElse"; known: accessToken, baseUrl, fetch, concurrency, gzipThreshold, timeoutMs, allowHttp, retry, hooks, rateLimit'],
    ['token', 'PushClient options must be an object (got "token")'],
    [null, 'PushClient options must be an object (got null)'],
    [{ accessToken: 'two words' }, 'accessToken contains characters an HTTP header cannot carry (whitespace, a line break, or non-ASCII)'],
  ])('rejects bad options %o', (options, message) => {
    expect(() => new PushClient(options as never)).toThrow(new TypeError(message));
  });

  it('checks a token from an accessToken function before sending, without revealing it', async () => {
    const secret = 'SEC\rRET-leak';
    const fake = scriptedFetch(okTickets);
    const error = await new PushClient({ fetch: fake.fetch, accessToken: async () => secret }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toEqual(new TypeError('accessToken contains characters an HTTP header cannot carry (whitespace, a line break, or non-ASCII)'));
    expect(String((error as Error).stack)).not.toContain('RET-leak');
    const notString = await new PushClient({ fetch: fake.fetch, accessToken: () => 42 as never }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(notString).toEqual(new TypeError('accessToken must be a string (got number)'));
    expect(fake.seen).toEqual([]);
  });

  it('sends no Authorization header for an empty access token', async () => {
    const fake = scriptedFetch(okTickets);
    await new PushClient({ fetch: fake.fetch, accessToken: '' }).publish({ to: token(1) });
    expect(fake.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('keeps at most `concurrency` requests in flight (default 6)', async () => {
    const messages = Array.from({ length: 2000 }, (_, i) => ({ to: token(i) }));
    const byDefault = scriptedFetch(okTickets);
    await new PushClient({ fetch: byDefault.fetch, rateLimit: false }).publishMultiple(messages);
    expect(byDefault.seen).toHaveLength(20);
    expect(byDefault.maxInFlight).toBe(6);
    const two = scriptedFetch(okTickets);
    await new PushClient({ fetch: two.fetch, concurrency: 2, rateLimit: false }).publishMultiple(messages);
    expect(two.maxInFlight).toBe(2);
  });

  it('retries HTTP 429 with backoff and succeeds', async () => {
    const fake = scriptedFetch(tooManyRequests(), tooManyRequests(), okTickets);
    const ticket = await new PushClient({ fetch: fake.fetch, retry: { baseDelayMs: 5 } }).publish({ to: token(1) });
    expect(ticket.status).toBe('ok');
    expect(fake.seen).toHaveLength(3);
    expect(fake.seen[2]?.bodyText).toBe(fake.seen[0]?.bodyText);
  });

  it('waits the Retry-After the service asks for', async () => {
    const fake = scriptedFetch(tooManyRequests({ 'retry-after': '0.3' }), okTickets);
    const started = Date.now();
    await new PushClient({ fetch: fake.fetch, retry: { baseDelayMs: 0 } }).publish({ to: token(1) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('fails with PushRateLimitError when retries run out, or when Retry-After is longer than it will wait', async () => {
    const exhausted = scriptedFetch(tooManyRequests());
    const error = await new PushClient({ fetch: exhausted.fetch, retry: { retries: 2, baseDelayMs: 1 } })
      .publish({ to: token(1) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushRateLimitError);
    expect(exhausted.seen).toHaveLength(3);

    const tooLong = scriptedFetch(tooManyRequests({ 'retry-after': '3600' }));
    const refused = await new PushClient({ fetch: tooLong.fetch }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'PushRateLimitError', retryAfterMs: 3_600_000 });
    expect(tooLong.seen).toHaveLength(1);
  });

  it('does not retry at all with retry: false', async () => {
    const fake = scriptedFetch(tooManyRequests(), okTickets);
    await expect(new PushClient({ fetch: fake.fetch, retry: false }).publish({ to: token(1) })).rejects.toBeInstanceOf(PushRateLimitError);
    expect(fake.seen).toHaveLength(1);
  });

  it('aborts an attempt that exceeds timeoutMs with PushTimeoutError', async () => {
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const error = await new PushClient({ fetch: hanging, timeoutMs: 50 }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushTimeoutError);
    expect(error).toBeInstanceOf(PushNetworkError);
    expect(error).toMatchObject({ name: 'PushTimeoutError', timeoutMs: 50, endpoint: 'send', message: 'The Expo push service did not answer within 50 ms' });
  });

  it('wraps a fetch that throws in PushNetworkError with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const error = await new PushClient({ fetch: async () => Promise.reject(cause) }).checkReceipts(['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushNetworkError);
    expect(error).toMatchObject({ name: 'PushNetworkError', endpoint: 'receipts', cause, message: 'Request to the Expo push service (receipts) failed: fetch failed' });
  });

  it('never puts the access token in error messages or serialized errors', async () => {
    const secret = 'super-secret-access-token';
    const failures = [
      json({ errors: [{ code: 'UNAUTHORIZED', message: 'nope' }] }, 401),
      new Response('{"error":"invalid_token","error_description":"The bearer token is invalid"}', { status: 401 }),
    ];
    for (const reply of failures) {
      const error = await new PushClient({ fetch: scriptedFetch(reply).fetch, accessToken: secret }).publish({ to: token(1) }).catch((e: unknown) => e);
      const serialized = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error) + (error as Error).stack;
      expect(serialized).not.toContain(secret);
    }
  });
});
