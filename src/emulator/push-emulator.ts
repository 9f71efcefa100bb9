import { createEmulatorContext, type EmulatorContext } from './context.ts';
import { createEmulatorState, type EmulatorState } from './emulator-state.ts';
import { zeroStats, type EmulatorStats } from './emulator-stats.ts';
import type { EmulatorFault, InjectFaultOptions } from './fault.ts';
import { createFaultHandler } from './fault-handler.ts';
import type { EmulatorNotification } from './notification.ts';
import { resolvePushEmulatorOptions, type PushEmulatorOptions } from './options.ts';
import type { EmulatorRequestRecord } from './request-record.ts';
import { createServiceHandler } from './service-handler.ts';

/** An in-memory Expo push service, answering through a standard fetch signature. */
export interface PushEmulator {
  /**
   * Answers a request like `exp.host` would. Usable wherever a `fetch` is expected, and safe to
   * call unbound (`const f = emulator.fetch; f(url, init)`). The input is spelled
   * `Request | string | URL` (the DOM's `RequestInfo | URL`) so the declaration also compiles
   * against `@types/node` or Workers types without the DOM lib.
   */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Every accepted recipient (one per `ok` ticket), in order. Empty when `record` is off. */
  readonly notifications: readonly EmulatorNotification[];
  /** Every request answered, in order. Empty when `record` is off. */
  readonly requests: readonly EmulatorRequestRecord[];
  /** A snapshot of the counters; read it again for current values. Kept even when `record` is off. */
  readonly stats: EmulatorStats;
  /** From now on, answer `token` with a `DeviceNotRegistered` ticket. */
  markUnregistered(token: string): void;
  /**
   * Makes the next `times` requests (to `endpoint`, if given) fail with `fault`. Faults apply in
   * the order they were injected: each request takes the oldest queued fault that targets it.
   * @param fault - what happens to the request; see {@link EMULATOR_FAULTS} for realistic ones.
   * @param options - how many and which requests. @default { times: 1 }
   * @throws RangeError when the fault or the options are out of range; nothing is queued then.
   */
  injectFault(fault: EmulatorFault, options?: InjectFaultOptions): void;
  /** Drops every fault still queued. */
  clearFaults(): void;
  /**
   * Back to a fresh service: clears both logs, every stored receipt, queued faults and counters,
   * and refills the rate-limit bucket. Configuration and unregistered tokens stay.
   */
  reset(): void;
}

/**
 * Creates a local, faithful emulator of the Expo push service (`/--/api/v2/push/send` and
 * `/--/api/v2/push/getReceipts` on any origin), built only on web-standard APIs so it runs in
 * every runtime the client targets.
 * @param options - behaviour switches; all optional. @default {}
 * @throws RangeError when an option is out of range (see {@link PushEmulatorOptions}).
 */
export function createPushEmulator(options: PushEmulatorOptions = {}): PushEmulator {
  const state = createEmulatorState(resolvePushEmulatorOptions(options));
  // Faults wrap the service, and recording wraps both, so injected failures are logged with the
  // status the client actually saw.
  const handle = createFaultHandler(createServiceHandler(state), state);

  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const context = createEmulatorContext(new Request(input, init));
    if (context.endpoint === 'send') state.stats.sendRequests += 1;
    if (context.endpoint === 'receipts') state.stats.receiptRequests += 1;
    // 0, like the status of a network-error Response, until an answer exists: it stays 0 when the
    // client gets none (an injected reset, or an abort during an injected delay).
    let status = 0;
    try {
      const response = await handle(context);
      status = response.status;
      return response;
    } finally {
      if (state.options.record) await record(state, context, status);
    }
  };

  return {
    fetch,
    notifications: state.notifications,
    requests: state.requests,
    get stats() {
      return { ...state.stats };
    },
    markUnregistered: (token) => {
      state.unregistered.add(token);
    },
    injectFault: (fault, faultOptions) => {
      state.faults.add(fault, faultOptions);
    },
    clearFaults: () => {
      state.faults.clear();
    },
    reset: () => {
      // Cleared in place so arrays a test already holds keep reflecting the emulator.
      state.notifications.length = 0;
      state.requests.length = 0;
      state.receipts.clear();
      // A fault left queued by a test that failed half-way must not hit the next one.
      state.faults.clear();
      Object.assign(state.stats, zeroStats());
      state.rateBucket?.refillCompletely();
    },
  };
}

async function record(state: EmulatorState, context: EmulatorContext, status: number): Promise<void> {
  const { request } = context;
  // A body that cannot be read (the client went away mid-request) must not cost the log entry.
  const body = await context.body().catch(() => ({ ok: false as const }));
  state.requests.push({
    endpoint: context.endpoint,
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    gzip: context.gzip,
    bodyText: body.ok ? body.text : '',
    status,
  });
}
