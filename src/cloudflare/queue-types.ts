/**
 * The few Cloudflare runtime shapes this entry touches, written structurally so that users need
 * neither `@cloudflare/workers-types` nor a particular compatibility date. The real platform
 * objects are assignable to them (`examples/cloudflare-queues` is type-checked against
 * `@cloudflare/workers-types` by `npm run typecheck`), and
 * so are hand-made fakes, which is what lets the same consumers run on any queue.
 */

/** Options of a queue message's `retry()`. */
export interface QueueRetryOptions {
  /** Seconds before the message is delivered again (Cloudflare accepts 0 to 43200). */
  delaySeconds?: number;
}

/** One delivered queue message, as a consumer's `queue()` handler receives it. */
export interface QueueMessage<Body = unknown> {
  /** Unique id of the message, stable across redeliveries. */
  readonly id: string;
  /** When the message was first sent. */
  readonly timestamp: Date;
  /** The body the producer sent. */
  readonly body: Body;
  /** Delivery attempts so far, this one included: 1 on the first delivery. */
  readonly attempts: number;
  /** Marks the message as done: it is not delivered again, whatever happens to the rest of the batch. */
  ack(): void;
  /** Asks for the message to be delivered again, after `delaySeconds`; counts towards `max_retries`. */
  retry(options?: QueueRetryOptions): void;
}

/** A batch of queue messages, the first argument of a `queue()` handler. */
export interface QueueMessageBatch<Body = unknown> {
  /** Name of the queue the batch comes from. */
  readonly queue: string;
  /** The messages, at most `max_batch_size` of them. */
  readonly messages: readonly QueueMessage<Body>[];
}

/** One message of a `sendBatch()` call. */
export interface QueueSendRequest<Body = unknown> {
  /** The body; the default `v8` content type keeps it structured. */
  body: Body;
  /** Seconds before the message is first delivered. */
  delaySeconds?: number;
  /** How the body is serialised; this entry sends `'json'`, whose size is known before sending. */
  contentType?: 'json' | 'text' | 'bytes' | 'v8';
}

/** A queue producer binding: what `env.MY_QUEUE` is in a Worker with a `queues.producers` entry. */
export interface QueueProducer<Body = unknown> {
  /** Sends one message. */
  send(body: Body, options?: { delaySeconds?: number }): Promise<unknown>;
  /** Sends up to 100 messages (and 256 KB) in one call. */
  sendBatch(messages: Iterable<QueueSendRequest<Body>>, options?: { delaySeconds?: number }): Promise<unknown>;
}

/** A Durable Object stub: only its `fetch` is used, which every compatibility date has. */
export interface DurableObjectStubLike {
  /** Sends a request to the object. */
  fetch(input: Request | string, init?: RequestInit): Promise<Response>;
}

/** A Durable Object namespace binding: what `env.PUSH_RATE_LIMITER` is. */
export interface DurableObjectNamespaceLike<Id = unknown> {
  /** The id of the object with this name (the same name always gives the same object). */
  idFromName(name: string): Id;
  /** A stub to talk to the object with that id. */
  get(id: Id): DurableObjectStubLike;
}

/** The third argument of a handler: only `waitUntil` is used. */
export interface ExecutionContextLike {
  /** Keeps the invocation alive until the promise settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/** A value given directly, or computed from the Worker's `env` on each invocation (bindings live there). */
export type FromEnv<Env, T> = T | ((env: Env) => T);

/** Resolves a {@link FromEnv} value against `env`. */
export function fromEnv<Env, T>(value: FromEnv<Env, T>, env: Env): T {
  return typeof value === 'function' ? (value as (env: Env) => T)(env) : value;
}
