import { createEmulatorContext } from './context.ts';
import { createEmulatorState } from './emulator-state.ts';
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
  /** From now on, answer `token` with a `DeviceNotRegistered` ticket. */
  markUnregistered(token: string): void;
  /** Clears both logs and every stored receipt; configuration and unregistered tokens stay. */
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
  // The seam for future fault injection: wrap this handler, keep recording outermost so injected
  // failures are logged with the status the client actually saw.
  const handle = createServiceHandler(state);

  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const context = createEmulatorContext(new Request(input, init));
    const response = await handle(context);
    if (state.options.record) {
      const { request } = context;
      const body = await context.body();
      state.requests.push({
        endpoint: context.endpoint,
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        gzip: context.gzip,
        bodyText: body.ok ? body.text : '',
        status: response.status,
      });
    }
    return response;
  };

  return {
    fetch,
    notifications: state.notifications,
    requests: state.requests,
    markUnregistered: (token) => {
      state.unregistered.add(token);
    },
    reset: () => {
      // Cleared in place so arrays a test already holds keep reflecting the emulator.
      state.notifications.length = 0;
      state.requests.length = 0;
      state.receipts.clear();
    },
  };
}
