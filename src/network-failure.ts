/**
 * Error codes of failures that happen before a single byte of the request reaches the service:
 * name resolution, refused or unreachable connections, connect timeouts, and TLS certificate
 * rejections (Node and undici spell them as `code`, Bun as `code` or `name`).
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Deno and Workers put the reason in the message only. */
const NOT_SENT_MESSAGE = /connection refused|dns error|failed to lookup address|getaddrinfo|name or service not known|no such host/i;

/**
 * Whether a fetch failure proves the request never reached the service, so resending it cannot
 * duplicate a notification. Anything not recognised counts as "may have reached it".
 */
export function provablyNotSent(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
    if ((typeof code === 'string' && NOT_SENT_CODES.has(code)) || (typeof name === 'string' && NOT_SENT_CODES.has(name))) return true;
    if (typeof message === 'string' && NOT_SENT_MESSAGE.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
