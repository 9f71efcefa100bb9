import { resolveBaseUrl } from './base-url.ts';
import { type PushHooks, type ResolvedHooks, resolveHooks } from './hooks.ts';
import { checkOptionKeys, describeValue } from './option-checks.ts';
import { DEFAULT_RETRY_OPTIONS, type ResolvedRetryOptions, type RetryOptions } from './retry-policy.ts';
import type { RateLimitOptions } from './token-bucket.ts';

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
   * Retry policy; `false` never retries. A partial object is merged with the defaults. By default
   * sends retry only what cannot duplicate a notification (HTTP 429, requests that provably never
   * reached the service); receipt lookups also retry 5xx, timeouts and network errors.
   * @default { retries: 2, baseDelayMs: 1000, maxDelayMs: 30000, maxRetryAfterMs: 60000, shouldRetry: defaultShouldRetry }
   */
  retry?: RetryOptions | false;
  /**
   * Functions awaited in order before each request, after each response, and before each retry.
   * @default {}
   */
  hooks?: PushHooks;
  /**
   * Client-side pacing of recipients per second, so a large batch stays under the service's limit
   * of 600 notifications per second instead of running into 429s; `false` disables it. Receipt
   * lookups are not paced.
   * @default { perSecond: 600, burst: 100 }
   */
  rateLimit?: RateLimitOptions | false;
}

/** {@link PushClientOptions} checked and with every default filled in. */
export interface ResolvedClientOptions {
  readonly accessToken: AccessTokenSource | undefined;
  readonly baseUrl: string;
  /** `undefined` means the global fetch, looked up per request. */
  readonly fetch: FetchFunction | undefined;
  readonly concurrency: number;
  readonly gzipThreshold: number | false;
  readonly timeoutMs: number | false;
  readonly retry: ResolvedRetryOptions;
  readonly hooks: ResolvedHooks;
  readonly rateLimit: Required<RateLimitOptions> | false;
}

const CLIENT_OPTIONS = [
  'accessToken',
  'baseUrl',
  'fetch',
  'concurrency',
  'gzipThreshold',
  'timeoutMs',
  'allowHttp',
  'retry',
  'hooks',
  'rateLimit',
] as const satisfies ReadonlyArray<keyof PushClientOptions>;

/** Checks the options and fills in the defaults; throws a `TypeError` naming the bad option. */
export function resolveClientOptions(options: PushClientOptions | undefined): ResolvedClientOptions {
  checkOptionKeys(options, CLIENT_OPTIONS, 'PushClient options');
  const { accessToken, allowHttp = false, concurrency = 6, gzipThreshold = 1024, timeoutMs = 30_000, retry = {} } = options ?? {};
  if (accessToken !== undefined && typeof accessToken !== 'function') checkAccessToken(accessToken);
  if (options?.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError(`fetch must be a function (got ${describeValue(options.fetch)})`);
  if (typeof allowHttp !== 'boolean') throw new TypeError(`allowHttp must be a boolean (got ${describeValue(allowHttp)})`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a positive integer (got ${describeValue(concurrency)})`);
  if (gzipThreshold !== false && !(typeof gzipThreshold === 'number' && Number.isFinite(gzipThreshold) && gzipThreshold >= 0)) {
    throw new TypeError(`gzipThreshold must be a non-negative number of bytes or false (got ${describeValue(gzipThreshold)})`);
  }
  if (timeoutMs !== false && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`timeoutMs must be a positive number of milliseconds or false (got ${describeValue(timeoutMs)})`);
  }
  if (retry !== false && (typeof retry !== 'object' || retry === null)) {
    throw new TypeError(`retry must be false or an object such as { retries: 2 } (got ${describeValue(retry)})`);
  }
  return {
    accessToken,
    baseUrl: resolveBaseUrl(options?.baseUrl, allowHttp),
    fetch: options?.fetch,
    concurrency,
    gzipThreshold,
    timeoutMs,
    retry: retry === false ? { ...DEFAULT_RETRY_OPTIONS, retries: 0 } : resolveRetry(retry),
    hooks: resolveHooks(options?.hooks),
    rateLimit: resolveRateLimit(options?.rateLimit),
  };
}

/**
 * Checks a resolved access token and returns it, `undefined` for an empty one (no header). The
 * message never includes the token itself, which would otherwise leak through the `TypeError` a
 * platform `Headers` throws for a value with a line break.
 */
export function checkAccessToken(token: unknown): string | undefined {
  if (typeof token !== 'string') throw new TypeError(`accessToken must be a string (got ${typeof token})`);
  if (token === '') return undefined;
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError('accessToken contains characters an HTTP header cannot carry (whitespace, a line break, or non-ASCII)');
  }
  return token;
}

function resolveRateLimit(rateLimit: RateLimitOptions | false | undefined): Required<RateLimitOptions> | false {
  if (rateLimit === false) return false;
  checkOptionKeys(rateLimit, ['perSecond', 'burst'], 'rateLimit options');
  const { perSecond = 600, burst = 100 } = rateLimit ?? {};
  for (const [name, value] of [['perSecond', perSecond], ['burst', burst]] as const) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new TypeError(`rateLimit.${name} must be a positive number (got ${describeValue(value)})`);
    }
  }
  return { perSecond, burst };
}

function resolveRetry(retry: RetryOptions): ResolvedRetryOptions {
  checkOptionKeys(retry, Object.keys(DEFAULT_RETRY_OPTIONS), 'retry options');
  const resolved = { ...DEFAULT_RETRY_OPTIONS };
  if (retry.shouldRetry !== undefined) {
    if (typeof retry.shouldRetry !== 'function') throw new TypeError('retry.shouldRetry must be a function');
    resolved.shouldRetry = retry.shouldRetry;
  }
  for (const key of ['retries', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = retry[key];
    if (value === undefined) continue;
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0) || (key === 'retries' && !Number.isInteger(value))) {
      throw new TypeError(`retry.${key} must be a non-negative ${key === 'retries' ? 'integer' : 'number'} (got ${describeValue(value)})`);
    }
    resolved[key] = value;
  }
  return resolved;
}
