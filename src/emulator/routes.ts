/** Path of the send endpoint, relative to any origin (the service lives at `https://exp.host`). */
export const SEND_PATH = '/--/api/v2/push/send';

/** Path of the receipts endpoint, relative to any origin. */
export const RECEIPTS_PATH = '/--/api/v2/push/getReceipts';

/** Which service endpoint a request addressed; `'unknown'` for every other path. */
export type EmulatorEndpoint = 'send' | 'receipts' | 'unknown';

/** The only method either endpoint accepts. */
export const ALLOWED_METHOD = 'POST';

/**
 * Maps a URL path to the endpoint it addresses.
 * Matching is exact: the query string is ignored by the caller (the real service tolerates
 * parameters such as the retired `useFcmV1`), but a trailing slash is a different path.
 */
export function endpointOf(pathname: string): EmulatorEndpoint {
  if (pathname === SEND_PATH) return 'send';
  if (pathname === RECEIPTS_PATH) return 'receipts';
  return 'unknown';
}
