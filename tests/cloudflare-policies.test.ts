import { describe, expect, it } from 'vitest';
import { PushBatchError, PushRateLimitError, PushTicket } from '../src/index.ts';
import {
  decideReceiptActions,
  decideSendActions,
  enqueuePushMessages,
  PushEnqueueError,
  PushValidationError,
  type QueueItem,
  retryDelaySeconds,
} from './cloudflare-entry.ts';

const T = (n: number) => `ExponentPushToken[policy-${n}]`;
const item = (n: number, body: unknown = { to: T(n), body: `hi ${n}` }, attempts = 1): QueueItem => ({ id: `q${n}`, attempts, body });
const ok = (token: string, id: string, pushMessage: unknown) => new PushTicket({ status: 'ok', id, token, pushMessage: pushMessage as never });
const rateLimited = () => new PushRateLimitError('429', { endpoint: 'send', status: 429, retryAfterMs: 20_000 });

describe('decideSendActions', () => {
  it('matches a PushBatchError’s results to copies of the bodies by token and content', () => {
    const items = [item(0), item(1), item(2)];
    // The "other queues" recipe with copies: what the client saw is not what the items hold.
    const sent = items.map((i) => ({ ...(i.body as object) }));
    const error = new PushBatchError([ok(T(0), 'r0', sent[0])], [{ recipients: [1, 2].map((n) => ({ token: T(n), message: sent[n] as never })), error: rateLimited() }]);
    expect(decideSendActions(items, { error })).toEqual({
      actions: [{ action: 'ack' }, { action: 'retry', delaySeconds: 20 }, { action: 'retry', delaySeconds: 20 }],
      effects: [{ type: 'scheduleReceipt', messageId: 'q0', receipt: { id: 'r0', token: T(0) } }],
    });
  });

  it('matches duplicate tokens first come first served, after the results matched by identity', () => {
    const a = item(0, { to: T(7), body: 'first' });
    const b = item(1, { to: T(7), body: 'second' });
    const c = item(2, { to: T(7), body: 'third' });
    // b is sent as itself, a and c as copies; the ticket of b's identity goes to b, the rest by token in order.
    const copyA = { ...(a.body as object) };
    const copyC = { ...(c.body as object) };
    const error = new PushBatchError(
      [ok(T(7), 'rA', copyA), ok(T(7), 'rB', b.body)],
      [{ recipients: [{ token: T(7), message: copyC as never }], error: rateLimited() }],
    );
    expect(decideSendActions([a, b, c], { error })).toEqual({
      actions: [{ action: 'ack' }, { action: 'ack' }, { action: 'retry', delaySeconds: 20 }],
      effects: [
        { type: 'scheduleReceipt', messageId: 'q0', receipt: { id: 'rA', token: T(7) } },
        { type: 'scheduleReceipt', messageId: 'q1', receipt: { id: 'rB', token: T(7) } },
      ],
    });
  });

  it('keeps each result with its own message when two copied bodies to one token were sent in different requests', () => {
    // 121 messages: publishMultiple sends 0–99, then 100–120. FIRST (0) and SECOND (120) go to the same token.
    const items = Array.from({ length: 121 }, (_, n) => (n === 0 ? item(0, { to: T(7), body: 'FIRST' }) : n === 120 ? item(120, { to: T(7), body: 'SECOND' }) : item(n)));
    const sent = items.map((i) => ({ ...(i.body as { to: string }) }));
    const second = sent.slice(100);
    // The first request got a 429 (nothing sent), the second was accepted.
    const error = new PushBatchError(
      second.map((copy, n) => ok(copy.to, `r${100 + n}`, copy)),
      [{ recipients: sent.slice(0, 100).map((copy) => ({ token: copy.to, message: copy as never })), error: rateLimited() }],
    );
    expect(decideSendActions(items, { error })).toEqual({
      actions: items.map((_, n) => (n < 100 ? { action: 'retry', delaySeconds: 20 } : { action: 'ack' })),
      effects: second.map((copy, n) => ({ type: 'scheduleReceipt', messageId: `q${100 + n}`, receipt: { id: `r${100 + n}`, token: copy.to } })),
    });
  });

  it('falls back to the token in order when a copy’s content differs from the message', () => {
    const a = item(0, { to: T(7), body: 'first' });
    const b = item(1, { to: T(7), body: 'second' });
    // Re-serialised with another key order: the content keys differ, the tokens do not.
    const reordered = (i: QueueItem) => ({ body: (i.body as { body: string }).body, to: T(7) });
    const error = new PushBatchError([ok(T(7), 'rA', reordered(a))], [{ recipients: [{ token: T(7), message: reordered(b) as never }], error: rateLimited() }]);
    expect(decideSendActions([a, b], { error })).toEqual({
      actions: [{ action: 'ack' }, { action: 'retry', delaySeconds: 20 }],
      effects: [{ type: 'scheduleReceipt', messageId: 'q0', receipt: { id: 'rA', token: T(7) } }],
    });
  });

  it('reports only the messages matched neither by identity nor by token as unknown outcomes', () => {
    const items = [item(0), item(1)];
    const error = new PushBatchError([ok(T(0), 'r0', { ...(items[0]?.body as object) })], []);
    expect(decideSendActions(items, { error })).toEqual({
      actions: [{ action: 'ack' }, { action: 'ack' }],
      effects: [
        { type: 'scheduleReceipt', messageId: 'q0', receipt: { id: 'r0', token: T(0) } },
        { type: 'unknownOutcome', messageId: 'q1', token: T(1), message: items[1]?.body, error, resent: false },
      ],
    });
  });

  it('throws a TypeError when the outcome is none of the three shapes', () => {
    const shapes = 'decideSendActions() expects an outcome of { tickets: [...] }, { error } or { rateLimited: { retryAfterMs } }';
    expect(() => decideSendActions([item(0)], {} as never)).toThrow(new TypeError(`${shapes} (got an object with no keys)`));
    expect(() => decideSendActions([item(0)], { ticket: [] } as never)).toThrow(new TypeError(`${shapes} (got an object with keys ticket)`));
    expect(() => decideSendActions([item(0)], { tickets: 'x' } as never)).toThrow(new TypeError(`${shapes} (got an object with keys tickets)`));
    expect(() => decideSendActions([item(0)], { rateLimited: { retryAfterMs: Number.NaN } })).toThrow(new TypeError(`${shapes} (got an object with keys rateLimited)`));
    expect(() => decideSendActions([item(0)], undefined as never)).toThrow(new TypeError(`${shapes} (got undefined)`));
  });

  it('throws a TypeError naming the ticket when a ticket is not an object with a status', () => {
    const shape = "must be a ticket { status: 'ok' | 'error', … }";
    expect(() => decideSendActions([item(0)], { tickets: [null as never] })).toThrow(new TypeError(`decideSendActions() outcome.tickets[0] ${shape} (got null)`));
    expect(() => decideSendActions([item(0)], { tickets: [{ id: 'r0' } as never] })).toThrow(new TypeError(`decideSendActions() outcome.tickets[0] ${shape} (got an object with keys id)`));
  });

  it('throws a TypeError naming the message when attempts is not a positive integer', () => {
    expect(() => decideSendActions([item(0), item(1, undefined, Number.NaN)], { tickets: [] })).toThrow(
      new TypeError('decideSendActions() messages[1].attempts must be a positive integer (got NaN)'),
    );
    expect(() => decideSendActions([item(0, undefined, 0)], { tickets: [] })).toThrow(new TypeError('decideSendActions() messages[0].attempts must be a positive integer (got 0)'));
    expect(() => decideSendActions([{ id: 'q0', attempts: '2', body: {} } as never], { tickets: [] })).toThrow(
      new TypeError('decideSendActions() messages[0].attempts must be a positive integer (got "2")'),
    );
    expect(() => decideSendActions('q0' as never, { tickets: [] })).toThrow(new TypeError('decideSendActions() expects an array of queue messages { id, attempts, body } (got "q0")'));
  });

  it('throws a TypeError for unknown or invalid options', () => {
    expect(() => decideSendActions([], { tickets: [] }, { unknownOutcomes: 'retry' } as never)).toThrow(
      new TypeError('Unknown decideSendActions() option "unknownOutcomes" (did you mean "unknownOutcome"?); known: unknownOutcome, poisonMessages, backoff'),
    );
    expect(() => decideSendActions([], { tickets: [] }, { unknownOutcome: 'drop' as never })).toThrow(new TypeError(`unknownOutcome must be 'ack' or 'retry' (got "drop")`));
    expect(() => decideSendActions([], { tickets: [] }, { backoff: { baseDelaySeconds: -2 } })).toThrow(
      new TypeError('backoff.baseDelaySeconds must be a non-negative number of seconds (got -2)'),
    );
    expect(() => decideSendActions([], { tickets: [] }, { backoff: { baseDelaySeconds: 600, maxDelaySeconds: 10 } })).toThrow(
      new TypeError('backoff.baseDelaySeconds (600) must not exceed backoff.maxDelaySeconds (10)'),
    );
  });
});

