import { decodeRequestBody, contentEncodingOf, type DecodedBody } from './request-body.ts';
import { endpointOf, type EmulatorEndpoint } from './routes.ts';

/**
 * One request as the handlers see it. The body is decoded at most once and shared, so the
 * request log and the endpoint handler (and any future wrapper) read the same text.
 */
export interface EmulatorContext {
  /** The web request being answered; its body must only be read through `body()`. */
  readonly request: Request;
  /** Parsed request URL. */
  readonly url: URL;
  /** Endpoint the path addresses. */
  readonly endpoint: EmulatorEndpoint;
  /** Whether the body was declared gzip-encoded. */
  readonly gzip: boolean;
  /** The decoded body, read on first call and memoised. */
  body(): Promise<DecodedBody>;
}

/**
 * A stage of the request pipeline. The service logic is one handler; fault injection (forced
 * answers, delays, resets) wraps it with the same signature.
 */
export type EmulatorHandler = (context: EmulatorContext) => Promise<Response>;

/** Wraps a web request into the context the handlers consume. */
export function createEmulatorContext(request: Request): EmulatorContext {
  const url = new URL(request.url);
  let decoded: Promise<DecodedBody> | undefined;
  return {
    request,
    url,
    endpoint: endpointOf(url.pathname),
    gzip: contentEncodingOf(request.headers) === 'gzip',
    body: () => (decoded ??= decodeRequestBody(request)),
  };
}
