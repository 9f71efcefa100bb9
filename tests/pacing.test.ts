import { afterEach, describe, expect, it } from 'vitest';
import { createPushEmulator, type EmulatorNotification } from '../src/cli/node-entry.ts';
import { PushClient, type PushMessage, PushRateLimitError } from '../src/index.ts';
import { TokenBucket } from '../src/token-bucket.ts';
import { closeServers, describeError, expectAccounting, outcomeOf, recipientsOf, sendRequestTokens, serve, tok } from './helpers/delivery.ts';

/** A clock the test moves by hand. */
function manualClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
  };
}

/** Most recipients whose `receivedAt` falls in any closed window `[t, t + windowMs]`. */
function mostInWindow(notifications: readonly EmulatorNotification[], windowMs: number): number {
  const times = notifications.map(({ receivedAt }) => receivedAt).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) > windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('TokenBucket', () => {
  it('lets a full burst through at once and makes the next recipient wait for its refill', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1000, 100, clock.now);
    expect([bucket.reserve(60), bucket.reserve(40), bucket.reserve(1)]).toEqual([0, 0, 1]);
  });

  it('refills at perSecond as the clock moves, and never beyond the burst after an idle spell', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1000, 100, clock.now);
    const waits = [bucket.reserve(100)];
    clock.set(30);
    waits.push(bucket.reserve(30), bucket.reserve(1));
    clock.set(10_000);
    waits.push(bucket.reserve(100), bucket.reserve(1));
    expect(waits).toEqual([0, 0, 1, 0, 1]);
  });

  it('runs into debt when a request exceeds the burst, and makes it and the next wait for their share', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 5, clock.now);
    const first = bucket.reserve(25);
    clock.set(2_000);
    expect([first, bucket.reserve(1)]).toEqual([2_000, 100]);
  });

  it('computes waits in call order, each one after the waits reserved before it', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(100, 100, clock.now);
    const waits = [bucket.reserve(100), bucket.reserve(100), bucket.reserve(100), bucket.reserve(50)];
    clock.set(1_000);
    // 1 s later the queue still owes 250 - 100 recipients: the newcomer goes out after them, at 2.6 s.
    waits.push(bucket.reserve(10));
    expect(waits).toEqual([0, 1_000, 2_000, 2_500, 1_600]);
  });

  it('rounds a fractional wait up to the next whole millisecond at a rate like 600 per second', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(600, 100, clock.now);
    expect([bucket.reserve(101), bucket.reserve(59)]).toEqual([2, 100]);
  });

  it('gives a refunded reservation back, so the next caller no longer waits for it', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(100, 100, clock.now);
    const waits = [bucket.reserve(100), bucket.reserve(100)];
    bucket.refund(100);
    waits.push(bucket.reserve(50));
    expect(waits).toEqual([0, 1_000, 500]);
  });

  it('takes at once within the burst, and refunds a take whose wait is aborted', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1000, 100, clock.now);
    await bucket.take(100);
    const reason = new Error('cancelled');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(bucket.take(50, controller.signal)).rejects.toBe(reason);
    // Without the refund the bucket would owe 51 recipients here, not 1.
    expect(bucket.reserve(1)).toBe(1);
  });

  it('makes a take wait at least the computed time on the real clock', async () => {
    const bucket = new TokenBucket(1000, 10);
    await bucket.take(10);
    const start = performance.now();
    await bucket.take(40);
    expect(performance.now() - start).toBeGreaterThanOrEqual(39);
  });
});

describe('PushClient', () => {
  afterEach(closeServers);

  describe('rateLimit (client pacing) against the emulator rate limit over loopback HTTP', () => {

    /** 2,000 recipients: 200 messages of 10 tokens. */
    const messages: PushMessage[] = Array.from({ length: 200 }, (_, m) => ({
      to: Array.from({ length: 10 }, (_, i) => tok(`pace-${m}-${i}`)),
      body: `m${m}`,
    }));

    it('delivers 2,000 recipients without a single 429 when the client paces at the emulator rate of 1,000 per second', async () => {
      const emulator = createPushEmulator({ rateLimit: { perSecond: 1_000 } });
      const server = await serve(emulator);
      const client = new PushClient({ baseUrl: server.url, rateLimit: { perSecond: 1_000, burst: 100 }, retry: { baseDelayMs: 1 } });
      // Receipt lookups are not paced: this one opens the connection, so the first send's arrival is
      // not delayed by the handshake, which would crowd it into the window of the later ones.
      expect(await client.checkReceipts(['warm-up'])).toEqual([]);
      const tickets = await client.publishMultiple(messages);

      expect(tickets.map(({ status, token }) => ({ status, token }))).toEqual(recipientsOf(messages).map(({ token }) => ({ status: 'ok', token })));
      expectAccounting(messages, { tickets, failures: [] }, emulator);
      expect(emulator.stats).toEqual({ sendRequests: 20, receiptRequests: 1, rateLimited: 0, recipientsAccepted: 2_000, faultsApplied: 0 });
      // The client sends at most burst + rate × 1 s = 1,100 in any second; arrival times can bunch by
      // one request's worth on a busy machine, so allow one more request of jitter.
      expect(mostInWindow(emulator.notifications, 1_000)).toBeLessThanOrEqual(1_000 + 100 + 100);
      // Pacing waited: after the first burst of 100, 1,900 more recipients at 1,000 per second.
      const times = emulator.notifications.map(({ receivedAt }) => receivedAt);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1_800);
    });

    it('runs into 429s without client pacing, yet delivers or precisely reports every recipient', async () => {
      const emulator = createPushEmulator({ rateLimit: { perSecond: 1_000 } });
      const server = await serve(emulator);
      const client = new PushClient({ baseUrl: server.url, rateLimit: false, retry: { retries: 3, baseDelayMs: 200 } });
      const outcome = await outcomeOf(client.publishMultiple(messages));

      expect(emulator.stats.rateLimited).toBeGreaterThan(0);
      expectAccounting(messages, outcome, emulator);
      // A 429 refuses the whole request: exactly the ticketed recipients were accepted.
      expect(emulator.notifications.map(({ token }) => token).sort()).toEqual(outcome.tickets.map(({ token }) => token).sort());
      const detail = { code: 'TOO_MANY_REQUESTS', message: 'Exceeded 1000 notifications per second, please try again.' };
      const limited = {
        class: PushRateLimitError,
        name: 'PushRateLimitError',
        message: `HTTP 429 from the Expo push service (send): ${detail.code}: ${detail.message}`,
        endpoint: 'send',
        status: 429,
        code: detail.code,
        errors: [detail],
        responseData: { errors: [detail] },
        responseText: JSON.stringify({ errors: [detail] }),
        retryAfterMs: undefined,
        outcomeUnknown: false,
        causeCode: undefined,
      };
      expect(outcome.failures.map(({ error }) => describeError(error))).toEqual(outcome.failures.map(() => limited));
      // Every 429 was retried but those ending a request's last attempt (the 4th).
      const requests = sendRequestTokens(emulator);
      expect(requests.length).toBe(20 + emulator.stats.rateLimited - outcome.failures.length);
      expect(requests.filter((tokens) => tokens.length !== 100)).toEqual([]);
    });
  });
});
