import { describe, expect, it, vi } from 'vitest';
import { PushClient, PushTimeoutError } from '../src/index.ts';
import { json, okTickets, scriptedFetch, token } from './helpers/scripted-fetch.ts';

/** A fetch that never answers until its request is aborted; it counts aborted requests. */
function hangingFetch() {
  const state = { started: 0, aborted: 0 };
  const fetch = (request: Request) =>
    new Promise<Response>((_, reject) => {
      state.started++;
      request.signal.addEventListener('abort', () => {
        state.aborted++;
        reject(request.signal.reason);
      });
    });
  return { fetch, state };
}

/** Counts listeners added to and removed from a signal, to prove none are left behind. */
function countedSignal(controller: AbortController) {
  const counts = { added: 0, removed: 0 };
  const { signal } = controller;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => (counts.added++, add(...args))) as typeof add;
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => (counts.removed++, remove(...args))) as typeof remove;
  return counts;
}

const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ to: token(i) }));

describe('PushClient cancellation', () => {
  it('rejects with the reason and sends nothing when the signal is already aborted', async () => {
    const fake = scriptedFetch(okTickets);
    const reason = new Error('shutting down');
    const client = new PushClient({ fetch: fake.fetch });
    await expect(client.publish({ to: token(1) }, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(client.publishMultiple(messages(3), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(client.checkReceipts(['a'], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fake.seen).toEqual([]);
  });

  it('aborts every outstanding request of a publishMultiple call and rejects with the caller’s reason', async () => {
    const { fetch, state } = hangingFetch();
    const controller = new AbortController();
    const client = new PushClient({ fetch, concurrency: 3, rateLimit: false });
    const call = client.publishMultiple(messages(1000), { signal: controller.signal });
    await vi.waitFor(() => expect(state.started).toBe(3));
    // Give queued requests a chance to (wrongly) start before aborting.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    // Three were in flight and aborted; the seven waiting for a slot never started.
    expect(state).toEqual({ started: 3, aborted: 3 });
  });

  it('stops waiting out a retry delay when aborted', async () => {
    const fake = scriptedFetch(json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'x' }] }, 429, { 'retry-after': '30' }));
    const controller = new AbortController();
    const call = new PushClient({ fetch: fake.fetch }).publish({ to: token(1) }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort('stop');
    await expect(call).rejects.toBe('stop');
    expect(fake.seen).toHaveLength(1);
  });

  it('stops waiting for pacing when aborted, and gives the reservation back', async () => {
    const fake = scriptedFetch(okTickets);
    const client = new PushClient({ fetch: fake.fetch, rateLimit: { perSecond: 10, burst: 100 } });
    await client.publishMultiple(messages(100));
    const controller = new AbortController();
    const paced = client.publishMultiple(messages(100), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort('enough');
    await expect(paced).rejects.toBe('enough');
    expect(fake.seen).toHaveLength(1);
  });

  it('tells a timeout (PushTimeoutError) from the caller’s abort (its own reason)', async () => {
    const slow = hangingFetch();
    await expect(new PushClient({ fetch: slow.fetch, timeoutMs: 20 }).checkReceipts(['a'], {})).rejects.toBeInstanceOf(PushTimeoutError);
    const controller = new AbortController();
    const call = new PushClient({ fetch: hangingFetch().fetch, timeoutMs: 5_000 }).publish({ to: token(1) }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('mine')), 10);
    await expect(call).rejects.toThrow('mine');
  });

  it('removes every listener it adds to the caller’s signal once the call settles', async () => {
    const fake = scriptedFetch(
      json({ errors: [{ code: 'TOO_MANY_REQUESTS', message: 'x' }] }, 429),
      okTickets,
    );
    const controller = new AbortController();
    const counts = countedSignal(controller);
    const client = new PushClient({ fetch: fake.fetch, concurrency: 2, retry: { baseDelayMs: 1 } });
    await client.publishMultiple(messages(450), { signal: controller.signal });
    expect(counts.added).toBeGreaterThan(5);
    expect(counts.removed).toBe(counts.added);
  });

  it('works where the runtime has no AbortSignal.any', async () => {
    const any = AbortSignal.any;
    (AbortSignal as { any?: unknown }).any = undefined;
    try {
      const controller = new AbortController();
      const call = new PushClient({ fetch: hangingFetch().fetch, timeoutMs: 5_000 }).publish({ to: token(1) }, { signal: controller.signal });
      setTimeout(() => controller.abort('gone'), 5);
      await expect(call).rejects.toBe('gone');
      await expect(new PushClient({ fetch: hangingFetch().fetch, timeoutMs: 10 }).publish({ to: token(1) })).rejects.toBeInstanceOf(PushTimeoutError);
    } finally {
      AbortSignal.any = any;
    }
  });

  it('times out and cancels even when a custom fetch ignores its signal', async () => {
    const deaf = () => new Promise<Response>(() => undefined);
    await expect(new PushClient({ fetch: deaf, timeoutMs: 20 }).publish({ to: token(1) })).rejects.toBeInstanceOf(PushTimeoutError);
    const controller = new AbortController();
    const call = new PushClient({ fetch: deaf, timeoutMs: false }).checkReceipts(['a'], { signal: controller.signal });
    setTimeout(() => controller.abort('bye'), 5);
    await expect(call).rejects.toBe('bye');
  });

  it('times out a response whose body never finishes', async () => {
    const stalled = async () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"data":')) }));
    await expect(new PushClient({ fetch: stalled, timeoutMs: 20 }).publish({ to: token(1) })).rejects.toBeInstanceOf(PushTimeoutError);
  });
});
