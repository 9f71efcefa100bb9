import { resolveBaseUrl } from './base-url.ts';
import { DEFAULT_RETRY_OPTIONS, type ResolvedRetryOptions, type RetryOptions } from './retry-policy.ts';

/** A fetch implementation: the platform's own, or any function with its signature. */
export type FetchFunction = (input: Request, init?: RequestInit) => Promise<Response>;

/** An access token, or a function that returns one (called for every request, so tokens can rotate). */
export type AccessTokenSource = string | (() => string | Promise<string>);

/** Options of {@link PushClient}. Every option is optional. */
export interface PushClientOptions {
  /**
   * Access token for Expo's "enhanced security for push notifications", sent as
   * `Authorization: Bearer …`. A function is called before every request.
   * @default undefined (no Authorization header)
   */
  accessToken?: AccessTokenSource;
  /**
   * Origin (and optional path prefix) of the push service. An empty string means the default.
   * @default 'https://exp.host'
   */
  baseUrl?: string;
  /**
   * The fetch to send with. It is always called without a `this`, so a platform fetch passed
   * as-is works. The default looks `globalThis.fetch` up at call time, so a fetch mocked or
   * polyfilled after the client was made is still used.
   * @default globalThis.fetch, looked up per request
   */
  fetch?: FetchFunction;
  /**
   * Requests in flight at once, per client.
   * @default 6
   */
  concurrency?: number;
  /**
   * Request bodies larger than this many bytes are gzip-compressed where the runtime has
   * `CompressionStream`; `false` never compresses.
   * @default 1024
   */
  gzipThreshold?: number | false;
  /**
   * Time limit of one request attempt, in milliseconds, response body included; `false` for none.
   * @default 30000
   */
  timeoutMs?: number | false;
  /**
   * Allow a plain `http://` base URL on a non-loopback host.
   * @default false
   */
  allowHttp?: boolean;
  /**
   * Retry policy for HTTP 429 answers; `false` never retries. A partial object is merged with the defaults.
   * @default { retries: 2, baseDelayMs: 1000, maxDelayMs: 30000, maxRetryAfterMs: 60000 }
   */
  retry?: RetryOptions | false;
}

/** {@link PushClientOptions} checked and with every default filled in. */
export interface ResolvedClientOptions {
  readonly accessToken: AccessTokenSource | undefined;
  readonly baseUrl: string;
  readonly fetch: FetchFunction;
  readonly concurrency: number;
  readonly gzipThreshold: number | false;
  readonly timeoutMs: number | false;
  readonly retry: ResolvedRetryOptions;
}

/** Checks the options and fills in the defaults; throws a `TypeError` naming the bad option. */
export function resolveClientOptions(options: PushClientOptions): ResolvedClientOptions {
  const { accessToken, concurrency = 6, gzipThreshold = 1024, timeoutMs = 30_000, retry = {} } = options;
  if (accessToken !== undefined && typeof accessToken !== 'string' && typeof accessToken !== 'function') {
    throw new TypeError('accessToken must be a string or a function returning one');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError('fetch must be a function');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a positive integer (got ${concurrency})`);
  if (gzipThreshold !== false && !(Number.isFinite(gzipThreshold) && gzipThreshold >= 0)) {
    throw new TypeError(`gzipThreshold must be a non-negative number of bytes or false (got ${gzipThreshold})`);
  }
  if (timeoutMs !== false && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`timeoutMs must be a positive number of milliseconds or false (got ${timeoutMs})`);
  }
  return {
    accessToken,
    baseUrl: resolveBaseUrl(options.baseUrl, options.allowHttp === true),
    fetch: options.fetch ?? globalFetch,
    concurrency,
    gzipThreshold,
    timeoutMs,
    retry: retry === false ? { ...DEFAULT_RETRY_OPTIONS, retries: 0 } : resolveRetry(retry),
  };
}

function resolveRetry(retry: RetryOptions): ResolvedRetryOptions {
  const resolved = { ...DEFAULT_RETRY_OPTIONS };
  for (const key of Object.keys(resolved) as Array<keyof ResolvedRetryOptions>) {
    const value = retry[key];
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0) || (key === 'retries' && !Number.isInteger(value))) {
      throw new TypeError(`retry.${key} must be a non-negative ${key === 'retries' ? 'integer' : 'number'} (got ${value})`);
    }
    resolved[key] = value;
  }
  return resolved;
}

const globalFetch: FetchFunction = (input, init) => {
  const platformFetch = globalThis.fetch;
  if (typeof platformFetch !== 'function') {
    throw new TypeError('This runtime has no global fetch: pass one with new PushClient({ fetch })');
  }
  return platformFetch(input, init);
};