describe('decideReceiptActions', () => {
  const r = (n: number, attempts = 1): QueueItem => ({ id: `q${n}`, attempts, body: { id: `r${n}`, token: T(n) } });

  it('throws a TypeError when the outcome is neither { receipts } nor { error }', () => {
    const shapes = 'decideReceiptActions() expects an outcome of { receipts: [...] } or { error }';
    expect(() => decideReceiptActions([r(0)], {} as never)).toThrow(new TypeError(`${shapes} (got an object with no keys)`));
    expect(() => decideReceiptActions([r(0)], { receipts: [], error: 1 } as never)).toThrow(new TypeError(`${shapes} (got an object with keys receipts, error)`));
    expect(() => decideReceiptActions([r(0)], null as never)).toThrow(new TypeError(`${shapes} (got null)`));
  });

  it('throws a TypeError naming the receipt when a receipt is not an object with an id and a status', () => {
    const shape = "must be a receipt { id, status: 'ok' | 'error', … }";
    expect(() => decideReceiptActions([r(0)], { receipts: [null as never] })).toThrow(new TypeError(`decideReceiptActions() outcome.receipts[0] ${shape} (got null)`));
    expect(() => decideReceiptActions([r(0)], { receipts: [{ id: 'r0', status: 'ok' }, { id: 'r1' }] as never })).toThrow(
      new TypeError(`decideReceiptActions() outcome.receipts[1] ${shape} (got an object with keys id)`),
    );
  });

  it('throws a TypeError naming the message when attempts is not a positive integer', () => {
    expect(() => decideReceiptActions([r(0), r(1, Number.NaN)], { error: new Error('x') })).toThrow(
      new TypeError('decideReceiptActions() messages[1].attempts must be a positive integer (got NaN)'),
    );
  });

  it('throws a TypeError for unknown or invalid options', () => {
    expect(() => decideReceiptActions([], { receipts: [] }, { receiptRetryDelay: 60 } as never)).toThrow(
      new TypeError(
        'Unknown decideReceiptActions() option "receiptRetryDelay" (did you mean "receiptRetryDelaySeconds"?); known: maxReceiptAttempts, receiptRetryDelaySeconds, backoff',
      ),
    );
    expect(() => decideReceiptActions([], { receipts: [] }, { receiptRetryDelaySeconds: '300' as never })).toThrow(
      new TypeError('receiptRetryDelaySeconds must be a non-negative number of seconds (got "300")'),
    );
    expect(() => decideReceiptActions([], { receipts: [] }, { maxReceiptAttempts: 0 })).toThrow(new TypeError('maxReceiptAttempts must be a positive integer (got 0)'));
  });
});

