import { PushError } from '../errors/push-error.ts';
import { PushValidationError, type PushValidationIssue } from '../errors/push-validation-error.ts';
import type { PushMessage } from '../push-message.ts';
import { validateMessages } from '../validate-messages.ts';
import type { PushQueueBody } from './queue-bodies.ts';
import type { QueueProducer, QueueSendRequest } from './queue-types.ts';
import { checkDelaySeconds, checkOptionKeys, describeValue, hasMethods } from './check-options.ts';

/** Messages per `sendBatch` call that Cloudflare Queues accept. */
export const MAX_QUEUE_BATCH_MESSAGES = 100;
/** Bytes of one queue message that Cloudflare Queues accept (128 KB). */
export const MAX_QUEUE_MESSAGE_BYTES = 128_000;
/** Bytes of one `sendBatch` call that Cloudflare Queues accept (256 KB). */
export const MAX_QUEUE_BATCH_BYTES = 256_000;
/** Allowance per message for what the platform adds around a body in a batch. */
const PER_MESSAGE_OVERHEAD_BYTES = 100;

/** Options of {@link enqueuePushMessages}. */
export interface EnqueueOptions {
  /**
   * Seconds before the messages are first delivered to the send consumer (0 to 43200, rounded up
   * to whole seconds; more is refused rather than cut to Cloudflare's maximum).
   * @default 0
   */
  delaySeconds?: number;
}

/** The option names of {@link EnqueueOptions}. */
const ENQUEUE_OPTIONS = ['delaySeconds'] as const satisfies ReadonlyArray<keyof EnqueueOptions>;

/** What {@link enqueuePushMessages} did. */
export interface EnqueueResult {
  /** Queue messages sent: one per recipient. */
  readonly enqueued: number;
  /** `sendBatch` calls made. */
  readonly batches: number;
}

/**
 * A `sendBatch` call failed part-way through {@link enqueuePushMessages}. The recipients are
 * enqueued in input order and one call at a time, so exactly the first `enqueued` recipients are on
 * the queue, and `remaining` holds the rest: `enqueuePushMessages(queue, error.remaining)` resumes
 * so that each recipient is enqueued once.
 */
export class PushEnqueueError extends PushError {
  /** Recipients (queue messages) already on the queue, counted in input order. */
  readonly enqueued: number;
  /**
   * The messages not yet enqueued, in input order: the caller's own message objects, except that a
   * message whose recipients were partly enqueued is a copy whose `to` lists only the others.
   */
  readonly remaining: PushMessage[];

