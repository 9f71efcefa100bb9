// A durable push pipeline on Cloudflare Queues: POST /send enqueues one queue message per
// recipient; the send consumer sends batches of 100, paced project-wide by a Durable Object; the
// receipts consumer checks receipts later; the dead-letter queue catches what kept failing.
// Outcomes go to a small Durable Object log (GET /log) kept in its storage; in production, D1 or your own store.
// No `nodejs_compat` flag is needed. Bindings and settings are in wrangler.jsonc; the secrets:
//   npx wrangler secret put EXPO_ACCESS_TOKEN
//   npx wrangler secret put API_SECRET    (callers of /send and /log send `Authorization: Bearer <it>`)
import {
  createReceiptConsumer,
  createSendConsumer,
  enqueuePushMessages,
  type PushQueueBody,
  type ReceiptQueueBody,
} from 'expo-push-edge/cloudflare';
import { type PushMessage, PushValidationError } from 'expo-push-edge';

export { PushRateLimiter } from 'expo-push-edge/cloudflare';

export interface Env {
  EXPO_ACCESS_TOKEN?: string;
  /** The bearer token callers of /send and /log must present: without it the Worker is an open relay. */
  API_SECRET?: string;
  /** Only for pointing the Worker at an emulator; unset in production. */
  EXPO_PUSH_BASE_URL?: string;
  // Cloudflare's own binding types (@cloudflare/workers-types): the SDK's structural types accept them.
  PUSH_QUEUE: Queue<PushQueueBody>;
  PUSH_RECEIPTS: Queue<ReceiptQueueBody>;
  PUSH_RATE_LIMITER: DurableObjectNamespace;
  DELIVERY_LOG: DurableObjectNamespace;
  /** Settings (wrangler.jsonc `vars`); the defaults are the service's and Expo's advice. */
  PUSH_PER_SECOND?: string;
  RECEIPT_DELAY_SECONDS?: string;
  RECEIPT_RETRY_DELAY_SECONDS?: string;
  MAX_RECEIPT_ATTEMPTS?: string;
  RETRY_BASE_DELAY_SECONDS?: string;
  UNKNOWN_OUTCOME?: 'ack' | 'retry';
}

/** Queue names, as in wrangler.jsonc. */
export const QUEUES = { push: 'expo-push', receipts: 'expo-push-receipts', deadLetter: 'expo-push-dlq' } as const;

/** One line of the delivery log. */
export interface LogEvent {
  type: string;
  token?: string;
  id?: string;
  code?: string;
  body?: unknown;
}

/** Appends events to the delivery log object. */
async function record(env: Env, ...events: LogEvent[]): Promise<void> {
  const log = env.DELIVERY_LOG.get(env.DELIVERY_LOG.idFromName('log'));
  const response = await log.fetch('https://delivery-log/append', { method: 'POST', body: JSON.stringify(events) });
  if (!response.ok) throw new Error(`delivery log answered ${response.status}`);
}

const number = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));

/** The consumers, built once per set of settings. */
function consumersFor(env: Env) {
  const backoff = { baseDelaySeconds: number(env.RETRY_BASE_DELAY_SECONDS, 2) };
  const client = (env: Env) => ({ accessToken: env.EXPO_ACCESS_TOKEN, baseUrl: env.EXPO_PUSH_BASE_URL });
  const send = createSendConsumer<Env>({
    client,
    receiptsQueue: (env) => env.PUSH_RECEIPTS,
    receiptDelaySeconds: number(env.RECEIPT_DELAY_SECONDS, 900),
    rateLimit: { namespace: (env) => env.PUSH_RATE_LIMITER, perSecond: number(env.PUSH_PER_SECOND, 600) },
    unknownOutcome: env.UNKNOWN_OUTCOME ?? 'ack',
    backoff,
    onInvalidToken: ({ token, code }, env) => record(env, { type: 'invalidToken', token, code }),
    onCredentialProblem: ({ token, code }, env) => record(env, { type: 'credentialProblem', token, code }),
    onDeliveryError: ({ token, code }, env) => record(env, { type: 'deliveryError', token, code }),
    onInvalidMessage: ({ body }, env) => record(env, { type: 'invalidMessage', body }),
    onUnknownOutcome: ({ token, resent }, env) => record(env, { type: resent ? 'unknownOutcomeResent' : 'unknownOutcome', token }),
    onReceiptsScheduled: (receipts, env) => record(env, ...receipts.map(({ id, token }) => ({ type: 'ticket', id, token }))),
    // The notifications went out; keep their tickets so their receipts can be checked by hand.
    onReceiptsNotScheduled: (receipts, _error, env) => record(env, ...receipts.map(({ id, token }) => ({ type: 'receiptNotScheduled', id, token }))),
  });
  const receipts = createReceiptConsumer<Env>({
    client,
    maxReceiptAttempts: number(env.MAX_RECEIPT_ATTEMPTS, 4),
    receiptRetryDelaySeconds: number(env.RECEIPT_RETRY_DELAY_SECONDS, 300),
    backoff,
    onDelivered: ({ id, token }, env) => record(env, { type: 'delivered', id, token }),
    onInvalidToken: ({ id, token }, env) => record(env, { type: 'invalidToken', id, token, code: 'DeviceNotRegistered' }),
    onCredentialProblem: ({ id, token, code }, env) => record(env, { type: 'credentialProblem', id, token, code }),
    onDeliveryError: ({ id, token, code }, env) => record(env, { type: 'deliveryError', id, token, code }),
    onMissingReceipt: ({ id, token }, env) => record(env, { type: 'missingReceipt', id, token }),
    onInvalidMessage: ({ body }, env) => record(env, { type: 'invalidMessage', body }),
  });
  return { send, receipts };
}

