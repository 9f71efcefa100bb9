/** Throws the signal's reason when it has already been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/**
 * Resolves after `ms` milliseconds, or rejects with the signal's reason as soon as it aborts. The
 * listener is removed either way, so a long-lived signal does not retain finished waits.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An attempt's own abort controller, fed by the caller's signal and a timeout. */
export interface AttemptSignal {
  /** Aborts when the caller's signal aborts or the timeout fires. */
  readonly signal: AbortSignal;
  /** Whether the timeout (not the caller) aborted it. */
  readonly timedOut: boolean;
  /** Starts the timeout clock; `false` means no timeout. */
  startTimer(timeoutMs: number | false): void;
  /** Clears the timer and detaches from the caller's signal. Call once the attempt settles. */
  dispose(): void;
}

/**
 * Links the caller's signal and a timeout by hand rather than with `AbortSignal.any`, which some
 * runtimes lack (the Vercel edge VM) and which, on Node 20, keeps every combined signal alive while
 * a listener remains: listeners here are removed as soon as the attempt settles.
 */
export function attemptSignal(caller: AbortSignal | undefined): AttemptSignal {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    startTimer(timeoutMs) {
      if (timeoutMs === false) return;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts, whichever is
 * first. Guards against a custom fetch (or a body stream) that ignores its signal, which would
 * otherwise make timeouts and cancellation do nothing.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A controller of one's own that also aborts when the caller's signal does. */
export interface LinkedController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Detaches from the caller's signal; call once the work settles. */
  dispose(): void;
}

/** Links a fresh controller to the caller's signal, by hand (see {@link attemptSignal} for why). */
export function linkedController(caller: AbortSignal | undefined): LinkedController {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => caller?.removeEventListener('abort', onCallerAbort),
  };
}
