/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as `signal` aborts,
 * the way fetch rejects. The timer and the listener are both removed whichever happens first, so
 * an aborted wait leaves nothing behind to keep a process alive.
 * @param ms - how long to wait; `Infinity` waits for the abort alone.
 * @param signal - the request's signal.
 */
export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (ms !== Infinity) {
      timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
    }
  });
}