const consumers = new Map<string, ReturnType<typeof consumersFor>>();
function consumersOf(env: Env) {
  const key = [env.PUSH_PER_SECOND, env.RECEIPT_DELAY_SECONDS, env.RECEIPT_RETRY_DELAY_SECONDS, env.MAX_RECEIPT_ATTEMPTS, env.RETRY_BASE_DELAY_SECONDS, env.UNKNOWN_OUTCOME].join();
  let found = consumers.get(key);
  if (!found) consumers.set(key, (found = consumersFor(env)));
  return found;
}

/**
 * Whether the request carries `Authorization: Bearer <API_SECRET>`. Compared in constant time, so the
 * secret cannot be guessed a byte at a time from response times. No secret configured: no access.
 */
function isAuthorized(request: Request, env: Env): boolean {
  if (!env.API_SECRET) return false;
  const encoder = new TextEncoder();
  const given = encoder.encode(request.headers.get('authorization') ?? '');
  const expected = encoder.encode(`Bearer ${env.API_SECRET}`);
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given[i] ?? 0) ^ (expected[i] as number);
  return difference === 0;
}

export default {
  /**
   * POST /send `{ messages: PushMessage[] }` enqueues them; GET /log reads the delivery log. Both
   * need `Authorization: Bearer <API_SECRET>`: the first sends pushes, the second lists device tokens.
   */
  async fetch(request: Request, env: Env): Promise<Response> {
    if (!isAuthorized(request, env)) return new Response('Unauthorized', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/send') {
      // Builds (and so checks) the consumers from the settings: a typo in `vars` fails here, before
      // anything is enqueued, rather than in every queue invocation afterwards.
      consumersOf(env);
      const input: unknown = await request.json().catch(() => undefined);
      const messages = (input as { messages?: unknown } | null | undefined)?.messages;
      if (!Array.isArray(messages)) return Response.json({ error: 'expected a JSON body { "messages": [ … ] }' }, { status: 400 });
      try {
        return Response.json(await enqueuePushMessages(env.PUSH_QUEUE, messages as PushMessage[]));
      } catch (error) {
        if (error instanceof PushValidationError) return Response.json({ issues: error.issues }, { status: 400 });
        throw error;
      }
    }
    if (request.method === 'GET' && pathname === '/log') return env.DELIVERY_LOG.get(env.DELIVERY_LOG.idFromName('log')).fetch('https://delivery-log/read');
    return new Response('POST /send { messages } or GET /log', { status: 404 });
  },

  async queue(batch: MessageBatch, env: Env): Promise<void> {
    switch (batch.queue) {
      case QUEUES.push:
        return consumersOf(env).send.queue(batch, env);
      case QUEUES.receipts:
        return consumersOf(env).receipts.queue(batch, env);
      case QUEUES.deadLetter:
        // Messages that kept failing after max_retries: keep them for inspection and replay.
        await record(env, ...batch.messages.map((message) => ({ type: 'deadLettered', body: message.body })));
        for (const message of batch.messages) message.ack();
        return;
      default:
        throw new Error(`no consumer for queue ${batch.queue}`);
    }
  },
} satisfies ExportedHandler<Env>;

/**
 * The delivery log: events in arrival order, kept in the object's storage (a stand-in for a D1
 * table). Storage, not memory: an idle Durable Object is evicted within seconds, and receipts arrive
 * 15 minutes after their tickets.
 */
export class DeliveryLog {
  readonly #storage: DurableObjectStorage;

  constructor(state: DurableObjectState) {
    this.#storage = state.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/append') {
      const events = (await request.json()) as LogEvent[];
      // Requests reach the object one at a time, so reading and advancing the counter is safe.
      let next = (await this.#storage.get<number>('next')) ?? 0;
      // At most 128 keys per put.
      for (let start = 0; start < events.length; start += 127) {
        const entries: Record<string, unknown> = {};
        for (const event of events.slice(start, start + 127)) entries[`event:${String(next++).padStart(12, '0')}`] = event;
        await this.#storage.put({ ...entries, next });
      }
      return new Response(null, { status: 204 });
    }
    const stored = await this.#storage.list<LogEvent>({ prefix: 'event:' });
    return Response.json([...stored.values()]);
  }
}
