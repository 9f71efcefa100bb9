import { describe, expect, it } from 'vitest';
import { type BeforeRetryContext, PushClient, PushRateLimitError, PushServerError } from '../src/index.ts';
import { json, okTickets, scriptedFetch, token } from './helpers/scripted-fetch.ts';

const tooMany = () => json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Exceeded 600 notifications per second, please try again.' }] }, 429);

describe('PushClient hooks', () => {
  it('runs beforeRequest hooks in order, awaited, with the request, attempt and endpoint; headers changed in place are sent', async () => {
    const fake = scriptedFetch(okTickets);
    const log: string[] = [];
    const client = new PushClient({
      fetch: fake.fetch,
      accessToken: 'tok',
      hooks: {
        beforeRequest: [
          async ({ request, attempt, endpoint }) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            log.push(`first ${endpoint} ${attempt} ${request.method} ${new URL(request.url).pathname} ${request.headers.get('authorization')}`);
            request.headers.set('x-trace-id', 'trace-1');
          },
          ({ request }) => {
            log.push(`second sees ${request.headers.get('x-trace-id')}`);
          },
        ],
      },
    });
    await client.publish({ to: token(1) });
    expect(log).toEqual(['first send 1 POST /--/api/v2/push/send Bearer tok', 'second sees trace-1']);
    expect(fake.seen[0]?.headers['x-trace-id']).toBe('trace-1');
  });

  it('sends the Request a beforeRequest hook returns instead', async () => {
    const fake = scriptedFetch(okTickets);
    const client = new PushClient({
      fetch: fake.fetch,
      hooks: {
        beforeRequest: [
          ({ request }) => {
            const headers = new Headers(request.headers);
            headers.set('authorization', 'Signature keyId="k1"');
            return new Request('https://proxy.example.com/--/api/v2/push/send', { method: 'POST', headers, body: request.body, duplex: 'half' } as RequestInit);
          },
        ],
      },
    });
    await client.publish({ to: token(1), body: 'via proxy' });
    expect(fake.seen.map(({ url, headers, body }) => ({ url, authorization: headers.authorization, body }))).toEqual([
      { url: 'https://proxy.example.com/--/api/v2/push/send', authorization: 'Signature keyId="k1"', body: [{ to: token(1), body: 'via proxy' }] },
    ]);
  });

  it('keeps the timeout on a replacement Request', async () => {
    const client = new PushClient({
      timeoutMs: 30,
      fetch: (request) => new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))),
      hooks: { beforeRequest: [({ request }) => new Request(request.url, { method: 'POST', body: '[]' })] },
    });
    await expect(client.publish({ to: token(1) })).rejects.toMatchObject({ name: 'PushTimeoutError' });
  });

  it('gives afterResponse hooks the request and the unread response, and uses a replacement response', async () => {
    const fake = scriptedFetch(json({ data: [{ status: 'ok', id: 'from-service' }] }));
    const seen: Array<{ status: number; bodyUsed: boolean; url: string; attempt: number; endpoint: string }> = [];
    const client = new PushClient({
      fetch: fake.fetch,
      hooks: {
        afterResponse: [
          ({ request, response, attempt, endpoint }) => {
            seen.push({ status: response.status, bodyUsed: response.bodyUsed, url: request.url, attempt, endpoint });
            return json({ data: [{ status: 'ok', id: 'replaced' }] });
          },
        ],
      },
    });
    expect((await client.publish({ to: token(1) })).id).toBe('replaced');
    expect(seen).toEqual([{ status: 200, bodyUsed: false, url: 'https://exp.host/--/api/v2/push/send', attempt: 1, endpoint: 'send' }]);
  });

  it('gives beforeRetry hooks the attempt, the error and the delay, and stops retrying when one returns false', async () => {
    const fake = scriptedFetch(json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'x' }] }, 429, { 'retry-after': '1' }), okTickets);
    const contexts: BeforeRetryContext[] = [];
    const client = new PushClient({
      fetch: fake.fetch,
      hooks: {
        beforeRetry: [
          (context) => {
            contexts.push(context);
            return false;
          },
        ],
      },
    });
    const error = await client.publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushRateLimitError);
    expect(contexts).toEqual([{ attempt: 1, endpoint: 'send', error, delayMs: 1000 }]);
    expect(fake.seen).toHaveLength(1);
  });

  it('retries when beforeRetry hooks return nothing, and calls the accessToken function on every attempt', async () => {
    const fake = scriptedFetch(tooMany(), tooMany(), okTickets);
    let n = 0;
    const attempts: number[] = [];
    const client = new PushClient({
      fetch: fake.fetch,
      accessToken: () => `rotated-${++n}`,
      retry: { baseDelayMs: 1 },
      hooks: { beforeRetry: [({ attempt }) => void attempts.push(attempt)] },
    });
    await client.publish({ to: token(1) });
    expect(attempts).toEqual([1, 2]);
    expect(fake.seen.map((request) => request.headers.authorization)).toEqual(['Bearer rotated-1', 'Bearer rotated-2', 'Bearer rotated-3']);
  });

  it('rejects with a hook’s own error and does not retry it', async () => {
    const fake = scriptedFetch(okTickets);
    const failure = new Error('tracing backend down');
    const client = new PushClient({ fetch: fake.fetch, hooks: { beforeRequest: [() => Promise.reject(failure)] } });
    await expect(client.publish({ to: token(1) })).rejects.toBe(failure);
    expect(fake.seen).toEqual([]);
  });

  it('refuses hooks that are not arrays of functions', () => {
    expect(() => new PushClient({ hooks: { beforeRequest: (() => undefined) as never } })).toThrow(
      new TypeError('hooks.beforeRequest must be an array of functions'),
    );
  });

  it('never shows the access token to hooks except in the request headers', async () => {
    const secret = 'secret-access-token-123';
    const fake = scriptedFetch(tooMany(), json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'x' }] }, 500));
    const dumps: string[] = [];
    const dump = (context: object) => {
      const { request: _request, ...rest } = context as { request?: Request };
      dumps.push(JSON.stringify(rest, (_key, value: unknown) => (value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value)));
    };
    const client = new PushClient({
      fetch: fake.fetch,
      accessToken: secret,
      retry: { baseDelayMs: 1 },
      hooks: { beforeRequest: [dump], afterResponse: [dump], beforeRetry: [dump] },
    });
    const error = await client.publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushServerError);
    expect(dumps).toHaveLength(5);
    for (const text of dumps) expect(text).not.toContain(secret);
  });
});