describe('retryDelaySeconds', () => {
  it('throws a TypeError when attempts is not a positive integer instead of retrying at once', () => {
    const backoff = { baseDelaySeconds: 2, maxDelaySeconds: 300 };
    expect(() => retryDelaySeconds(Number.NaN, backoff)).toThrow(new TypeError('attempts must be a positive integer (got NaN)'));
    expect(() => retryDelaySeconds(0, backoff)).toThrow(new TypeError('attempts must be a positive integer (got 0)'));
  });
});

describe('enqueuePushMessages', () => {
  const producer = () => {
    const calls: unknown[][] = [];
    return { calls, queue: { send: async () => undefined, sendBatch: async (list: Iterable<unknown>) => void calls.push([...list]) } };
  };

  it('throws a TypeError before validating anything when the queue has no sendBatch()', async () => {
    await expect(enqueuePushMessages(undefined as never, [{ to: 'not a token' }])).rejects.toThrow(
      new TypeError('enqueuePushMessages() expects a queue producer with sendBatch() (such as env.PUSH_QUEUE); got undefined'),
    );
    await expect(enqueuePushMessages({} as never, [])).rejects.toThrow(
      new TypeError('enqueuePushMessages() expects a queue producer with sendBatch() (such as env.PUSH_QUEUE); got an object'),
    );
  });

  it('throws a TypeError for unknown or invalid options, before enqueuing anything', async () => {
    const { calls, queue } = producer();
    await expect(enqueuePushMessages(queue, [{ to: T(0) }], { delaySeconds: '5' as never })).rejects.toThrow(
      new TypeError('delaySeconds must be a non-negative number of seconds (got "5")'),
    );
    await expect(enqueuePushMessages(queue, [{ to: T(0) }], { delay: 5 } as never)).rejects.toThrow(
      new TypeError('Unknown enqueuePushMessages() option "delay" (did you mean "delaySeconds"?); known: delaySeconds'),
    );
    await expect(enqueuePushMessages(queue, [{ to: T(0) }], { delaySeconds: 43_201 })).rejects.toThrow(
      new TypeError('delaySeconds must be at most 43200 seconds (12 hours), the longest delay Cloudflare Queues accept (got 43201)'),
    );
    await expect(enqueuePushMessages(queue, 'messages' as never)).rejects.toThrow(new TypeError('enqueuePushMessages() expects an array of messages (got "messages")'));
    expect(calls).toEqual([]);
  });

  it('says that nothing was enqueued when a message is invalid', async () => {
    const { calls, queue } = producer();
    const error = await enqueuePushMessages(queue, [{ to: T(0) }, { to: 'bad' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushValidationError);
    expect((error as PushValidationError).message).toBe(
      'Invalid push message input (1 problem, nothing was enqueued): message 1, to: must be an Expo push token such as ExponentPushToken[…] (received "bad")',
    );
    expect(calls).toEqual([]);
  });

  it('hands back the messages not yet enqueued, with a partly enqueued message cut to its remaining tokens', async () => {
    let n = 0;
    const failing = {
      send: async () => undefined,
      sendBatch: async () => {
        if (n++ === 1) throw new Error('down');
      },
    };
    const first = { to: T(0), title: 'one' };
    const second = { to: Array.from({ length: 150 }, (_, i) => T(i + 1)), title: 'two' };
    const third = { to: T(999), title: 'three' };
    const error = await enqueuePushMessages(failing, [first, second, third]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushEnqueueError);
    expect((error as PushEnqueueError).message).toBe('Enqueued 100 of 152 recipients, then sendBatch failed: down');
    expect((error as PushEnqueueError).enqueued).toBe(100);
    expect((error as PushEnqueueError).remaining).toEqual([{ to: second.to.slice(99), title: 'two' }, third]);
    // Resuming enqueues exactly the rest.
    const { calls, queue } = producer();
    expect(await enqueuePushMessages(queue, (error as PushEnqueueError).remaining)).toEqual({ enqueued: 52, batches: 1 });
    expect((calls[0] as Array<{ body: { to: string } }>).map((c) => c.body.to)).toEqual([...second.to.slice(99), T(999)]);
  });

  it('hands back the caller’s own message objects when none of their recipients was enqueued', async () => {
    const failing = {
      send: async () => undefined,
      sendBatch: async () => {
        throw new Error('down');
      },
    };
    const messages = [{ to: [T(0), T(1)], title: 'a' }, { to: T(2) }];
    const error = (await enqueuePushMessages(failing, messages).catch((e: unknown) => e)) as PushEnqueueError;
    expect(error.remaining).toEqual(messages);
    expect(error.remaining[0]).toBe(messages[0]);
  });
});
