import type { EmulatorRequestError } from './error-response.ts';

/** Outcome of reading a request body: its text, or the request-level error to answer with. */
export type DecodedBody =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly status: number; readonly error: EmulatorRequestError };

/**
 * The request's content coding, normalised: `'identity'` when absent or explicitly identity,
 * otherwise the lower-cased header value (e.g. `'gzip'`, `'br'`, `'gzip, br'`).
 */
export function contentEncodingOf(headers: Headers): string {
  const value = headers.get('content-encoding')?.trim().toLowerCase() ?? '';
  return value === '' ? 'identity' : value;
}

/**
 * Reads the whole body, undoing `Content-Encoding: gzip` and decoding strict UTF-8.
 * Only gzip is documented as accepted, so anything else is refused with 415 instead of guessed at.
 */
export async function decodeRequestBody(request: Request): Promise<DecodedBody> {
  const encoding = contentEncodingOf(request.headers);
  if (encoding !== 'identity' && encoding !== 'gzip') {
    return {
      ok: false,
      status: 415,
      error: {
        code: 'UNSUPPORTED_CONTENT_ENCODING',
        message: `Content-Encoding "${encoding}" is not supported; send the body uncompressed or with Content-Encoding: gzip.`,
      },
    };
  }
  let bytes = new Uint8Array(await request.arrayBuffer());
  if (encoding === 'gzip') {
    try {
      bytes = await gunzip(bytes);
    } catch {
      return invalid('The gzip-encoded request body could not be decoded; it is corrupt or truncated.');
    }
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return invalid('The request body is not valid UTF-8.');
  }
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function invalid(message: string): DecodedBody {
  return { ok: false, status: 400, error: { code: 'VALIDATION_ERROR', message } };
}
