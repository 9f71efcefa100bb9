import { gunzipSync } from 'node:zlib';
import type { PushMessage } from '../../src/index.ts';

/** How long {@link controlledFetch} holds a request before passing it on: milliseconds, until a promise settles, or until it is aborted. */
export type Hold = number | Promise<unknown> | 'until-aborted';

/** What {@link controlledFetch} has seen so far. */
export interface FetchCounts {
  /** Requests the client started. */
  started: number;
  /** Requests passed on and answered. */
  answered: number;
  /** Requests whose signal aborted while they were held. */
  aborted: number;
  /** Requests started and not yet settled. */
  inFlight: number;
  /** The most requests in flight at any one time. */
  maxInFlight: number;
}

/** One request as {@link controlledFetch} saw it. */
export interface HeldRequest {
  /** Position among the requests started, from 0. */
  readonly index: number;
  /** `send` or `receipts`, from the path. */
  readonly endpoint: 'send' | 'receipts';
  /** The body, gunzipped and parsed. */
  readonly body: unknown;
  /** `Date.now()` when the client started it (the fake clock when timers are faked). */
  readonly startedAt: number;
}

/** The recipients' tokens of a send body, in request order. */
export function tokensOfBody(body: unknown): string[] {
  return (body as PushMessage[]).flatMap((message) => (typeof message.to === 'string' ? [message.to] : message.to));
}

/**
 * A fetch in front of `inner` (the emulator, or a scripted answer) that holds each request for as
 * long as `hold` says, honouring the request's signal while it does, and counts requests started,
 * answered, aborted and in flight. `answeredOrder` lists the index of each request as it was
 * answered, so out-of-order completion can be proven.
 */
export function controlledFetch(
  inner: (request: Request) => Promise<Response>,
  hold: (request: HeldRequest) => Hold = () => 0,
) {
  const counts: FetchCounts = { started: 0, answered: 0, aborted: 0, inFlight: 0, maxInFlight: 0 };
  const requests: HeldRequest[] = [];
  const answeredOrder: number[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const index = counts.started++;
    counts.inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    try {
      const raw = new Uint8Array(await request.clone().arrayBuffer());
      const text = new TextDecoder().decode(request.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw);
      const seen: HeldRequest = {
        index,
        endpoint: request.url.endsWith('/getReceipts') ? 'receipts' : 'send',
        body: JSON.parse(text) as unknown,
        startedAt: Date.now(),
      };
      requests.push(seen);
      await holdFor(hold(seen), request.signal, () => counts.aborted++);
      const response = await inner(request);
      counts.answered++;
      answeredOrder.push(index);
      return response;
    } finally {
      counts.inFlight--;
    }
  };
  return { fetch, counts, requests, answeredOrder };
}

/** Resolves after `hold` (at once for 0, without a timer, so faked timers need not run), or rejects with the signal's reason. */
function holdFor(hold: Hold, signal: AbortSignal, onAbort: () => void): Promise<void> {
  if (hold === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      onAbort();
      reject(signal.reason);
    };
    const release = () => {
      signal.removeEventListener('abort', abort);
      resolve();
    };
    const timer = typeof hold === 'number' ? setTimeout(release, hold) : undefined;
    if (hold instanceof Promise) hold.then(release, release);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/** A lazily generated source of `count` messages that counts how many were pulled from it. */
export function countingSource(count: number, make: (index: number) => PushMessage) {
  const state = { pulled: 0, recipientsPulled: 0 };
  function* generate(): Generator<PushMessage> {
    for (let index = 0; index < count; index++) {
      const message = make(index);
      state.pulled++;
      state.recipientsPulled += typeof message.to === 'string' ? 1 : message.to.length;
      yield message;
    }
  }
  return { source: generate(), state };
}

/** The same messages as an `AsyncIterable`, yielding to the event loop now and then like a database cursor. */
export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  let index = 0;
  for (const item of items) {
    if (index++ % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    yield item;
  }
}