  /**
   * @param enqueued recipients already on the queue.
   * @param total recipients in the call.
   * @param cause what `sendBatch` threw.
   * @param remaining the messages not yet enqueued. @default []
   */
  constructor(enqueued: number, total: number, cause: unknown, remaining: PushMessage[] = []) {
    super(`Enqueued ${enqueued} of ${total} recipients, then sendBatch failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PushEnqueueError';
    this.enqueued = enqueued;
    this.remaining = remaining;
  }
}

const encoder = new TextEncoder();

/** One queue message to be, and where its recipient comes from in the input (for `remaining`). */
interface PlannedBody {
  readonly body: PushQueueBody;
  readonly bytes: number;
  /** Index of the input message. */
  readonly index: number;
  /** Position of the token in that message's `to` array; `undefined` when `to` is one string. */
  readonly position: number | undefined;
}

/**
 * Puts push messages on a queue for the send consumer: one queue message per recipient (a message
 * whose `to` holds several tokens becomes one queue message per token, every other field intact),
 * in `sendBatch` calls of at most 100 messages and 256 KB. Bodies go as JSON, whose size is known
 * up front, so no call can be refused for its size.
 *
 * The queue and the options are checked first, then every message with the SDK's schema, and the
 * sizes too: if anything is invalid nothing at all is enqueued, so no message that fails the
 * contract's schema enters the queue. The service's 4 KiB payload limit is not checked here (it
 * depends on how the service builds each platform's payload): such a message is sent and comes
 * back as a `MessageTooBig` ticket or receipt, reported through `onDeliveryError`.
 *
 * @example
 * await enqueuePushMessages(env.PUSH_QUEUE, [{ to: tokens, title: 'Sale', body: 'Today only' }]);
 *
 * @throws {TypeError} when `queue` has no `sendBatch()`, `messages` is not an array, or an option
 *   is unknown or invalid; nothing is enqueued.
 * @throws {PushValidationError} before anything is enqueued, listing every invalid message (and
 *   every recipient whose queue message would exceed 128 KB).
 * @throws {PushEnqueueError} when a `sendBatch` call fails; its `enqueued` says how far it got and
 *   its `remaining` what is left to enqueue.
 */
export async function enqueuePushMessages(
  queue: QueueProducer<PushQueueBody>,
  messages: readonly PushMessage[],
  options: EnqueueOptions = {},
): Promise<EnqueueResult> {
  if (!hasMethods(queue, 'sendBatch')) {
    throw new TypeError(`enqueuePushMessages() expects a queue producer with sendBatch() (such as env.PUSH_QUEUE); got ${describeValue(queue)}`);
  }
  checkOptionKeys(options, ENQUEUE_OPTIONS, 'enqueuePushMessages() options');
  const delaySeconds = options.delaySeconds === undefined ? undefined : Math.ceil(checkDelaySeconds('delaySeconds', options.delaySeconds));
  if (!Array.isArray(messages)) throw new TypeError(`enqueuePushMessages() expects an array of messages (got ${describeValue(messages)})`);
  let wires: PushMessage[];
  try {
    wires = validateMessages(messages);
  } catch (error) {
    // The same issues, worded for a producer: nothing was enqueued (nor, of course, sent).
    if (error instanceof PushValidationError) throw new PushValidationError(error.issues, 'push message', 'enqueued');
    throw error;
  }
  const bodies: PlannedBody[] = [];
  const issues: PushValidationIssue[] = [];
  wires.forEach((wire, index) => {
    const tokens = typeof wire.to === 'string' ? [wire.to] : wire.to;
    tokens.forEach((token, position) => {
      const body = { ...wire, to: token } as PushQueueBody;
      const bytes = encoder.encode(JSON.stringify(body)).byteLength;
      if (bytes > MAX_QUEUE_MESSAGE_BYTES) {
        const path = typeof wire.to === 'string' ? '' : `to[${position}]`;
        issues.push({ index, path, message: `is ${bytes} bytes as a queue message; Cloudflare Queues take at most ${MAX_QUEUE_MESSAGE_BYTES}` });
      } else bodies.push({ body, bytes, index, position: typeof wire.to === 'string' ? undefined : position });
    });
  });
  if (issues.length > 0) throw new PushValidationError(issues, 'push message', 'enqueued');

  let enqueued = 0;
  let batches = 0;
  for (const chunk of chunkBySize(bodies)) {
    const requests: QueueSendRequest<PushQueueBody>[] = chunk.map(({ body }) =>
      delaySeconds === undefined ? { body, contentType: 'json' } : { body, contentType: 'json', delaySeconds },
    );
    try {
      await queue.sendBatch(requests);
    } catch (error) {
      throw new PushEnqueueError(enqueued, bodies.length, error, remainingFrom(messages, bodies[enqueued] as PlannedBody));
    }
    enqueued += chunk.length;
    batches++;
  }
  return { enqueued, batches };
}

/**
 * The input from the first recipient not enqueued on: that recipient's message with `to` cut to
 * the tokens from it on (a copy, only when some of its tokens are already on the queue), then every
 * later message as it was given. Messages with no recipient (`to: []`) are kept too: harmless.
 */
function remainingFrom(messages: readonly PushMessage[], first: PlannedBody): PushMessage[] {
  const message = messages[first.index] as PushMessage;
  const head = first.position === undefined || first.position === 0 ? message : { ...message, to: (message.to as string[]).slice(first.position) };
  return [head, ...messages.slice(first.index + 1)];
}

/** Consecutive groups within the per-call count and byte limits. */
function* chunkBySize<T extends { bytes: number }>(items: readonly T[]): Generator<T[]> {
  let chunk: T[] = [];
  let size = 0;
  for (const item of items) {
    const cost = item.bytes + PER_MESSAGE_OVERHEAD_BYTES;
    if (chunk.length === MAX_QUEUE_BATCH_MESSAGES || (chunk.length > 0 && size + cost > MAX_QUEUE_BATCH_BYTES)) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(item);
    size += cost;
  }
  if (chunk.length > 0) yield chunk;
}
