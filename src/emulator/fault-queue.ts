import type { EmulatorFault, InjectFaultOptions } from './fault.ts';
import type { EmulatorEndpoint } from './routes.ts';

/** Largest delay `setTimeout` honours; beyond it runtimes fire almost at once instead. */
export const MAX_DELAY_MS = 2_147_483_647;

interface QueuedFault {
  readonly fault: EmulatorFault;
  readonly endpoint: 'send' | 'receipts' | undefined;
  remaining: number;
}

/**
 * Injected faults waiting for requests. Each request takes the oldest entry that matches its
 * endpoint, so faults are consumed first in, first out among the requests they target, and an
 * entry for one endpoint never holds back faults meant for another.
 */
export class FaultQueue {
  readonly #entries: QueuedFault[] = [];

  /**
   * Queues `fault` for the next `times` matching requests.
   * Everything is checked here, so a mistyped fault fails where it is written rather than as an
   * odd answer several requests later; the fault is copied, so later edits to it have no effect.
   * @param fault - what to do to the request.
   * @param options - how many and which requests. @default {}
   * @throws RangeError when the fault or the options are out of range.
   */
  add(fault: EmulatorFault, { times = 1, endpoint }: InjectFaultOptions = {}): void {
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`times must be a positive integer or Infinity, got ${String(times)}`);
    }
    if (endpoint !== undefined && endpoint !== 'send' && endpoint !== 'receipts') {
      throw new RangeError(`endpoint must be 'send' or 'receipts', got ${String(endpoint)}`);
    }
    this.#entries.push({ fault: checkedCopy(fault), endpoint, remaining: times });
  }

  /** Removes and returns the fault for a request to `endpoint`, or `undefined` when none applies. */
  take(endpoint: EmulatorEndpoint): EmulatorFault | undefined {
    const index = this.#entries.findIndex((entry) => entry.endpoint === undefined || entry.endpoint === endpoint);
    const entry = this.#entries[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#entries.splice(index, 1);
    return entry.fault;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#entries.length = 0;
  }
}

function checkedCopy(fault: EmulatorFault): EmulatorFault {
  switch (fault?.kind) {
    case 'respond': {
      const { status, headers = {}, body = '' } = fault;
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`status must be an integer from 200 to 599, got ${String(status)}`);
      }
      if (typeof body !== 'string') throw new RangeError(`body must be a string, got ${typeof body}`);
      if (body !== '' && (status === 204 || status === 205 || status === 304)) {
        throw new RangeError(`a ${status} response cannot have a body`);
      }
      // Headers validates names and values now, with the runtime's own rules.
      return { kind: 'respond', status, headers: Object.fromEntries(new Headers(headers)), body };
    }
    case 'delay': {
      const { ms } = fault;
      if (!(ms === Infinity || (typeof ms === 'number' && ms >= 0 && ms <= MAX_DELAY_MS))) {
        throw new RangeError(`ms must be from 0 to ${MAX_DELAY_MS} or Infinity, got ${String(ms)}`);
      }
      return { kind: 'delay', ms };
    }
    case 'reset': {
      const { afterProcessing = true } = fault;
      if (typeof afterProcessing !== 'boolean') {
        throw new RangeError(`afterProcessing must be a boolean, got ${String(afterProcessing)}`);
      }
      return { kind: 'reset', afterProcessing };
    }
    default:
      throw new RangeError(`fault kind must be 'respond', 'delay' or 'reset', got ${String((fault as { kind?: unknown } | undefined)?.kind)}`);
  }
}
