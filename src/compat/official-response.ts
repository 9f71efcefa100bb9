import type { AfterResponseContext } from '../hooks.ts';
import { ResponseShapeError } from '../response-envelope.ts';
import { errorFromApiErrors, textResponseError } from './official-error.ts';

/** A response as received: the status and the body text, before any interpretation. */
interface RawReply {
  readonly status: number;
  readonly text: string;
}

/**
 * An `afterResponse` hook that hands the core transport the raw status and body inside a plain
 * `{ data }` envelope, so that {@link readOfficialData} judges the response by the official SDK's
 * rules instead of the core's (which differ on non-200 2xx statuses, the OAuth-style 401, and
 * truncate long bodies).
 */
export async function wrapRawResponse({ response }: AfterResponseContext): Promise<Response> {
  const reply: RawReply = { status: response.status, text: await response.text() };
  return new Response(JSON.stringify({ data: reply }), { status: 200, headers: { 'content-type': 'application/json' } });
}

/**
 * The decoder paired with {@link wrapRawResponse}: the response's `data` when the official SDK
 * would return it, else the error it would throw. A non-200 status fails with the first API error
 * when the body has a non-empty `errors` array and with the body text otherwise; a 200 fails when
 * its body is not JSON or has `errors`.
 */
export function readOfficialData(wrapped: unknown): unknown {
  const { status, text } = wrapped as RawReply;
  if (typeof status !== 'number' || typeof text !== 'string') throw new ResponseShapeError('the raw response was not captured');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw textResponseError(status, text);
  }
  const errors = fieldOf(body, 'errors');
  if (status !== 200) {
    if (Array.isArray(errors) && errors.length > 0) throw errorFromApiErrors(status, errors);
    const error = textResponseError(status, text);
    error.errorData = body;
    throw error;
  }
  if (errors) throw errorFromApiErrors(status, errors);
  return fieldOf(body, 'data');
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
