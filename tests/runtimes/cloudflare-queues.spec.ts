import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorServer, PushEmulatorOptions } from '../../src/cli/node-entry.ts';
import { COMPATIBILITY_DATE, consumerDir, root } from './harness.ts';

// examples/cloudflare-queues runs here in workerd (miniflare 4, no nodejs_compat) with real local
// Queues (producers, consumers with max_batch_size 100, retries with delays, a dead-letter queue)
// and its Durable Objects, against the emulator on loopback with the service's rate limit on. The
// example is bundled from the scratch consumer, so `expo-push-edge/cloudflare` is the packed
// tarball. A thin test wrapper around it adds only what a test needs: a crash switch, a way to
// put a raw body on the queue, and a driver that calls the example's queue handler concurrently
// (the local queue runs one consumer invocation at a time, Cloudflare runs several).

const ACCESS_TOKEN = 'cloudflare-queues-test-token';
/** The example's API_SECRET, and the header its /send and /log routes require. */
const API_SECRET = 'cloudflare-queues-test-api-secret';
const AUTHORIZED = { authorization: `Bearer ${API_SECRET}` };
/** Recipients per second: the limiter's rate and the emulator's limit alike. */
const RATE = 1000;

const WRAPPER = `
import worker, { DeliveryLog, PushRateLimiter, QUEUES } from './examples/cloudflare-queues/src/worker.ts';
export { DeliveryLog, PushRateLimiter };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let crashAt = -1;

/** The batch, with the (crashAt + 1)th ack or retry throwing, as a Worker dying mid-batch would. */
function crashing(batch, at) {
  let calls = 0;
  const step = () => { if (calls++ === at) throw new Error('simulated crash in the middle of a batch'); };
  return {
    queue: batch.queue,
    messages: batch.messages.map((m) => ({
      id: m.id, timestamp: m.timestamp, body: m.body, attempts: m.attempts,
      ack() { step(); m.ack(); },
      retry(options) { step(); m.retry(options); },
    })),
  };
}

/** Calls the example's queue handler on the push queue's messages, up to \`concurrency\` batches at once. */
async function drive(env, bodies, concurrency) {
  const ready = bodies.map((body, n) => ({ id: 'm' + n, body, attempts: 1 }));
  const stats = { invocations: 0, maxActive: 0, acked: 0, retried: 0, crashed: 0 };
  let active = 0;
  let timers = 0;
  const later = (item, seconds) => { timers++; setTimeout(() => { timers--; ready.push({ ...item, attempts: item.attempts + 1 }); }, seconds * 1000); };
  const run = async (items) => {
    stats.invocations++;
    stats.maxActive = Math.max(stats.maxActive, ++active);
    const settled = new Set();
    const messages = items.map((item) => ({
      id: item.id, timestamp: new Date(), body: item.body, attempts: item.attempts,
      ack() { settled.add(item); stats.acked++; },
      retry(options) { settled.add(item); stats.retried++; later(item, options?.delaySeconds ?? 0); },
    }));
    try {
      await worker.queue({ queue: QUEUES.push, messages }, env);
    } catch {
      stats.crashed++;
      for (const item of items) if (!settled.has(item)) later(item, 0);
    } finally {
      active--;
    }
  };
  const running = new Set();
  while (ready.length > 0 || running.size > 0 || timers > 0) {
    while (ready.length > 0 && running.size < concurrency) {
      const task = run(ready.splice(0, 100));
      running.add(task);
      task.finally(() => running.delete(task));
    }
    await Promise.race([...running, sleep(10)]);
  }
  return stats;
}

function failingProducer() {
  return { async send() { throw new Error('queue unavailable'); }, async sendBatch() { throw new Error('queue unavailable'); } };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__test/crash-next-batch') { crashAt = Number(url.searchParams.get('at')); return new Response('ok'); }
    if (url.pathname === '/__test/raw') { await env.PUSH_QUEUE.send(await request.json()); return new Response('ok'); }
    if (url.pathname === '/__test/drive') {
      const { messages, concurrency, settings = {}, receiptsQueue } = await request.json();
      // The example's own producer route, with the queue captured instead of sent (bodies go as JSON).
      const captured = [];
      const capture = { async send(body) { captured.push(body); }, async sendBatch(list) { for (const m of list) captured.push(JSON.parse(JSON.stringify(m.body))); } };
      const send = new Request('http://worker.test/send', { method: 'POST', headers: { authorization: 'Bearer ' + env.API_SECRET }, body: JSON.stringify({ messages }) });
      const produced = await worker.fetch(send, { ...env, PUSH_QUEUE: capture }, ctx);
      if (!produced.ok) return produced;
      const driven = { ...env, ...settings, ...(receiptsQueue === 'failing' ? { PUSH_RECEIPTS: failingProducer() } : {}) };
      return Response.json({ produced: await produced.json(), stats: await drive(driven, captured, concurrency) });
    }
    return worker.fetch(request, env, ctx);
  },
  async queue(batch, env, ctx) {
    if (batch.queue === QUEUES.push && crashAt >= 0) {
      const at = crashAt;
      crashAt = -1;
      return worker.queue(crashing(batch, at), env, ctx);
    }
    return worker.queue(batch, env, ctx);
  },
};
`;

