/** Content type of every JSON body the emulator writes, matching the service. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Serialises `body` into a JSON `Response`.
 * @param status - HTTP status to answer with.
 * @param body - any JSON-serialisable value.
 * @param headers - extra headers, e.g. `Allow` on a 405. @default {}
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'content-type': JSON_CONTENT_TYPE },
  });
}
