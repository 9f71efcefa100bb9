import { describe, expect, it, vi } from 'vitest';
import { createPushEmulator } from '../src/emulator/index.ts';
import {
  type PublishProgress,
  PushClient,
  type PushClientOptions,
  type PushFailure,
  type PushMessage,
  PushServerError,
  PushTicket,
  PushValidationError,
} from '../src/index.ts';
import { asAsync, controlledFetch, countingSource } from './helpers/controlled-fetch.ts';
import { describeError, recipientsOf, rejection, sendRequestTokens, tok } from './helpers/delivery.ts';

const AN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** Uncompressed bodies and no client-side pacing, so only the stream's own window shapes the traffic. */
const BASE: PushClientOptions = { rateLimit: false, gzipThreshold: false };

type Item = PushTicket | PushFailure;

async function collect(stream: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** An item as a plain value: a ticket's fields, or a failure with its error described whole. */
function itemValue(item: Item) {
  if (item instanceof PushTicket) return { ticket: { status: item.status, id: item.id, token: item.token, message: item.pushMessage } };
  return { failure: { token: item.token, message: item.message, error: describeError(item.error) } };
}

const okTicketValue = ({ token, message }: { token: string; message: PushMessage }) => ({ ticket: { status: 'ok', id: AN_ID, token, message } });

/** 120 messages, every second one to 2–9 tokens: 354 recipients, messages 35 and 69 straddling a 100 boundary. */
const batch: PushMessage[] = Array.from({ length: 120 }, (_, i) =>
  i % 2 === 1 ? { to: Array.from({ length: 1 + (i % 9) }, (_, j) => tok(`m${i}-${j}`)), body: `m${i}` } : { to: tok(`m${i}`), body: `m${i}` },
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PushClient.publishStream', () => {
  describe.each([
    { name: 'an Iterable (array)', source: (): Iterable<PushMessage> => batch },
    { name: 'an AsyncIterable (async generator)', source: (): AsyncIterable<PushMessage> => asAsync(batch) },
  ])('from $name', ({ source }) => {
    it('yields one ticket per recipient in input order when the requests complete in reverse order', async () => {
      const emulator = createPushEmulator();
      const gates: Array<() => void> = [];
      const fake = controlledFetch(emulator.fetch, ({ index }) => new Promise<void>((release) => (gates[index] = release)));
      const client = new PushClient({ ...BASE, fetch: fake.fetch, concurrency: 4 });

      const collecting = collect(client.publishStream(source()));
      // Once all four requests are out, answer the last one first and the first one last.
      await vi.waitFor(() => expect(fake.counts.started).toBe(4), { interval: 2 });
      for (const index of [3, 2, 1, 0]) {
        gates[index]?.();
        await vi.waitFor(() => expect(fake.answeredOrder.at(-1)).toBe(index), { interval: 2 });
      }
      const items = await collecting;

      const recipients = recipientsOf(batch);
      expect(recipients).toHaveLength(354);
      expect(recipients[99]?.message).toBe(recipients[100]?.message);
      expect(items.map(itemValue)).toEqual(recipients.map(okTicketValue));
      items.forEach((item, i) => expect((item as PushTicket).pushMessage).toBe(recipients[i]?.message));
      // Every ticket is the notification the emulator accepted for that very token.
      const tokenOfId = new Map(emulator.notifications.map(({ id, token }) => [id, token]));
      expect(items.map((item) => tokenOfId.get((item as PushTicket).id ?? ''))).toEqual(recipients.map(({ token }) => token));
      // Requests of 100 recipients, a message split across two of them, answered in reverse order.
      const tokens = recipients.map(({ token }) => token);
      expect(fake.answeredOrder).toEqual([3, 2, 1, 0]);
      expect(sendRequestTokens(emulator)).toEqual([tokens.slice(300), tokens.slice(200, 300), tokens.slice(100, 200), tokens.slice(0, 100)]);
      expect(fake.counts).toEqual({ started: 4, answered: 4, aborted: 0, inFlight: 0, maxInFlight: 4 });
    });

    it('reports a source that throws midway after yielding the results of everything it sent', async () => {
      const emulator = createPushEmulator();
      const client = new PushClient({ ...BASE, fetch: emulator.fetch, concurrency: 2 });
      const failure = new Error('cursor lost');
      const messages = batch.slice(0, 80); // 240 recipients
      async function* failing() {
        for await (const message of source()) {
          if (message === batch[80]) throw failure;
          yield message;
        }
      }

      const items: Item[] = [];
      const error = await rejection(
        (async () => {
          for await (const item of client.publishStream(failing())) items.push(item);
        })(),
      );

      expect(error).toBe(failure);
      const accepted = emulator.notifications.map(({ token }) => token);
      // The two full requests sent before the source failed are reported; whatever was sent is reported.
      expect(accepted.length).toBeGreaterThanOrEqual(200);
      expect(items.map(itemValue)).toEqual(recipientsOf(messages).slice(0, accepted.length).map(okTicketValue));
      expect(items.map((item) => item.token)).toEqual(accepted);
    });
  });

  it('yields a PushFailure with a PushValidationError naming the stream position for every recipient of an invalid message, sends nothing for it, and goes on', async () => {
    const emulator = createPushEmulator();
    const client = new PushClient({ ...BASE, fetch: emulator.fetch });
    const messages = [
      { to: tok('a') },
      { to: [tok('b'), 'not-a-token'] },
      { to: tok('c'), priority: 'urgent' },
      { title: 'nobody to send to' },
      { to: [tok('d'), tok('e')] },
    ] as unknown as PushMessage[];

    const items = await collect(client.publishStream(messages));

    const invalid = (index: number, path: string, message: string) => ({
      class: PushValidationError,
      name: 'PushValidationError',
      message: `Invalid push message input (1 problem, nothing was sent): message ${index}, ${path}: ${message}`,
      issues: [{ index, path, message }],
      causeCode: undefined,
    });
    const badToken = 'must be an Expo push token such as ExponentPushToken[…] (received "not-a-token")';
    const badPriority = 'must be one of "default", "normal", "high" (received "urgent")';
    const noRecipient = 'is required: an Expo push token or a non-empty array of them';
    expect(items.map(itemValue)).toEqual([
      { ticket: { status: 'ok', id: AN_ID, token: tok('a'), message: messages[0] } },
      { failure: { token: tok('b'), message: messages[1], error: invalid(1, 'to[1]', badToken) } },
      { failure: { token: 'not-a-token', message: messages[1], error: invalid(1, 'to[1]', badToken) } },
      { failure: { token: tok('c'), message: messages[2], error: invalid(2, 'priority', badPriority) } },
      { failure: { token: '', message: messages[3], error: invalid(3, 'to', noRecipient) } },
      { ticket: { status: 'ok', id: AN_ID, token: tok('d'), message: messages[4] } },
      { ticket: { status: 'ok', id: AN_ID, token: tok('e'), message: messages[4] } },
    ]);
    // Both recipients of one invalid message share its error.
    expect((items[1] as PushFailure).error).toBe((items[2] as PushFailure).error);
    expect(emulator.notifications.map(({ token }) => token)).toEqual([tok('a'), tok('d'), tok('e')]);
  });

  it('yields a PushFailure carrying the error for every recipient of a request that failed for good, and reports running totals', async () => {
    const emulator = createPushEmulator();
    let sends = 0;
    // The second request gets the service's 500 (not retried: the service may have accepted it).
    const fetch = (request: Request) =>
      sends++ === 1
        ? Promise.resolve(Response.json({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] }, { status: 500 }))
        : emulator.fetch(request);
    const client = new PushClient({ ...BASE, fetch, concurrency: 1 });
    const progress: PublishProgress[] = [];
    // 100 recipients, an invalid message, then 150 more: requests of 100, 100 and 50.
    const messages: PushMessage[] = [
      ...Array.from({ length: 100 }, (_, i) => ({ to: tok(`before-${i}`) })),
      { to: tok('invalid'), badge: -1 },
      ...Array.from({ length: 150 }, (_, i) => ({ to: tok(`after-${i}`) })),
    ];

    const items = await collect(client.publishStream(messages, { onProgress: (totals) => progress.push(totals) }));

    const failed = items.slice(101, 201) as PushFailure[];
    const serverError = failed[0]?.error;
    expect(describeError(serverError)).toEqual({
      class: PushServerError,
      name: 'PushServerError',
      message: 'HTTP 500 from the Expo push service (send): INTERNAL_SERVER_ERROR: An unknown error occurred.',
      endpoint: 'send',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }],
      responseData: { errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] },
      responseText: '{"errors":[{"code":"INTERNAL_SERVER_ERROR","message":"An unknown error occurred."}]}',
      retryAfterMs: undefined,
      outcomeUnknown: true,
      causeCode: undefined,
    });
    // Item 100 is the invalid message (stream position 100), items 101–200 the request that failed.
    const kindOf = (item: Item) =>
      item instanceof PushTicket ? item.status : item.error === serverError ? 'the 500' : (item.error as PushValidationError).issues;
    expect(items.map((item) => ({ token: item.token, kind: kindOf(item) }))).toEqual(
      recipientsOf(messages).map(({ token }, i) => ({
        token,
        kind:
          i === 100
            ? [{ index: 100, path: 'badge', message: 'must be a non-negative integer badge count (received -1)' }]
            : i > 100 && i <= 200
              ? 'the 500'
              : 'ok',
      })),
    );
    expect((items[100] as PushFailure).error).toBeInstanceOf(PushValidationError);
    expect(failed.map(({ message }) => message)).toEqual(messages.slice(101, 201));
    expect(progress).toEqual([
      { sent: 100, failed: 0 },
      { sent: 100, failed: 1 },
      { sent: 100, failed: 101 },
      { sent: 150, failed: 101 },
    ]);
    expect(progress.at(-1)).toEqual({
      sent: items.filter((item) => item instanceof PushTicket).length,
      failed: items.filter((item) => !(item instanceof PushTicket)).length,
    });
  });

  it('fails every recipient with the refusal and sends no further request once the credentials are refused', async () => {
    const emulator = createPushEmulator({ accessToken: 'right-token' });
    const client = new PushClient({ ...BASE, fetch: emulator.fetch, accessToken: 'wrong-token', concurrency: 1 });
    const messages = Array.from({ length: 250 }, (_, i) => ({ to: tok(i) }));
    const progress: PublishProgress[] = [];

    const items = await collect(client.publishStream(messages, { onProgress: (totals) => progress.push(totals) }));

    const refusal = (items[0] as PushFailure).error;
    expect(describeError(refusal)).toEqual({
      class: PushServerError,
      name: 'PushServerError',
      message: 'HTTP 401 from the Expo push service (send): invalid_token: The bearer token is invalid',
      endpoint: 'send',
      status: 401,
      code: 'invalid_token',
      errors: [],
      responseData: { error: 'invalid_token', error_description: 'The bearer token is invalid' },
      responseText: '{"error":"invalid_token","error_description":"The bearer token is invalid"}',
      retryAfterMs: undefined,
      outcomeUnknown: false,
      causeCode: undefined,
    });
    expect(items).toEqual(messages.map((message) => ({ token: message.to, message, error: refusal })));
    expect(emulator.stats.sendRequests).toBe(1);
    expect(progress).toEqual([
      { sent: 0, failed: 100 },
      { sent: 0, failed: 200 },
      { sent: 0, failed: 250 },
    ]);
  });

  it('reads no further message and sends no further request while the consumer does not pull', async () => {
    const emulator = createPushEmulator();
    const fake = controlledFetch(emulator.fetch);
    const client = new PushClient({ ...BASE, fetch: fake.fetch, concurrency: 3 });
    const { source, state } = countingSource(1000, (i) => ({ to: tok(i) }));
    const stream = client.publishStream(source);

    const first = await stream.next();
    await sleep(30);
    // Three requests of 100 in flight (now answered), nothing read beyond them.
    expect(itemValue(first.value as Item)).toEqual(okTicketValue({ token: tok(0), message: { to: tok(0) } }));
    expect({ pulled: state.pulled, ...fake.counts }).toEqual({ pulled: 300, started: 3, answered: 3, aborted: 0, inFlight: 0, maxInFlight: 3 });

    for (let i = 1; i < 100; i++) await stream.next();
    await sleep(30);
    expect({ pulled: state.pulled, started: fake.counts.started }).toEqual({ pulled: 300, started: 3 });

    // Taking the first result of the second request makes room for one more request.
    await stream.next();
    await sleep(30);
    expect({ pulled: state.pulled, started: fake.counts.started }).toEqual({ pulled: 400, started: 4 });
    await stream.return(undefined);
  });

  it('streams 20,000 lazily generated recipients with at most `concurrency` requests in flight and a bounded read-ahead', async () => {
    const emulator = createPushEmulator({ record: false });
    const fake = controlledFetch(emulator.fetch, () => 1);
    const concurrency = 4;
    const client = new PushClient({ ...BASE, fetch: fake.fetch, concurrency });
    // 10,000 messages, every second one to three tokens: 20,000 recipients.
    const tokensOf = (i: number) => (i % 2 === 1 ? [tok(`${i}-0`), tok(`${i}-1`), tok(`${i}-2`)] : [tok(i)]);
    const { source, state } = countingSource(10_000, (i) => ({ to: i % 2 === 1 ? tokensOf(i) : tok(i), body: `message ${i}` }));
    function* expectedTokens() {
      for (let i = 0; i < 10_000; i++) yield* tokensOf(i);
    }
    const expected = expectedTokens();
    let last: PublishProgress | undefined;
    const seen = { items: 0, okTickets: 0, outOfOrder: 0, maxReadAhead: 0 };

    for await (const item of client.publishStream(source, { onProgress: (totals) => (last = totals) })) {
      seen.items++;
      if (item instanceof PushTicket && item.status === 'ok') seen.okTickets++;
      if (item.token !== expected.next().value) seen.outOfOrder++;
      seen.maxReadAhead = Math.max(seen.maxReadAhead, state.recipientsPulled - seen.items);
      // A slow consumer: it lets the event loop run every 250 items.
      if (seen.items % 250 === 0) await sleep(0);
    }

    const { maxReadAhead, ...counted } = seen;
    expect(counted).toEqual({ items: 20_000, okTickets: 20_000, outOfOrder: 0 });
    // Read ahead of the consumer: at most `concurrency` requests' worth plus the chunk being built.
    expect(maxReadAhead).toBeLessThanOrEqual((concurrency + 1) * 100);
    expect(last).toEqual({ sent: 20_000, failed: 0 });
    expect(fake.counts).toEqual({ started: 200, answered: 200, aborted: 0, inFlight: 0, maxInFlight: expect.any(Number) });
    expect(fake.counts.maxInFlight).toBeLessThanOrEqual(concurrency);
    expect(emulator.stats).toEqual({ sendRequests: 200, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 20_000, faultsApplied: 0 });
  });

  describe('cancellation', () => {
    /** A stream of 1000 recipients whose first request is answered once the third started, and whose others hang until aborted. */
    function hangingAfterFirst() {
      const emulator = createPushEmulator();
      let thirdStarted = () => {};
      const third = new Promise<void>((resolve) => (thirdStarted = resolve));
      const fake = controlledFetch(emulator.fetch, ({ index }) => {
        if (index === 2) thirdStarted();
        return index === 0 ? third : 'until-aborted';
      });
      const client = new PushClient({ ...BASE, fetch: fake.fetch, concurrency: 3 });
      const { source, state } = countingSource(1000, (i) => ({ to: tok(i) }));
      return { emulator, fake, client, source, state };
    }

    it('rejects with the signal’s reason and aborts the requests in flight when the signal aborts between items', async () => {
      const { emulator, fake, client, source, state } = hangingAfterFirst();
      const controller = new AbortController();
      const reason = new Error('shutting down');
      const items: Item[] = [];

      const error = await rejection(
        (async () => {
          for await (const item of client.publishStream(source, { signal: controller.signal })) {
            items.push(item);
            controller.abort(reason);
          }
        })(),
      );

      expect(error).toBe(reason);
      // At most the results that had already arrived: ok tickets of the first request, in order.
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.length).toBeLessThanOrEqual(100);
      expect(items.map(itemValue)).toEqual(
        emulator.notifications.slice(0, items.length).map(({ token }) => okTicketValue({ token, message: { to: token } })),
      );
      await sleep(20);
      expect({ pulled: state.pulled, ...fake.counts }).toEqual({ pulled: 300, started: 3, answered: 1, aborted: 2, inFlight: 0, maxInFlight: 3 });
    });

    it('rejects with the reason and reads nothing when the signal is already aborted', async () => {
      const { fake, client, source, state } = hangingAfterFirst();
      const reason = new Error('too late');

      const error = await rejection(collect(client.publishStream(source, { signal: AbortSignal.abort(reason) })));

      expect(error).toBe(reason);
      expect({ pulled: state.pulled, started: fake.counts.started }).toEqual({ pulled: 0, started: 0 });
    });

    it('aborts the requests still in flight, and reads and sends nothing more, when the consumer breaks out of the loop', async () => {
      const { fake, client, source, state } = hangingAfterFirst();
      const items: Item[] = [];

      for await (const item of client.publishStream(source)) {
        items.push(item);
        break;
      }
      // Give anything wrongly left running the chance to start more requests.
      await sleep(20);

      expect(items.map(itemValue)).toEqual([okTicketValue({ token: tok(0), message: { to: tok(0) } })]);
      expect({ pulled: state.pulled, ...fake.counts }).toEqual({ pulled: 300, started: 3, answered: 1, aborted: 2, inFlight: 0, maxInFlight: 3 });
    });
  });
});

