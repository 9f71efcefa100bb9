import type { EmulatorHandler } from './context.ts';
import type { EmulatorState } from './emulator-state.ts';
import { authorize } from './authorize.ts';
import { errorResponse } from './error-response.ts';
import { handleReceipts } from './handle-receipts.ts';
import { handleSend } from './handle-send.ts';
import { ALLOWED_METHOD } from './routes.ts';

/**
 * The emulated service proper: routing, then authentication, then the endpoint.
 * Routing comes first because an unknown path is a 404 whoever asks; authentication comes before
 * the body is touched, so a refused client never learns whether its payload was valid.
 */
export function createServiceHandler(state: EmulatorState): EmulatorHandler {
  return async (context) => {
    const { request, url, endpoint } = context;
    if (endpoint === 'unknown') {
      return errorResponse(404, { code: 'NOT_FOUND', message: `No endpoint at ${url.pathname}.` });
    }
    if (request.method !== ALLOWED_METHOD) {
      return errorResponse(
        405,
        { code: 'METHOD_NOT_ALLOWED', message: `${request.method} is not allowed on ${url.pathname}; use ${ALLOWED_METHOD}.` },
        { allow: ALLOWED_METHOD },
      );
    }
    const refused = authorize(request.headers, state.options);
    if (refused !== undefined) return refused;
    return endpoint === 'send' ? handleSend(context, state) : handleReceipts(context, state);
  };
}
