/**
 * Whether an `Accept-Encoding` header value lets the server answer with gzip (RFC 9110 §12.5.3):
 * `gzip` or `x-gzip` with a non-zero weight, or `*` when gzip is not explicitly refused.
 * @param header - raw header value; `undefined` means the header was absent (identity only here,
 *   since compressing for a client that did not ask would only break naive clients).
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzip: number | undefined;
  let wildcard: number | undefined;
  for (const part of header.split(',')) {
    const [rawCoding = '', ...params] = part.split(';');
    const coding = rawCoding.trim().toLowerCase();
    if (coding === '') continue;
    let weight = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=');
      if (name.trim().toLowerCase() === 'q') {
        const parsed = Number.parseFloat(value.trim());
        weight = Number.isNaN(parsed) ? 0 : parsed;
      }
    }
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Math.max(gzip ?? 0, weight);
    else if (coding === '*') wildcard = weight;
  }
  return (gzip ?? wildcard ?? 0) > 0;
}