describe('PushClient.publishStream when aborted while the consumer waits', () => {
  it('rejects with the reason without yielding the failures the abort caused, and stops reading the source', async () => {
    let read = 0;
    function* source() {
      for (let i = 0; i < 1_000; i++) {
        read++;
        yield { to: tok(`abort-${i}`) };
      }
    }
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const controller = new AbortController();
    const progress: unknown[] = [];
    const items: unknown[] = [];
    const client = new PushClient({ fetch: hanging, rateLimit: false, concurrency: 2 });
    setTimeout(() => controller.abort(new Error('stop now')), 30);
    const error = await (async () => {
      for await (const item of client.publishStream(source(), { signal: controller.signal, onProgress: (p) => progress.push(p) })) items.push(item);
    })().catch((caught: unknown) => caught);
    expect(error).toEqual(new Error('stop now'));
    expect({ items, progress }).toEqual({ items: [], progress: [] });
    expect(read).toBeLessThanOrEqual(300);
  });
});

describe('PushClient.publishStream with a throwing onProgress', () => {
  it('rejects with the callback’s error', async () => {
    const emulator = createPushEmulator();
    const client = new PushClient({ fetch: emulator.fetch, rateLimit: false });
    const boom = new Error('progress display crashed');
    const messages = Array.from({ length: 250 }, (_, i) => ({ to: tok(`progress-${i}`) }));
    const error = await (async () => {
      for await (const _item of client.publishStream(messages, { onProgress: () => { throw boom; } })) {
        // drain
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBe(boom);
  });
});
