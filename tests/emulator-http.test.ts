import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../src/cli/accepts-gzip.ts';
import { createPushEmulator, serveEmulator, type EmulatorServer } from '../src/cli/node-entry.ts';

const SEND_PATH = '/--/api/v2/push/send';
const RECEIPTS_PATH = '/--/api/v2/push/getReceipts';
const JSON_TYPE = 'application/json; charset=utf-8';
const AN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const tok = (name: string): string => `ExponentPushToken[${name}]`;

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Raw HTTP GET/POST through node:http, so the response body is seen exactly as sent on the wire. */
function rawPost(url: string, body: string, headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serveEmulator', () => {
  let server: EmulatorServer;

  beforeAll(async () => {
    server = await serveEmulator({ accessToken: 'secret' });
  });

  afterAll(async () => {
    await server.close();
  });

  const auth = { authorization: 'Bearer secret' };

  it('listens on a free loopback port and reports its origin', () => {
    expect({ url: server.url, port: server.port }).toEqual({ url: `http://127.0.0.1:${server.port}`, port: expect.any(Number) });
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers a gzip request with a gzip response that fetch decodes', async () => {
    server.emulator.reset();
    const text = JSON.stringify([{ to: [tok('a'), tok('b')], body: 'hi' }]);
    const response = await fetch(`${server.url}${SEND_PATH}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip', 'accept-encoding': 'gzip' },
      body: await gzip(text),
    });
    expect({
      status: response.status,
      contentEncoding: response.headers.get('content-encoding'),
      vary: response.headers.get('vary'),
      contentType: response.headers.get('content-type'),
      body: await response.json(),
    }).toEqual({
      status: 200,
      contentEncoding: 'gzip',
      vary: 'Accept-Encoding',
      contentType: JSON_TYPE,
      body: { data: [{ status: 'ok', id: AN_ID }, { status: 'ok', id: AN_ID }] },
    });
    expect(server.emulator.requests).toEqual([
      {
        endpoint: 'send',
        method: 'POST',
        url: `${server.url}${SEND_PATH}`,
        headers: expect.objectContaining({ 'content-encoding': 'gzip', authorization: 'Bearer secret', host: `127.0.0.1:${server.port}` }),
        gzip: true,
        bodyText: text,
        status: 200,
      },
    ]);
  });

  it('writes gzip bytes on the wire when Accept-Encoding allows it', async () => {
    const { headers, bytes } = await rawPost(`${server.url}${RECEIPTS_PATH}`, '{"ids":[]}', { ...auth, 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect({ encoding: headers['content-encoding'], length: headers['content-length'], body: gunzipSync(bytes).toString('utf8') }).toEqual({
      encoding: 'gzip',
      length: String(bytes.byteLength),
      body: '{"data":{}}',
    });
  });

  it('answers uncompressed when the client does not accept gzip', async () => {
    const { headers, bytes } = await rawPost(`${server.url}${RECEIPTS_PATH}`, '{"ids":[]}', { ...auth, 'accept-encoding': 'gzip;q=0, identity' });
    expect({ encoding: headers['content-encoding'], body: bytes.toString('utf8') }).toEqual({ encoding: undefined, body: '{"data":{}}' });
  });

  it('round-trips tickets and receipts over HTTP', async () => {
    const send = await fetch(`${server.url}${SEND_PATH}`, { method: 'POST', headers: auth, body: JSON.stringify({ to: tok('c') }) });
    const { data: ticket } = (await send.json()) as { data: { id: string } };
    const receipts = await fetch(`${server.url}${RECEIPTS_PATH}`, { method: 'POST', headers: auth, body: JSON.stringify({ ids: [ticket.id, 'unknown'] }) });
    expect(await receipts.json()).toEqual({ data: { [ticket.id]: { status: 'ok' } } });
  });

  it('passes the 401 invalid_token body through', async () => {
    const response = await fetch(`${server.url}${SEND_PATH}`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '[]' });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 401,
      body: { error: 'invalid_token', error_description: 'The bearer token is invalid' },
    });
  });

  it('passes status and headers of a 405 through', async () => {
    const response = await fetch(`${server.url}${SEND_PATH}`, { headers: auth });
    expect({ status: response.status, allow: response.headers.get('allow'), body: await response.json() }).toEqual({
      status: 405,
      allow: 'POST',
      body: { errors: [{ code: 'METHOD_NOT_ALLOWED', message: `GET is not allowed on ${SEND_PATH}; use POST.` }] },
    });
  });

  it('answers 400 for a corrupt gzip body sent over HTTP', async () => {
    const response = await fetch(`${server.url}${SEND_PATH}`, {
      method: 'POST',
      headers: { ...auth, 'content-encoding': 'gzip' },
      body: 'not gzip at all',
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { errors: [{ code: 'VALIDATION_ERROR', message: 'The gzip-encoded request body could not be decoded; it is corrupt or truncated.' }] },
    });
  });
});

describe('serveEmulator lifecycle', () => {
  it('serves an existing emulator and closes promptly despite a keep-alive connection', async () => {
    const emulator = createPushEmulator();
    const server = await serveEmulator(emulator, { hostname: '127.0.0.1', port: 0 });
    try {
      expect(server.emulator).toBe(emulator);
      const response = await fetch(`${server.url}${SEND_PATH}`, { method: 'POST', body: JSON.stringify([{ to: tok('a') }]) });
      await response.json();
      expect(emulator.notifications.map((n) => n.token)).toEqual([tok('a')]);
    } finally {
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    await expect(fetch(`${server.url}${SEND_PATH}`, { method: 'POST', body: '[]' })).rejects.toThrow();
  });

  it('closes promptly while a client is still in the middle of a request', async () => {
    const server = await serveEmulator();
    const socket = connect(server.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Headers without the terminating blank line: the connection is active, not idle.
    socket.write(`POST ${SEND_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    await closed;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('acceptsGzip', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['identity', false],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['gzip, deflate, br', true],
    ['deflate, gzip;q=0.1', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0', false],
    ['*', true],
    ['*;q=0', false],
    ['*, gzip;q=0', false],
    ['br', false],
  ])('returns %j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('serveEmulator close', () => {
  it('can be called twice', async () => {
    const server = await serveEmulator();
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });
});
