import { describe, expect, it } from 'vitest';
import { PushClient, PushRateLimitError, PushServerError } from '../src/index.ts';
import { json, scriptedFetch, text, token } from './helpers/scripted-fetch.ts';

async function failure(reply: Response) {
  const fake = scriptedFetch(reply);
  const client = new PushClient({ fetch: fake.fetch, retry: false });
  const error = await client.publish({ to: token(1) }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PushServerError);
  const { name, message, endpoint, status, code, errors, responseData, responseText } = error as PushServerError;
  return { name, message, endpoint, status, code, errors, responseData, responseText };
}

describe('PushServerError', () => {
  it('carries every error of an errors envelope verbatim, with the first code', async () => {
    const errors = [
      { code: 'PUSH_TOO_MANY_EXPERIENCE_IDS', message: 'All push notification messages in the same request must be for the same project; check the details field to investigate conflicting tokens.', details: { '@a/one': ['t1'], '@a/two': ['t2'] }, isTransient: false },
      { code: 'OTHER', message: 'second', stack: 'Error: at server.js:1' },
    ];
    const body = JSON.stringify({ errors });
    expect(await failure(new Response(body, { status: 400 }))).toEqual({
      name: 'PushServerError',
      message:
        'HTTP 400 from the Expo push service (send): PUSH_TOO_MANY_EXPERIENCE_IDS: All push notification messages in the same request must be for the same project; check the details field to investigate conflicting tokens. (and 1 more errors)',
      endpoint: 'send',
      status: 400,
      code: 'PUSH_TOO_MANY_EXPERIENCE_IDS',
      errors,
      responseData: { errors },
      responseText: body,
    });
  });

  it('treats an errors envelope on HTTP 200 as a failure', async () => {
    const body = { errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] };
    expect(await failure(json(body, 200))).toEqual({
      name: 'PushServerError',
      message: 'HTTP 200 from the Expo push service (send): INTERNAL_SERVER_ERROR: An unknown error occurred.',
      endpoint: 'send',
      status: 200,
      code: 'INTERNAL_SERVER_ERROR',
      errors: body.errors,
      responseData: body,
      responseText: JSON.stringify(body),
    });
  });

  it('reads the OAuth-style 401 body', async () => {
    const body = '{"error":"invalid_token","error_description":"The bearer token is invalid"}';
    expect(await failure(new Response(body, { status: 401 }))).toEqual({
      name: 'PushServerError',
      message: 'HTTP 401 from the Expo push service (send): invalid_token: The bearer token is invalid',
      endpoint: 'send',
      status: 401,
      code: 'invalid_token',
      errors: [],
      responseData: JSON.parse(body),
      responseText: body,
    });
  });

  it('keeps an nginx HTML 504 page as text', async () => {
    const page = '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n';
    expect(await failure(text(page, 504))).toEqual({
      name: 'PushServerError',
      message:
        'HTTP 504 from the Expo push service (send) was not JSON: <html> <head><title>504 Gateway Time-out</title></head> <body> <center><h1>504 Gateway Time-out</h1></center> </body> </html>',
      endpoint: 'send',
      status: 504,
      code: undefined,
      errors: [],
      responseData: undefined,
      responseText: page,
    });
  });

  it('keeps an Envoy plain-text 503 as text', async () => {
    const body = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
    expect(await failure(text(body, 503, 'text/plain'))).toMatchObject({
      message: `HTTP 503 from the Expo push service (send) was not JSON: ${body}`,
      status: 503,
      responseText: body,
    });
  });

  it('rejects an empty 200', async () => {
    expect(await failure(new Response('', { status: 200 }))).toEqual({
      name: 'PushServerError',
      message: 'HTTP 200 from the Expo push service (send) had an empty body',
      endpoint: 'send',
      status: 200,
      code: undefined,
      errors: [],
      responseData: undefined,
      responseText: '',
    });
  });

  it('rejects JSON with neither data nor errors', async () => {
    expect(await failure(json({ result: 'ok' }))).toEqual({
      name: 'PushServerError',
      message: 'HTTP 200 from the Expo push service (send) had neither "data" nor "errors": {"result":"ok"}',
      endpoint: 'send',
      status: 200,
      code: undefined,
      errors: [],
      responseData: { result: 'ok' },
      responseText: '{"result":"ok"}',
    });
  });

  it('rejects a non-2xx status even when the body carries data', async () => {
    expect(await failure(json({ data: [{ status: 'ok', id: 'x' }] }, 500))).toMatchObject({
      status: 500,
      message: 'HTTP 500 from the Expo push service (send): {"data":[{"status":"ok","id":"x"}]}',
    });
  });

  it('rejects a ticket that is not a ticket object', async () => {
    expect(await failure(json({ data: ['ok'] }))).toMatchObject({
      status: 200,
      message: 'HTTP 200 from the Expo push service (send): ticket 0 is not a { status: "ok" | "error" } object: "ok"',
    });
    expect(await failure(json({ data: [{ status: 'pending' }] }))).toMatchObject({
      message: 'HTTP 200 from the Expo push service (send): ticket 0 is not a { status: "ok" | "error" } object: an object',
    });
  });

  it('bounds the response text it keeps', async () => {
    const page = `<html>${'x'.repeat(100_000)}</html>`;
    const error = await failure(text(page, 502));
    expect(error.responseText).toBe(`${page.slice(0, 4096)}…`);
    expect(error.message.length).toBeLessThan(400);
  });

  it('reads the response body exactly once', async () => {
    let reads = 0;
    const response = json({ errors: [{ code: 'X', message: 'y' }] }, 400);
    for (const method of ['text', 'json', 'arrayBuffer', 'blob'] as const) {
      const original = response[method].bind(response);
      (response as unknown as Record<string, unknown>)[method] = () => {
        reads++;
        return original();
      };
    }
    const client = new PushClient({ fetch: async () => response, retry: false });
    await expect(client.publish({ to: token(1) })).rejects.toBeInstanceOf(PushServerError);
    expect(reads).toBe(1);
  });

  it('is a PushRateLimitError with the requested delay for HTTP 429', async () => {
    const body = { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Exceeded 600 notifications per second, please try again.' }] };
    const fake = scriptedFetch(json(body, 429, { 'retry-after': '120' }));
    const error = await new PushClient({ fetch: fake.fetch, retry: false }).publish({ to: token(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushRateLimitError);
    expect(error).toBeInstanceOf(PushServerError);
    expect(error).toMatchObject({ name: 'PushRateLimitError', status: 429, code: 'TOO_MANY_REQUESTS', retryAfterMs: 120_000 });
  });
});
