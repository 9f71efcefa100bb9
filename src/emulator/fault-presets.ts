import type { EmulatorFault, EmulatorRespondFault } from './fault.ts';
import { JSON_CONTENT_TYPE } from './json-response.ts';
import { tooManyRequestsError } from './too-many-requests.ts';

// nginx's built-in error page, byte for byte: CRLF line ends, server tokens off (as in the 504s
// quoted in expo/expo#18650 and #6486).
const nginxPage = (status: number, reason: string): EmulatorRespondFault => {
  const title = `${status} ${reason}`;
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
};

const json = (status: number, body: string, headers: Record<string, string> = {}): EmulatorRespondFault => ({
  kind: 'respond',
  status,
  headers: { ...headers, 'content-type': JSON_CONTENT_TYPE },
  body,
});

/**
 * The service's 429 `TOO_MANY_REQUESTS` answer (contract V6a), optionally with `Retry-After`.
 * The real service is not known to send `Retry-After`; use it to test that a client honours one.
 * @param retryAfterSeconds - value of the `Retry-After` header. @default undefined (no header)
 */
export function tooManyRequestsFault(retryAfterSeconds?: number): EmulatorRespondFault {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return json(429, JSON.stringify({ errors: [tooManyRequestsError()] }), headers);
}

/**
 * Ready-made faults that reproduce failures observed from the real service (contract §4.4–4.5,
 * §6). Pass one to `emulator.injectFault`.
 */
export const EMULATOR_FAULTS = {
  /** nginx's HTML `502 Bad Gateway` page (expo/expo#564, #7189). */
  badGateway: nginxPage(502, 'Bad Gateway'),
  /** nginx's HTML `504 Gateway Time-out` page; the service may have accepted the batch (expo/expo#18650). */
  gatewayTimeout: nginxPage(504, 'Gateway Time-out'),
  /** Envoy's plain-text 503 (expo/expo#20829). */
  upstreamReset: {
    kind: 'respond',
    status: 503,
    headers: { 'content-type': 'text/plain' },
    body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  },
  /** 429 `TOO_MANY_REQUESTS` without `Retry-After`, as observed. */
  tooManyRequests: tooManyRequestsFault(),
  /** 500 `INTERNAL_SERVER_ERROR` in the `errors[]` envelope (contract V6b). */
  internalServerError: json(500, JSON.stringify({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'An unknown error occurred.' }] })),
  /** 200 with a JSON content type and an empty body: nothing a client can parse. */
  emptyOk: json(200, ''),
  /** 200 with `{}`: valid JSON with neither `data` nor `errors`. */
  emptyObjectOk: json(200, '{}'),
  /** Connection reset after the service accepted the request: the duplicate-delivery trap. */
  resetAfterProcessing: { kind: 'reset', afterProcessing: true },
  /** Connection reset before the service acted on the request. */
  resetBeforeProcessing: { kind: 'reset', afterProcessing: false },
} as const satisfies Record<string, EmulatorFault>;
