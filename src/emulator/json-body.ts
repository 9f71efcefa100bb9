/** Result of parsing a request body as JSON. */
export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * Parses JSON without leaking the engine's error text, which differs between V8, SpiderMonkey and
 * JavaScriptCore and would make emulator messages runtime-dependent.
 */
export function parseJsonBody(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Message for a body that is not JSON at all. */
export const INVALID_JSON_MESSAGE = '"value" must be valid JSON';

/** Whether `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Quotes a path the way Joi labels it in messages: `"to"`, `"[3].to"`, `"ids[2]"`.
 * @param path - dotted/indexed path; empty means the whole body, which Joi calls `value`.
 */
export function joiLabel(path: string): string {
  return `"${path === '' ? 'value' : path}"`;
}
