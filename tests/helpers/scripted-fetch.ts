import { gunzipSync } from 'node:zlib';

/** A request as the fake service saw it, with the body decoded. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  /** The body as sent (gzip bytes included). */
  readonly rawBody: Uint8Array;
  /** The body as text, after gunzip when it was compressed. */
  readonly bodyText: string;
  readonly body: unknown;
}

/** What the fake answers for one request. */
export type Reply = Response | ((request: SeenRequest, index: number) => Response | Promise<Response>);

/** JSON response helper. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Text response helper. */
export function text(body: string, status: number, contentType = 'text/html'): Response {
  return new Response(body, { status, headers: { 'content-type': contentType } });
}

/** The send endpoint's answer of `ok` tickets, one per recipient of the request. */
export function okTickets(request: SeenRequest): Response {
  const messages = request.body as Array<{ to: string | string[] }>;
  const count = messages.reduce((sum, message) => sum + (Array.isArray(message.to) ? message.to.length : 1), 0);
  return json({ data: Array.from({ length: count }, (_, index) => ({ status: 'ok', id: `id-${index}` })) });
}

/**
 * A fetch that records every request and answers from `replies` in order (the last reply repeats).
 * Used where a test needs an exact service response; the emulator covers realistic traffic.
 */
export function scriptedFetch(...replies: Reply[]) {
  const seen: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const rawBody = new Uint8Array(await request.arrayBuffer());
    const gzip = request.headers.get('content-encoding') === 'gzip';
    const bodyText = new TextDecoder().decode(gzip ? gunzipSync(rawBody) : rawBody);
    const record: SeenRequest = {
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      rawBody,
      bodyText,
      body: bodyText === '' ? undefined : JSON.parse(bodyText),
    };
    const index = seen.push(record) - 1;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const reply = replies[Math.min(index, replies.length - 1)];
      if (reply === undefined) throw new Error('scriptedFetch has no reply configured');
      // Let other requests start, so concurrency can be observed.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return typeof reply === 'function' ? await reply(record, index) : reply.clone();
    } finally {
      inFlight--;
    }
  };
  return {
    fetch,
    seen,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** A syntactically valid token, distinct per `n`. */
export function token(n: number | string): string {
  return `ExponentPushToken[${String(n).padStart(22, '0')}]`;
}
