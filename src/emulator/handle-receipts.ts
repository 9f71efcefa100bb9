import type { EmulatorContext } from './context.ts';
import type { EmulatorState } from './emulator-state.ts';
import { errorResponse, validationError } from './error-response.ts';
import { jsonResponse } from './json-response.ts';
import { MAX_RECEIPTS_PER_REQUEST } from './limits.ts';
import type { EmulatorReceiptBody } from './receipt.ts';
import { parseReceiptsBody } from './validate-receipts-body.ts';

/** Answers `POST /--/api/v2/push/getReceipts` for an already authorised request. */
export async function handleReceipts(context: EmulatorContext, state: EmulatorState): Promise<Response> {
  const body = await context.body();
  if (!body.ok) return errorResponse(body.status, body.error);
  const parsed = parseReceiptsBody(body.text);
  if (!parsed.ok) return validationError(parsed.message);
  if (parsed.ids.length > MAX_RECEIPTS_PER_REQUEST) {
    return errorResponse(400, {
      code: 'PUSH_TOO_MANY_RECEIPTS',
      message: `You can request a maximum of ${MAX_RECEIPTS_PER_REQUEST} receipts per request (received ${parsed.ids.length}); divide your requests.`,
    });
  }

  const now = state.options.now();
  state.receipts.prune(now);
  // Null prototype: assigning data["__proto__"] must create an own key, not swap the prototype.
  const data: Record<string, EmulatorReceiptBody> = Object.create(null);
  for (const id of parsed.ids) {
    const receipt = state.receipts.get(id, now);
    if (receipt !== undefined) data[id] = receipt;
  }
  return jsonResponse(200, { data });
}
