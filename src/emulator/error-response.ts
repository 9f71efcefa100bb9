import { jsonResponse } from './json-response.ts';

/** One element of the service's request-level `errors` array (contract §4.4). */
export interface EmulatorRequestError {
  /** Machine-readable code such as `VALIDATION_ERROR` or `PUSH_TOO_MANY_NOTIFICATIONS`. */
  readonly code: string;
  /** Human-readable explanation; free text, clients must not parse it. */
  readonly message: string;
  /** Extra structured data; only `PUSH_TOO_MANY_EXPERIENCE_IDS` carries it (project → tokens). */
  readonly details?: unknown;
}

/**
 * Builds a request-level failure in the `{"errors":[…]}` envelope.
 * @param status - HTTP status, e.g. 400.
 * @param error - the single error element; the service sends one per failed request.
 * @param headers - extra headers such as `Allow`. @default {}
 */
export function errorResponse(
  status: number,
  error: EmulatorRequestError,
  headers: Record<string, string> = {},
): Response {
  const element = error.details === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, details: error.details };
  return jsonResponse(status, { errors: [element] }, headers);
}

/** Shorthand for the 400 `VALIDATION_ERROR` the service returns for malformed payloads. */
export function validationError(message: string): Response {
  return errorResponse(400, { code: 'VALIDATION_ERROR', message });
}
