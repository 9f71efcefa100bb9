import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPushEmulator, EMULATOR_FAULTS, type PushEmulatorOptions } from '../src/emulator/index.ts';
import { PushClient, type PushClientOptions, PushReceipt, PushServerError, type PushTicket, PushValidationError } from '../src/index.ts';
import { controlledFetch, type Hold, type HeldRequest } from './helpers/controlled-fetch.ts';
import { describeError, rejection, tok } from './helpers/delivery.ts';

const MINUTE = 60_000;

/** An emulator behind a recording fetch, a client on it, and tickets sent to `names`. */
async function sent(names: string[], emulatorOptions: PushEmulatorOptions = {}, clientOptions: PushClientOptions = {}, hold?: (request: HeldRequest) => Hold) {
  const emulator = createPushEmulator(emulatorOptions);
  const fake = controlledFetch(emulator.fetch, hold);
  const client = new PushClient({ fetch: fake.fetch, rateLimit: false, ...clientOptions });
  const tickets = await client.publishMultiple([{ to: names.map(tok), body: 'hello' }]);
  const polls = () => fake.requests.filter(({ endpoint }) => endpoint === 'receipts');
  return { emulator, fake, client, tickets, polls };
}

/** The receipt an `ok` ticket's lookup returns. */
const okReceipt = (ticket: PushTicket) => new PushReceipt({ status: 'ok', id: ticket.id as string, token: ticket.token });
const idsOf = (tickets: readonly PushTicket[]) => tickets.map(({ id }) => id as string);