interface LogEvent {
  type: string;
  token?: string;
  id?: string;
  code?: string;
  body?: unknown;
}

/** The example's wrangler.jsonc, comments stripped. */
function wranglerConfig() {
  const text = readFileSync(join(root, 'examples/cloudflare-queues/wrangler.jsonc'), 'utf8');
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/\/\/[^"\n]*$/gm, '')) as {
    queues: {
      producers: Array<{ binding: string; queue: string }>;
      consumers: Array<{ queue: string; max_batch_size?: number; max_retries?: number; dead_letter_queue?: string }>;
    };
    durable_objects: { bindings: Array<{ name: string; class_name: string }> };
    vars: Record<string, string>;
  };
}

const token = (n: number) => `ExponentPushToken[cfq-${String(n).padStart(5, '0')}]`;

let script = '';

async function startEmulator(options: PushEmulatorOptions): Promise<EmulatorServer> {
  const entry = join(consumerDir(), 'node_modules', 'expo-push-edge', 'dist', 'node.js');
  const { serveEmulator } = (await import(pathToFileURL(entry).href)) as typeof import('../../src/cli/node-entry.ts');
  return serveEmulator({ accessToken: ACCESS_TOKEN, rateLimit: { perSecond: RATE }, ...options });
}

/**
 * Miniflare configured from wrangler.jsonc: the same queues, bindings and consumers, with test
 * values for the settings (short delays, a higher rate) and fewer retries so dead-lettering is quick.
 */
function startWorker(server: EmulatorServer, vars: Record<string, string> = {}, maxRetries = 3): Miniflare {
  const config = wranglerConfig();
  return new Miniflare({
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [],
    bindings: {
      ...config.vars,
      PUSH_PER_SECOND: String(RATE),
      RECEIPT_DELAY_SECONDS: '1',
      RECEIPT_RETRY_DELAY_SECONDS: '1',
      MAX_RECEIPT_ATTEMPTS: '3',
      RETRY_BASE_DELAY_SECONDS: '1',
      API_SECRET,
      ...vars,
      EXPO_ACCESS_TOKEN: ACCESS_TOKEN,
      EXPO_PUSH_BASE_URL: server.url,
    },
    queueProducers: Object.fromEntries(config.queues.producers.map((p) => [p.binding, { queueName: p.queue }])),
    queueConsumers: Object.fromEntries(
      config.queues.consumers.map((c) => [
        c.queue,
        { maxBatchSize: c.max_batch_size, maxBatchTimeout: 0.2, maxRetries: c.max_retries === undefined ? undefined : maxRetries, deadLetterQueue: c.dead_letter_queue },
      ]),
    ),
    durableObjects: Object.fromEntries(config.durable_objects.bindings.map((b) => [b.name, b.class_name])),
  });
}

/** Runs `test` against a fresh emulator and the example Worker (see {@link startWorker}), and stops both. */
async function withPipeline(
  options: { emulator?: PushEmulatorOptions; vars?: Record<string, string>; maxRetries?: number },
  test: (mf: Miniflare, server: EmulatorServer) => Promise<void>,
): Promise<void> {
  const server = await startEmulator(options.emulator ?? {});
  const mf = startWorker(server, options.vars, options.maxRetries);
  try {
    await test(mf, server);
  } finally {
    await mf.dispose();
    await server.close();
  }
}

