import {
  type PushEndpoint,
  PushRateLimitError,
  PushServerError,
  type PushServerErrorInit,
  type PushServiceErrorDetail,
} from './errors/push-server-error.ts';
import { isPlainObject } from './json-value.ts';

/** The parts of an HTTP response the envelope is judged by; the body is read once, by the caller. */
export interface RawResponse {
  readonly endpoint: PushEndpoint;
  readonly status: number;
  readonly text: string;
  /** Parsed `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

/** Thrown by a decoder when `data` has the wrong shape; turned into a {@link PushServerError}. */
export class ResponseShapeError extends Error {}

/**
 * The `data` of a successful response, decoded by `decode`. Anything else becomes a
 * {@link PushServerError}: an `errors` envelope on any status (200 included), the OAuth-style
 * `{ error, error_description }` 401, a non-JSON body, an empty body, JSON with neither `data`
 * nor `errors`, a non-2xx status, or `data` that `decode` rejects.
 */
export function readEnvelope<T>(raw: RawResponse, decode: (data: unknown) => T): T {
  const base = { endpoint: raw.endpoint, status: raw.status, responseText: raw.text };
  const where = `HTTP ${raw.status} from the Expo push service (${raw.endpoint})`;
  if (raw.text.trim() === '') throw serverError(`${where} had an empty body`, base, raw);

  let body: unknown;
  try {
    body = JSON.parse(raw.text);
  } catch {
    throw serverError(`${where} was not JSON: ${preview(raw.text)}`, base, raw);
  }
  const withBody = { ...base, responseData: body };
  if (isPlainObject(body) && Object.hasOwn(body, 'errors')) {
    const errors = Array.isArray(body.errors) ? body.errors.filter(isPlainObject) : [];
    const first = errors[0] as PushServiceErrorDetail | undefined;
    const code = typeof first?.code === 'string' ? first.code : undefined;
    const text = typeof first?.message === 'string' ? first.message : 'no message';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
    throw serverError(`${where}: ${code ?? 'error'}: ${text}${more}`, { ...withBody, code, errors }, raw, true);
  }
  if (isPlainObject(body) && typeof body.error === 'string') {
    const description = typeof body.error_description === 'string' ? body.error_description : 'no description';
    throw serverError(`${where}: ${body.error}: ${description}`, { ...withBody, code: body.error }, raw, true);
  }
  if (raw.status < 200 || raw.status > 299) throw serverError(`${where}: ${preview(raw.text)}`, withBody, raw);
  if (!isPlainObject(body) || !Object.hasOwn(body, 'data')) {
    throw serverError(`${where} had neither "data" nor "errors": ${preview(raw.text)}`, withBody, raw);
  }
  try {
    return decode(body.data);
  } catch (error) {
    if (error instanceof ResponseShapeError) throw serverError(`${where}: ${error.message}`, withBody, raw);
    throw error;
  }
}

/**
 * The error for a failed response. A send's outcome is unknown when the service may have accepted
 * it regardless: any 5xx (gateways time out after the service accepted), and a 2xx whose body was
 * garbled rather than an explicit refusal.
 */
function serverError(message: string, init: PushServerErrorInit, raw: RawResponse, refused = false): PushServerError {
  const mayHaveAccepted = raw.status >= 500 || (raw.status >= 200 && raw.status < 300 && !refused);
  const full = { ...init, retryAfterMs: raw.retryAfterMs, outcomeUnknown: raw.endpoint === 'send' && mayHaveAccepted };
  return raw.status === 429 ? new PushRateLimitError(message, full) : new PushServerError(message, full);
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