describe('PushClient.waitForReceipts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns every receipt once they arrive 15 minutes after the send, polling at 0, 1, 3, 7, 12 and 17 minutes', async () => {
    vi.useFakeTimers();
    const { client, tickets, polls } = await sent(['a', 'b', 'c'], { receiptDelayMs: 15 * MINUTE });
    const start = Date.now();

    const waiting = client.waitForReceipts(tickets);
    await vi.advanceTimersByTimeAsync(17 * MINUTE);

    expect(await waiting).toStrictEqual({ receipts: tickets.map(okReceipt), pending: [] });
    expect(polls().map(({ startedAt, body }) => ({ at: startedAt - start, body }))).toEqual(
      [0, 1, 3, 7, 12, 17].map((minutes) => ({ at: minutes * MINUTE, body: { ids: idsOf(tickets) } })),
    );
  });

  it('returns the ids whose receipt never arrives in pending once timeoutMs has passed, asking only for the ids still missing', async () => {
    vi.useFakeTimers();
    const { client, tickets, polls } = await sent(['a', 'lost', 'c'], {
      receiptDelayMs: 100_000,
      receiptFor: ({ token }) => (token === tok('lost') ? null : undefined),
    });
    const [a, lost, c] = tickets as [PushTicket, PushTicket, PushTicket];
    const start = Date.now();

    const waiting = client.waitForReceipts(tickets, { timeoutMs: 5 * MINUTE, intervalMs: MINUTE });
    await vi.advanceTimersByTimeAsync(5 * MINUTE);

    expect(await waiting).toStrictEqual({ receipts: [okReceipt(a), okReceipt(c)], pending: [lost.id] });
    // Nothing at 0 and 1 minute, two receipts at 3, and a last poll for the lost one at the deadline.
    expect(polls().map(({ startedAt, body }) => ({ at: startedAt - start, body }))).toEqual([
      { at: 0, body: { ids: idsOf(tickets) } },
      { at: MINUTE, body: { ids: idsOf(tickets) } },
      { at: 3 * MINUTE, body: { ids: idsOf(tickets) } },
      { at: 5 * MINUTE, body: { ids: [lost.id] } },
    ]);
  });

  it('doubles the wait after every poll up to 5 minutes and polls one last time at the deadline', async () => {
    vi.useFakeTimers();
    const { client, tickets, polls } = await sent(['a', 'b'], { receiptFor: () => null });
    const start = Date.now();

    const waiting = client.waitForReceipts(tickets);
    await vi.advanceTimersByTimeAsync(31 * MINUTE);

    expect(await waiting).toStrictEqual({ receipts: [], pending: idsOf(tickets) });
    expect(polls().map(({ startedAt }) => (startedAt - start) / MINUTE)).toEqual([0, 1, 3, 7, 12, 17, 22, 27, 30]);
  });

  it('waits at least intervalMs before the second poll and twice as long before each next one, on the real clock', async () => {
    // The emulator's clock counts receipt polls, so the receipt shows up for the fourth one.
    let clock = 0;
    const emulator = createPushEmulator({ now: () => clock, receiptDelayMs: 4 });
    const fake = controlledFetch((request) => {
      if (request.url.endsWith('/getReceipts')) clock++;
      return emulator.fetch(request);
    });
    const client = new PushClient({ fetch: fake.fetch });
    const tickets = await client.publishMultiple([{ to: tok('a') }]);

    const result = await client.waitForReceipts(tickets, { timeoutMs: 10_000, intervalMs: 50 });

    expect(result).toStrictEqual({ receipts: tickets.map(okReceipt), pending: [] });
    const times = fake.requests.filter(({ endpoint }) => endpoint === 'receipts').map(({ startedAt }) => startedAt);
    expect(times).toHaveLength(4);
    // Lower bounds only (1 ms of slack for timer rounding): 50, 100 and 200 ms.
    const gaps = times.slice(1).map((time, i) => time - (times[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(49);
    expect(gaps[1]).toBeGreaterThanOrEqual(99);
    expect(gaps[2]).toBeGreaterThanOrEqual(199);
  });

  it('pairs each receipt with the token of the ticket it was looked up from, skipping tickets without an id', async () => {
    const { client, tickets, fake } = await sent(['a', 'gone', 'b', 'c'], { unregisteredTokens: [tok('gone')] });
    const [a, gone, b, c] = tickets as [PushTicket, PushTicket, PushTicket, PushTicket];
    expect(gone.toJSON()).toEqual({
      status: 'error',
      message: `"${tok('gone')}" is not a registered push notification recipient`,
      details: { error: 'DeviceNotRegistered', expoPushToken: tok('gone') },
      token: tok('gone'),
    });

    // A ticket, an error ticket, a ticket stored as JSON, and a bare id read back from a database.
    const result = await client.waitForReceipts([a, gone, b.toJSON(), c.id as string]);

    expect(result).toStrictEqual({
      receipts: [okReceipt(a), okReceipt(b), new PushReceipt({ status: 'ok', id: c.id as string, token: undefined })],
      pending: [],
    });
    expect(fake.requests.map(({ endpoint, body }) => ({ endpoint, body }))).toEqual([
      { endpoint: 'send', body: [{ to: [tok('a'), tok('gone'), tok('b'), tok('c')], body: 'hello' }] },
      { endpoint: 'receipts', body: { ids: [a.id, b.id, c.id] } },
    ]);
  });

  it('returns an error receipt with its message and details verbatim, without the service’s undocumented top-level fields', async () => {
    const providerError = {
      status: 'error',
      message: 'There was an unknown error with the FCM server. See this error\'s details for more information.',
      details: { error: 'ProviderError', fault: 'fcm', fcm: { error: 'MismatchSenderId' } },
      messageEnum: 1004,
    } as const;
    const { client, tickets } = await sent(['a'], { receiptFor: () => providerError });

    expect(await client.waitForReceipts(tickets, { timeoutMs: 0 })).toStrictEqual({
      receipts: [
        new PushReceipt({
          status: 'error',
          message: providerError.message,
          details: { error: 'ProviderError', fault: 'fcm', fcm: { error: 'MismatchSenderId' } },
          id: tickets[0]?.id as string,
          token: tok('a'),
        }),
      ],
      pending: [],
    });
  });

  it('skips polls that fail on a 502 page, an Envoy 503, a 429 or a reset connection, and keeps polling', async () => {
    vi.useFakeTimers();
    const { emulator, client, tickets, polls } = await sent(['a', 'b'], {}, { retry: false });
    for (const fault of [EMULATOR_FAULTS.badGateway, EMULATOR_FAULTS.upstreamReset, EMULATOR_FAULTS.tooManyRequests, EMULATOR_FAULTS.resetBeforeProcessing]) {
      emulator.injectFault(fault, { endpoint: 'receipts' });
    }
    const start = Date.now();

    const waiting = client.waitForReceipts(tickets, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(15_000);

    expect(await waiting).toStrictEqual({ receipts: tickets.map(okReceipt), pending: [] });
    expect(polls().map(({ startedAt }) => startedAt - start)).toEqual([0, 1000, 3000, 7000, 15_000]);
    // 0: the reset connection never produced a response.
    expect(emulator.requests.filter(({ endpoint }) => endpoint === 'receipts').map(({ status }) => status)).toEqual([502, 503, 429, 0, 200]);
  });

  it('rejects with the last poll’s failure when the service is still failing at the deadline', async () => {
    vi.useFakeTimers();
    const { emulator, client, tickets, polls } = await sent(['a'], {}, { retry: false });
    emulator.injectFault(EMULATOR_FAULTS.badGateway, { endpoint: 'receipts', times: Infinity });

    const outcome = rejection(client.waitForReceipts(tickets, { timeoutMs: 2000, intervalMs: 1000 }));
    await vi.advanceTimersByTimeAsync(2000);

    expect(describeError(await outcome)).toEqual({
      class: PushServerError,
      name: 'PushServerError',
      message:
        'HTTP 502 from the Expo push service (receipts) was not JSON: <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>nginx</center> </body> </html>',
      endpoint: 'receipts',
      status: 502,
      code: undefined,
      errors: [],
      responseData: undefined,
      responseText: EMULATOR_FAULTS.badGateway.body,
      retryAfterMs: undefined,
      outcomeUnknown: false,
      causeCode: undefined,
    });
    expect(polls()).toHaveLength(3);
  });

  it('rejects at once, without polling again, when the service refuses the access token (HTTP 401)', async () => {
    vi.useFakeTimers();
    const emulator = createPushEmulator({ accessToken: 'right-token' });
    const fake = controlledFetch(emulator.fetch);
    const client = new PushClient({ fetch: fake.fetch, accessToken: 'wrong-token' });

    const outcome = rejection(client.waitForReceipts(['01975b8d-8352-7beb-a3f0-ca195f91842c'], { intervalMs: 1000 }));
    await vi.advanceTimersByTimeAsync(10 * MINUTE);

    expect(describeError(await outcome)).toEqual({
      class: PushServerError,
      name: 'PushServerError',
      message: 'HTTP 401 from the Expo push service (receipts): invalid_token: The bearer token is invalid',
      endpoint: 'receipts',
      status: 401,
      code: 'invalid_token',
      errors: [],
      responseData: { error: 'invalid_token', error_description: 'The bearer token is invalid' },
      responseText: '{"error":"invalid_token","error_description":"The bearer token is invalid"}',
      retryAfterMs: undefined,
      outcomeUnknown: false,
      causeCode: undefined,
    });
    expect(fake.counts.started).toBe(1);
  });

  describe('cancellation', () => {
    it('rejects with the signal’s reason while waiting between polls, and polls no more', async () => {
      vi.useFakeTimers();
      const { client, tickets, polls } = await sent(['a'], { receiptFor: () => null });
      const controller = new AbortController();
      const reason = new Error('shutting down');

      const outcome = rejection(client.waitForReceipts(tickets, { signal: controller.signal }));
      let settled = false;
      void outcome.finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(1.5 * MINUTE);
      expect(settled).toBe(false);
      controller.abort(reason);
      // No time passes: the wait for the next poll (at 3 minutes) is cut short.
      await vi.advanceTimersByTimeAsync(0);
      expect(settled).toBe(true);

      expect(await outcome).toBe(reason);
      await vi.advanceTimersByTimeAsync(30 * MINUTE);
      expect(polls()).toHaveLength(2);
    });

    it('rejects with the signal’s reason and aborts the poll in flight', async () => {
      const { client, tickets, fake } = await sent(['a'], {}, {}, ({ endpoint }) => (endpoint === 'receipts' ? 'until-aborted' : 0));
      const controller = new AbortController();
      const reason = new Error('user cancelled');

      const outcome = rejection(client.waitForReceipts(tickets, { signal: controller.signal }));
      await vi.waitFor(() => expect(fake.counts.started).toBe(2));
      controller.abort(reason);

      expect(await outcome).toBe(reason);
      expect(fake.counts).toEqual({ started: 2, answered: 1, aborted: 1, inFlight: 0, maxInFlight: 1 });
    });

    it('rejects with the reason and sends nothing when the signal is already aborted', async () => {
      const { client, tickets, fake } = await sent(['a']);
      const reason = new Error('too late');

      expect(await rejection(client.waitForReceipts(tickets, { signal: AbortSignal.abort(reason) }))).toBe(reason);
      expect(fake.counts.started).toBe(1);
    });
  });

  describe('input checks', () => {
    it('throws a PushValidationError listing every entry that is neither a receipt id nor a ticket, and sends nothing', async () => {
      const { client, tickets, fake } = await sent(['a']);

      const error = await rejection(
        client.waitForReceipts(['an-id', '', 42, Promise.resolve(tickets[0]), { id: '' }, { note: 'no id' }] as never, { timeoutMs: 0 }),
      );

      expect(describeError(error)).toEqual({
        class: PushValidationError,
        name: 'PushValidationError',
        message:
          'Invalid receipt id input (5 problems, nothing was sent): entry 1: must be a non-empty receipt id; entry 2: must be a receipt id or a ticket (received 42); entry 3: is a Promise: await the ticket before looking up its receipt; entry 4, id: must be a non-empty string (received ""); entry 5: must be a receipt id or a ticket, but has neither id nor status',
        issues: [
          { index: 1, path: '', message: 'must be a non-empty receipt id' },
          { index: 2, path: '', message: 'must be a receipt id or a ticket (received 42)' },
          { index: 3, path: '', message: 'is a Promise: await the ticket before looking up its receipt' },
          { index: 4, path: 'id', message: 'must be a non-empty string (received "")' },
          { index: 5, path: '', message: 'must be a receipt id or a ticket, but has neither id nor status' },
        ],
        causeCode: undefined,
      });
      expect(fake.counts.started).toBe(1);
    });

    it.each([
      ['timeoutMs', { timeoutMs: -1 }],
      ['timeoutMs', { timeoutMs: Number.NaN }],
      ['intervalMs', { intervalMs: -5 }],
      ['intervalMs', { intervalMs: '1000' }],
    ])('throws a TypeError naming %s when it is not a non-negative number (%o)', async (name, options) => {
      const { client, tickets, fake } = await sent(['a']);

      const error = await rejection(client.waitForReceipts(tickets, options as never));

      expect(error).toEqual(new TypeError(`${name} must be a non-negative number of milliseconds`));
      expect(error).toBeInstanceOf(TypeError);
      expect(fake.counts.started).toBe(1);
    });

    it('resolves at once without a request when no entry carries a receipt id', async () => {
      const { client, tickets, fake } = await sent(['gone'], { unregisteredTokens: [tok('gone')] });

      expect(await client.waitForReceipts(tickets)).toStrictEqual({ receipts: [], pending: [] });
      expect(fake.counts.started).toBe(1);
    });
  });
});

describe('PushClient.waitForReceipts input', () => {
  it('refuses a non-array with a TypeError', async () => {
    const client = new PushClient({ fetch: async () => new Response('{"data":{}}') });
    await expect(client.waitForReceipts('abc' as never)).rejects.toThrow(new TypeError('waitForReceipts() expects an array of receipt ids or tickets'));
  });
});