async function readLog(mf: Miniflare): Promise<LogEvent[]> {
  const response = await mf.dispatchFetch('http://worker.test/log', { headers: AUTHORIZED });
  return (await response.json()) as LogEvent[];
}

/** Polls the delivery log until `done` holds for it. */
async function waitForLog(mf: Miniflare, done: (events: LogEvent[]) => boolean, timeoutMs = 30_000): Promise<LogEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await readLog(mf);
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`timed out; log has ${events.length} events: ${JSON.stringify(countBy(events, (e) => e.type))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** The most notifications the emulator accepted in any window of 1000 ms. */
function maxPerSecond(server: EmulatorServer): number {
  const times = server.emulator.notifications.map((n) => n.receivedAt).sort((a, b) => a - b);
  let max = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

const FINAL = new Set(['delivered', 'invalidToken', 'credentialProblem', 'deliveryError', 'missingReceipt', 'invalidMessage', 'deadLettered', 'receiptNotScheduled']);

/** Each token's final outcome (the event that ends its story). */
function outcomes(events: readonly LogEvent[]): Map<string, string[]> {
  const byToken = new Map<string, string[]>();
  for (const event of events) {
    const key = event.token ?? (event.body as { to?: string } | undefined)?.to;
    if (key === undefined || !FINAL.has(event.type)) continue;
    byToken.set(key, [...(byToken.get(key) ?? []), event.type]);
  }
  return byToken;
}

/** 2,000 recipients in 1,400 messages (some with several tokens), with every kind of outcome planted. */
function campaign() {
  const tokens = Array.from({ length: 2000 }, (_, n) => token(n));
  const messages: Array<{ to: string | string[]; title: string; body: string; data: { n: number } }> = [];
  for (let n = 0; n < 2000; ) {
    const size = n % 10 === 0 ? 4 : 1;
    const to = tokens.slice(n, n + size);
    messages.push({ to: size === 1 ? (to[0] as string) : to, title: 'Sale', body: `Today only ✓ ${n}`, data: { n } });
    n += size;
  }
  const unregistered = [token(7), token(1234)];
  const receiptErrors = new Map<string, string>([
    [token(11), 'DeviceNotRegistered'],
    [token(500), 'InvalidCredentials'],
    [token(1500), 'MessageTooBig'],
  ]);
  const missing = new Set([token(42), token(1999)]);
  const expected = new Map<string, string>();
  for (const t of tokens) {
    const code = receiptErrors.get(t);
    expected.set(
      t,
      unregistered.includes(t)
        ? 'invalidToken'
        : missing.has(t)
          ? 'missingReceipt'
          : code === 'DeviceNotRegistered'
            ? 'invalidToken'
            : code === 'InvalidCredentials'
              ? 'credentialProblem'
              : code
                ? 'deliveryError'
                : 'delivered',
    );
  }
  const emulatorOptions: PushEmulatorOptions = {
    unregisteredTokens: unregistered,
    // Later than the first look (1 s after the ticket): most receipts are found on the second look.
    receiptDelayMs: 1200,
    receiptFor: (notification) => {
      if (missing.has(notification.token)) return null;
      const code = receiptErrors.get(notification.token);
      return code ? { status: 'error', message: code, details: { error: code, expoPushToken: notification.token } } : undefined;
    },
  };
  return { tokens, messages, unregistered, expected, emulatorOptions };
}

function expectEveryRecipientAccounted(events: readonly LogEvent[], expected: Map<string, string>) {
  const byToken = outcomes(events);
  const wrong = [...expected].filter(([t, outcome]) => JSON.stringify(byToken.get(t)) !== JSON.stringify([outcome]));
  expect(wrong.map(([t, outcome]) => ({ token: t, expected: outcome, got: byToken.get(t) }))).toEqual([]);
}

function expectSentOnce(server: EmulatorServer, tokens: readonly string[], unregistered: readonly string[]) {
  const sent = server.emulator.notifications.map((n) => n.token);
  expect(sent.length).toBe(new Set(sent).size);
  expect(new Set(sent)).toEqual(new Set(tokens.filter((t) => !unregistered.includes(t))));
}

describe('examples/cloudflare-queues in workerd: Queues, Durable Objects, the emulator', () => {
  beforeAll(async () => {
    const result = await esbuild.build({
      stdin: { contents: WRAPPER, resolveDir: consumerDir(), sourcefile: 'test-worker.mjs' },
      absWorkingDir: consumerDir(),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      target: 'es2022',
      logLevel: 'silent',
    });
    script = result.outputFiles[0]?.text ?? '';
  });

  it('2,000 recipients through the local queues: each sent once, paced, every outcome reported', async () => {
    const { tokens, messages, unregistered, expected, emulatorOptions } = campaign();
    await withPipeline({ emulator: emulatorOptions }, async (mf, server) => {
      const started = Date.now();
      const response = await mf.dispatchFetch('http://worker.test/send', { method: 'POST', headers: AUTHORIZED, body: JSON.stringify({ messages }) });
      expect(await response.json()).toEqual({ enqueued: 2000, batches: 20 });
      // A body no producer of ours wrote: acked and reported once, never retried.
      await mf.dispatchFetch('http://worker.test/__test/raw', { method: 'POST', body: JSON.stringify({ to: 'not a token', title: 7 }) });
      const events = await waitForLog(mf, (log) => outcomes(log).size >= 2001);
      const elapsed = Date.now() - started;
      expectEveryRecipientAccounted(events, expected);
      expect(events.filter((e) => e.type === 'invalidMessage')).toEqual([{ type: 'invalidMessage', body: { to: 'not a token', title: 7 } }]);
      expectSentOnce(server, tokens, unregistered);
      // One ticket per accepted recipient, and its receipt id is the one the emulator issued.
      const idOf = new Map(server.emulator.notifications.map((n) => [n.token, n.id]));
      const tickets = events.filter((e) => e.type === 'ticket');
      expect(tickets).toHaveLength(1998);
      expect(tickets.every((e) => idOf.get(e.token as string) === e.id)).toBe(true);
      // Late receipts were looked up again; missing ones three times in all.
      const looks = countBy(server.emulator.requests.filter((r) => r.endpoint === 'receipts').flatMap((r) => (JSON.parse(r.bodyText) as { ids: string[] }).ids), (id) => id);
      expect(Object.values(looks).some((n) => n >= 2)).toBe(true);
      expect(looks[idOf.get(token(42)) as string]).toBe(3);
      const perSecond = maxPerSecond(server);
      expect(perSecond).toBeLessThanOrEqual(RATE);
      expect(server.emulator.stats.rateLimited).toBe(0);
      // At 1,000 per second, 2,000 recipients cannot take less than one second.
      expect(elapsed).toBeGreaterThan(1000);
      console.log(`local queues: 2000 recipients, max ${perSecond} accepted in any second, ${elapsed} ms`);
    });
  });

  it('2,000 recipients with several consumer invocations at once: the Durable Object keeps them all under the rate', async () => {
    const { tokens, messages, unregistered, expected, emulatorOptions } = campaign();
    await withPipeline({ emulator: emulatorOptions }, async (mf, server) => {
      const started = Date.now();
      const response = await mf.dispatchFetch('http://worker.test/__test/drive', { method: 'POST', body: JSON.stringify({ messages, concurrency: 4 }) });
      const { produced, stats } = (await response.json()) as { produced: unknown; stats: Record<string, number> };
      expect(produced).toEqual({ enqueued: 2000, batches: 20 });
      expect(stats.maxActive).toBe(4);
      expect(stats.acked).toBe(2000);
      // The limiter refused some batches (more than a second's worth was asked for at once).
      expect(stats.retried).toBeGreaterThan(0);
      expect(stats.crashed).toBe(0);
      const events = await waitForLog(mf, (log) => outcomes(log).size >= 2000);
      expectEveryRecipientAccounted(events, expected);
      expectSentOnce(server, tokens, unregistered);
      const perSecond = maxPerSecond(server);
      expect(perSecond).toBeLessThanOrEqual(RATE);
      expect(server.emulator.stats.rateLimited).toBe(0);
      console.log(`concurrent: ${stats.invocations} invocations, up to ${stats.maxActive} at once, max ${perSecond} accepted in any second, ${Date.now() - started} ms`);
    });
  });

  it('a message that keeps failing reaches the dead-letter queue after max_retries, sent never', async () => {
    await withPipeline({ vars: { RETRY_BASE_DELAY_SECONDS: '0' }, maxRetries: 2 }, async (mf, server) => {
      server.emulator.injectFault({ kind: 'respond', status: 429, headers: { 'content-type': 'application/json' }, body: '{"errors":[{"code":"TOO_MANY_REQUESTS","message":"slow down"}]}' }, { times: 3, endpoint: 'send' });
      const messages = [{ to: [token(1), token(2), token(3)], body: 'hi' }];
      await mf.dispatchFetch('http://worker.test/send', { method: 'POST', headers: AUTHORIZED, body: JSON.stringify({ messages }) });
      const events = await waitForLog(mf, (log) => log.filter((e) => e.type === 'deadLettered').length >= 3);
      expect(events.map((e) => [e.type, (e.body as { to: string }).to]).sort()).toEqual([
        ['deadLettered', token(1)],
        ['deadLettered', token(2)],
        ['deadLettered', token(3)],
      ]);
      // Three attempts (max_retries 2), each refused with 429; nothing accepted.
      expect(server.emulator.requests.filter((r) => r.endpoint === 'send').map((r) => r.status)).toEqual([429, 429, 429]);
      expect(server.emulator.notifications).toEqual([]);
    });
  });

  it('a crash in the middle of a batch loses nothing: the batch is delivered again', async () => {
    await withPipeline({}, async (mf, server) => {
      await mf.dispatchFetch('http://worker.test/__test/crash-next-batch?at=50');
      const tokens = Array.from({ length: 300 }, (_, n) => token(n));
      await mf.dispatchFetch('http://worker.test/send', { method: 'POST', headers: AUTHORIZED, body: JSON.stringify({ messages: [{ to: tokens, body: 'hi' }] }) });
      const events = await waitForLog(mf, (log) => outcomes(log).size >= 300);
      const byToken = outcomes(events);
      // Every recipient delivered; the crashed batch was sent again after redelivery (the
      // documented duplicate risk of a crash between the send and the acks), nothing else twice.
      expect(tokens.filter((t) => !byToken.get(t)?.includes('delivered'))).toEqual([]);
      const sent = countBy(server.emulator.notifications, (n) => n.token);
      const twice = Object.keys(sent).filter((t) => (sent[t] as number) > 1);
      expect(twice.length).toBeLessThanOrEqual(100);
      expect(Object.keys(sent)).toHaveLength(300);
    });
  });

  it('outcome unknown: acked once (at-most-once) by default, sent again with UNKNOWN_OUTCOME=retry', async () => {
    await withPipeline({}, async (mf, server) => {
      const tokens = Array.from({ length: 10 }, (_, n) => token(n));
      // The service accepts the request, then the connection is reset: the sender cannot know.
      server.emulator.injectFault({ kind: 'reset', afterProcessing: true }, { times: 1, endpoint: 'send' });
      let response = await mf.dispatchFetch('http://worker.test/__test/drive', { method: 'POST', body: JSON.stringify({ messages: [{ to: tokens, body: 'a' }], concurrency: 1 }) });
      expect(((await response.json()) as { stats: unknown }).stats).toMatchObject({ acked: 10, retried: 0 });
      expect(server.emulator.notifications.map((n) => n.token)).toEqual(tokens);
      let events = await readLog(mf);
      expect(events.filter((e) => e.type === 'unknownOutcome').map((e) => e.token)).toEqual(tokens);

      server.emulator.reset();
      server.emulator.injectFault({ kind: 'reset', afterProcessing: true }, { times: 1, endpoint: 'send' });
      response = await mf.dispatchFetch('http://worker.test/__test/drive', {
        method: 'POST',
        body: JSON.stringify({ messages: [{ to: tokens, body: 'b' }], concurrency: 1, settings: { UNKNOWN_OUTCOME: 'retry', RETRY_BASE_DELAY_SECONDS: '0' } }),
      });
      expect(((await response.json()) as { stats: unknown }).stats).toMatchObject({ acked: 10, retried: 10 });
      // At-least-once: every recipient twice, as documented.
      expect(server.emulator.notifications.map((n) => n.token)).toEqual([...tokens, ...tokens]);
      events = await readLog(mf);
      expect(events.filter((e) => e.type === 'unknownOutcomeResent').map((e) => e.token)).toEqual(tokens);
    });
  });

  it('refuses /send and /log without the API secret, and everything when no secret is configured', async () => {
    const server = await startEmulator({});
    const open = startWorker(server);
    const unconfigured = startWorker(server, { API_SECRET: '' });
    try {
      const messages = [{ to: token(1), body: 'hi' }];
      const attempts = [
        [open, 'http://worker.test/send', { method: 'POST', body: JSON.stringify({ messages }) }],
        [open, 'http://worker.test/send', { method: 'POST', headers: { authorization: `Bearer ${API_SECRET}x` }, body: JSON.stringify({ messages }) }],
        [open, 'http://worker.test/log', {}],
        [open, 'http://worker.test/log', { headers: { authorization: API_SECRET } }],
        [unconfigured, 'http://worker.test/send', { method: 'POST', headers: { authorization: 'Bearer ' }, body: JSON.stringify({ messages }) }],
      ] as const;
      const statuses = [];
      for (const [mf, url, init] of attempts) statuses.push((await mf.dispatchFetch(url, init)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      // Give a consumer the chance to run had anything been enqueued.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.emulator.requests).toEqual([]);
      expect(await readLog(open)).toEqual([]);
    } finally {
      await open.dispose();
      await unconfigured.dispose();
      await server.close();
    }
  });

  it('answers 400 to a /send body that is not { messages: [...] } or holds an invalid message, and enqueues nothing', async () => {
    await withPipeline({}, async (mf, server) => {
      const answers = [];
      for (const body of ['not json', '{}', '{"messages":null}', 'null', JSON.stringify({ messages: [{ to: 'not a token' }] })]) {
        const response = await mf.dispatchFetch('http://worker.test/send', { method: 'POST', headers: AUTHORIZED, body });
        answers.push([response.status, await response.json()]);
      }
      const shape = { error: 'expected a JSON body { "messages": [ … ] }' };
      expect(answers).toEqual([
        [400, shape],
        [400, shape],
        [400, shape],
        [400, shape],
        [400, { issues: [{ index: 0, path: 'to', message: 'must be an Expo push token such as ExponentPushToken[…] (received "not a token")' }] }],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.emulator.requests).toEqual([]);
    });
  });

  it('fails /send before enqueuing when a setting in vars is invalid, instead of failing every batch later', async () => {
    await withPipeline({ vars: { UNKNOWN_OUTCOME: 'retyr' } }, async (mf, server) => {
      const response = await mf.dispatchFetch('http://worker.test/send', { method: 'POST', headers: AUTHORIZED, body: JSON.stringify({ messages: [{ to: token(1) }] }) });
      expect(response.status).toBe(500);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.emulator.requests).toEqual([]);
      expect(await readLog(mf)).toEqual([]);
    });
  });

  it('receipt checks that cannot be enqueued are handed to a callback; the sent messages are not sent again', async () => {
    await withPipeline({}, async (mf, server) => {
      const tokens = Array.from({ length: 5 }, (_, n) => token(n));
      const response = await mf.dispatchFetch('http://worker.test/__test/drive', {
        method: 'POST',
        body: JSON.stringify({ messages: [{ to: tokens, body: 'hi' }], concurrency: 1, receiptsQueue: 'failing' }),
      });
      expect(((await response.json()) as { stats: unknown }).stats).toMatchObject({ acked: 5, retried: 0, crashed: 0 });
      const idOf = new Map(server.emulator.notifications.map((n) => [n.token, n.id]));
      const events = await readLog(mf);
      expect(events).toEqual(tokens.map((t) => ({ type: 'receiptNotScheduled', id: idOf.get(t), token: t })));
      expect(server.emulator.notifications).toHaveLength(5);
    });
  });
});
