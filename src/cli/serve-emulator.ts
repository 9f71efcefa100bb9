import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { createPushEmulator, isEmulatorConnectionReset, type PushEmulator, type PushEmulatorOptions } from '../emulator/index.ts';
import { acceptsGzip } from './accepts-gzip.ts';

const gzipAsync = promisify(gzip);

/** Where {@link serveEmulator} listens. */
export interface ServeEmulatorOptions {
  /** TCP port; 0 picks a free one, read it back from the result. @default 0 */
  port?: number;
  /** Interface to bind; loopback by default so the emulator is never exposed to the network. @default '127.0.0.1' */
  hostname?: string;
}

/** A running loopback server in front of a {@link PushEmulator}. */
export interface EmulatorServer {
  /** Origin to point the client at, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly url: string;
  /** Port actually bound. */
  readonly port: number;
  /** The emulator answering requests; inspect its logs or reset it between tests. */
  readonly emulator: PushEmulator;
  /** Stops listening and drops every open connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * Serves a push emulator over real HTTP on loopback, so clients can be tested through an actual
 * network stack (keep-alive, gzip responses, header handling) rather than an in-process fetch.
 *
 * Injected faults act on the wire: a `reset` fault resets the TCP connection (the client's fetch
 * fails with `ECONNRESET`), and a client that disconnects during a `delay` fault aborts the wait, so
 * the request is dropped unprocessed and logged with status 0. A `respond` fault's body is gzipped
 * like any other when the client accepts gzip, unless the fault sets its own `content-encoding`.
 * @param emulatorOrOptions - an existing emulator, or options to create one. @default {}
 * @param serveOptions - where to listen. @default { port: 0, hostname: '127.0.0.1' }
 */
export async function serveEmulator(
  emulatorOrOptions: PushEmulator | PushEmulatorOptions = {},
  { port = 0, hostname = '127.0.0.1' }: ServeEmulatorOptions = {},
): Promise<EmulatorServer> {
  const emulator = isEmulator(emulatorOrOptions) ? emulatorOrOptions : createPushEmulator(emulatorOrOptions);
  let origin = '';
  let closing: Promise<void> | undefined;
  const server = createServer((req, res) => {
    // The emulator sees the client hang up through its request's signal, as a handler on a real
    // runtime would; that is what lets a pending delay stop instead of outliving the connection.
    const hangUp = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) hangUp.abort(new DOMException('The client closed the connection.', 'AbortError'));
    });
    answer(emulator, origin, req, res, hangUp.signal).catch((error: unknown) => {
      if (isEmulatorConnectionReset(error)) {
        // RST rather than FIN, so the client sees a genuine ECONNRESET; Node before 18.3 lacks
        // resetAndDestroy, and a plain close still fails the fetch ("other side closed").
        const { socket } = req;
        if (socket.destroyed) return;
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      // Nobody is left to answer: the client went away (or close() dropped the connection).
      if (hangUp.signal.aborted || res.destroyed) return;
      // A failure here is an emulator or adapter bug; answer like the service's generic 500 so the
      // client under test sees a well-formed failure, and keep the cause visible on the response.
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: String(error) }] }));
    });
  });
  await listen(server, port, hostname);
  const bound = (server.address() as AddressInfo).port;
  origin = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${bound}`;

  return {
    url: origin,
    port: bound,
    emulator,
    // Idempotent, so a test's cleanup may call it again after the test already did.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}

function isEmulator(value: PushEmulator | PushEmulatorOptions): value is PushEmulator {
  return typeof (value as Partial<PushEmulator>).fetch === 'function';
}

function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function answer(
  emulator: PushEmulator,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const response = await emulator.fetch(await toWebRequest(origin, req, signal));
  let body: Uint8Array = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  // A body that already declares a coding (only an injected fault can) goes out as written.
  if (body.byteLength > 0 && !headers.has('content-encoding') && acceptsGzip(req.headers['accept-encoding'])) {
    body = await gzipAsync(body);
    headers.set('content-encoding', 'gzip');
    headers.append('vary', 'Accept-Encoding');
  }
  headers.set('content-length', String(body.byteLength));
  res.writeHead(response.status, Object.fromEntries(headers));
  res.end(body);
}

async function toWebRequest(origin: string, req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const headers = new Headers();
  // rawHeaders keeps repeated headers separate; Headers joins them the way fetch would see them.
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const method = req.method ?? 'GET';
  // The path is resolved against our own origin, never the Host header, so the recorded URL is
  // always the loopback address the client was given.
  const url = new URL(req.url ?? '/', origin);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, { method, headers, body: hasBody && bytes.byteLength > 0 ? bytes : null, signal });
}
