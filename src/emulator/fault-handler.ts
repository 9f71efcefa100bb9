import { abortableWait } from './abortable-wait.ts';
import { connectionResetError } from './connection-reset.ts';
import type { EmulatorHandler } from './context.ts';
import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorRespondFault } from './fault.ts';

const encoder = new TextEncoder();

/**
 * Wraps the service so queued faults apply before it sees the request, the way a gateway or the
 * network in front of the real service fails. Requests with no matching fault pass straight through.
 */
export function createFaultHandler(service: EmulatorHandler, state: EmulatorState): EmulatorHandler {
  return async (context) => {
    const fault = state.faults.take(context.endpoint);
    if (fault === undefined) return service(context);
    state.stats.faultsApplied += 1;
    switch (fault.kind) {
      case 'respond':
        return faultResponse(fault);
      case 'delay':
        await abortableWait(fault.ms, context.request.signal);
        return service(context);
      case 'reset':
        if (fault.afterProcessing === false) await context.body();
        else await service(context);
        throw connectionResetError();
    }
  };
}

function faultResponse({ status, headers, body = '' }: EmulatorRespondFault): Response {
  // Bytes rather than a string: a string body would make Response add a text/plain content type,
  // and the fault must be answered exactly as written.
  return new Response(body === '' ? null : encoder.encode(body), { status, headers: { ...headers } });
}
