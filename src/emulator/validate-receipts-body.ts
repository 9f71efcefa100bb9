import { INVALID_JSON_MESSAGE, isJsonObject, joiLabel, parseJsonBody } from './json-body.ts';

/** A receipts body that passed validation, or the Joi-style message explaining the first problem. */
export type ParsedReceiptsBody =
  | { readonly ok: true; readonly ids: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Parses and validates a `/push/getReceipts` body, which must be exactly `{"ids":[string…]}`.
 * Unknown keys are refused (as a default Joi object schema does) so a client that sends anything
 * beyond `ids` is caught by the emulator instead of silently working against it.
 */
export function parseReceiptsBody(text: string): ParsedReceiptsBody {
  const json = parseJsonBody(text);
  if (!json.ok) return { ok: false, message: INVALID_JSON_MESSAGE };
  const body = json.value;
  if (!isJsonObject(body)) return { ok: false, message: `${joiLabel('')} must be of type object` };
  const extra = Object.keys(body).find((key) => key !== 'ids');
  if (extra !== undefined) return { ok: false, message: `${joiLabel(extra)} is not allowed` };
  if (!Object.hasOwn(body, 'ids')) return { ok: false, message: `${joiLabel('ids')} is required` };
  const ids = body.ids;
  if (!Array.isArray(ids)) return { ok: false, message: `${joiLabel('ids')} must be an array` };
  const bad = ids.findIndex((id) => typeof id !== 'string');
  if (bad !== -1) return { ok: false, message: `${joiLabel(`ids[${bad}]`)} must be a string` };
  return { ok: true, ids: ids as string[] };
}
