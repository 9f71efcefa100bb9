import { errorResponse } from './error-response.ts';
import { jsonResponse } from './json-response.ts';
import type { ResolvedPushEmulatorOptions } from './options.ts';

/** The OAuth-style body the service sends for a wrong bearer token (contract V6c), not `errors[]`. */
export const INVALID_TOKEN_BODY = {
  error: 'invalid_token',
  error_description: 'The bearer token is invalid',
} as const;

/** Message of the 401 `UNAUTHORIZED` answer when the token is required but missing. */
export const MISSING_TOKEN_MESSAGE =
  'This project has enhanced push security enabled: requests must include a valid access token in the Authorization header (Authorization: Bearer <access token>).';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Checks the `Authorization` header against the configured access token.
 * Any non-empty Authorization header counts as a credential attempt: one that is not a well-formed
 * bearer token can never match, so it gets the same `invalid_token` answer as a wrong token.
 * @returns the 401 response to send, or `undefined` when the request may proceed.
 */
export function authorize(headers: Headers, options: ResolvedPushEmulatorOptions): Response | undefined {
  const { accessToken, requireAccessToken } = options;
  if (accessToken === undefined) return undefined;
  const header = headers.get('authorization')?.trim() ?? '';
  if (header === '') {
    if (!requireAccessToken) return undefined;
    return errorResponse(401, { code: 'UNAUTHORIZED', message: MISSING_TOKEN_MESSAGE });
  }
  const presented = BEARER.exec(header)?.[1];
  if (presented !== accessToken) return jsonResponse(401, INVALID_TOKEN_BODY);
  return undefined;
}
