/**
 * The errors the compatibility layer rejects with: plain `Error`s carrying the same extra fields as
 * the official `expo-server-sdk`'s, so existing `catch` blocks read them unchanged. Which fields are
 * present depends on the failure, exactly as in the official SDK.
 */
export interface ExpoRequestError extends Error {
  /** The API error's `code`, such as `PUSH_TOO_MANY_EXPERIENCE_IDS` (set on errors from an `errors` array). */
  code?: string;
  /** The API error's `details`, when it had any. */
  details?: unknown;
  /** The API error's `stack`, when the service sent one. */
  serverStack?: string;
  /** The remaining API errors, each shaped like this one (without `statusCode`). */
  others?: ExpoRequestError[];
  /** HTTP status of the response. */
  statusCode?: number;
  /** The response body, for a response that was not an `errors` envelope. */
  errorText?: string;
  /** The parsed body of a non-200 JSON response without an `errors` array. */
  errorData?: unknown;
  /** The response's `data`, for a ticket-count mismatch or a receipts `data` that is not an object. */
  data?: unknown;
}

/** One element of a response's `errors` array, as the service sends it. */
interface ApiErrorData {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
  readonly stack?: unknown;
}

/** The error for a response body that is not the expected JSON: the status and the text. */
export function textResponseError(status: number, text: string): ExpoRequestError {
  const error: ExpoRequestError = new Error(`Expo responded with an error with status code ${status}: ${text}`);
  error.statusCode = status;
  error.errorText = text;
  return error;
}

/** The error for an `errors` array: its first element, with the rest as `others`. */
export function errorFromApiErrors(status: number, errors: unknown): ExpoRequestError {
  const [first, ...rest] = Array.isArray(errors) ? errors : [];
  if (first === undefined || first === null) return new Error('Expected at least one error from Expo');
  const error = errorFromApiError(first);
  if (rest.length > 0) error.others = rest.map(errorFromApiError);
  error.statusCode = status;
  return error;
}

/** A data-shape failure, with the offending `data` attached. */
export function dataError(message: string, data: unknown): ExpoRequestError {
  const error: ExpoRequestError = new Error(message);
  error.data = data;
  return error;
}

function errorFromApiError(data: ApiErrorData): ExpoRequestError {
  const error: ExpoRequestError = new Error(data?.message as string);
  error.code = data?.code as string;
  if (data?.details != null) error.details = data.details;
  if (data?.stack != null) error.serverStack = data.stack as string;
  return error;
}
